extension InjectionController {
    @inline(__always) func snapshot(_ input: ControllerInputs, stepRate: StepsPerSecond, driver: DriverEnable,
                  alarm: AlarmLevel) -> TelemetrySnapshot {
        var hazards: HazardFlags = []
        let slowdownStart = configuration.pressure.limit * configuration.rates.slowdownStartFraction
        if health.pressure > slowdownStart { hazards.insert(.pressureSlowdown) }
        if occlusion.isAboveThreshold { hazards.insert(.pressureAboveOcclusionThreshold) }
        switch consistency.status {
        case .running: hazards.insert(.consistencyCheckRunning)
        case .passed: hazards.insert(.consistencyCheckPassed)
        default: break
        }
        if !hostLinkHealthy(input) { hazards.insert(.hostLinkLost) }
        if health.pressureProblem != .none || health.twinProblem != .none { hazards.insert(.pressureSensorUnhealthy) }
        if health.positionProblem != .none { hazards.insert(.positionSensorUnhealthy) }
        if workingTimeWarned { hazards.insert(.workingTimeWarning) }
        if budget.remaining < configuration.rates.bolusVolume { hazards.insert(.capApproaching) }
        if leak.isArmed { hazards.insert(.leakWatchArmed) }
        if guardTrips > 0 { hazards.insert(.motionGuardTripped) }
        if input.driverFault.isActive { hazards.insert(.driverFault) }

        let baselineVolume = baselineSteps.map { geometry.volume(of: $0) } ?? .zero
        return TelemetrySnapshot(
            time: input.now, tick: tick, state: state, relief: relief.phase, stateReason: stateReason,
            stepPosition: input.stepPosition, displaced: budget.displaced, delivered: budget.delivered,
            stored: budget.stored, committed: budget.committed, cap: budget.cap, pressure: health.pressure,
            plungerPosition: health.positionFromSensor - baselineVolume,
            commandedFlow: geometry.flow(for: stepRate), targetFlow: targetFlow, stepRate: stepRate,
            driver: driver, alarm: alarm, switchBits: input.switches.bits, hazards: hazards,
            releaseCycles: releaseCycles,
            timeSinceMixing: mixedAt.map { input.now - $0 } ?? Interval(nanoseconds: -1),
            hostSilence: input.hostLastHeard.map { input.now - $0 } ?? Interval(nanoseconds: -1),
            eventsDropped: eventsDropped &+ UInt32(truncatingIfNeeded: events.dropped), guardTrips: guardTrips,
            levelCommitted: ledger.levelCommitted(running: budget.committed),
            sessionCommitted: ledger.sessionCommitted(running: budget.committed))
    }
}
