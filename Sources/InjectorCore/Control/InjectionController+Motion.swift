extension InjectionController {
    /// This tick's signed flow: forward while priming or injecting, backward while relieving.
    mutating func motion(_ input: ControllerInputs, dt: Interval) -> MicrolitersPerSecond {
        if relief.phase == .backingOff {
            rate.halt()
            return -relief.flow
        }
        guard dt.nanoseconds > 0 else { rate.halt(); return .zero }
        switch state {
        case .priming:
            return primingFlow(input, dt: dt)
        case .injecting where relief.phase == .none:
            return injectionFlow(input, dt: dt)
        default:
            rate.halt()
            return .zero
        }
    }

    /// Fills the needle's dead volume. Priming ends when the configured dead volume is
    /// pushed, or earlier when the pressure shows cement at the needle tip: past it,
    /// cement would go into bone uncounted (issue 9 finding 2).
    private mutating func primingFlow(_ input: ControllerInputs, dt: Interval) -> MicrolitersPerSecond {
        if readingFrozenTooLong(flow: rate.flow, dt: dt) {
            halt(into: .faulted, reason: .pressureStuck, at: input.now)
            return .zero
        }
        let primed = geometry.volume(of: input.stepPosition - primingStartSteps)
        let left = configuration.needle.deadVolume - primed
        // A reading frozen in its stuck band also stops rising, as at the tip; a live one
        // leaves the band within a few samples (2 kPa noise), so it is no plateau.
        let live = frozenPushTime < Self.frozenForTipVerdict
        let tipReached = live && fillWatch.observe(primed: primed, reading: health.pressure)
        // Only readings both sensors vouch for: a stale twin holds its last value.
        if configuration.pressureTwinFitted, health.twinProblem == .none, health.pressureProblem == .none {
            areaWatch.observe(primed: primed, pressure: health.pressure, twin: health.pressureTwin)
        }
        if left < geometry.volumePerStep || tipReached {
            baselineSteps = input.stepPosition
            ledger.markPrimed()
            budget.update(displaced: .zero, pressure: health.pressure)
            rate.halt()
            judgePriming(at: input.now)
            guard let finding = geometryFinding else {
                transition(to: .primed, reason: .primingComplete, at: input.now)
                return .zero
            }
            // Cement is at the tip: relieve what the syringe stores rather than let it flow on.
            halt(into: .primed, reason: finding.reason, at: input.now)
            return .zero
        }
        if health.pressure >= configuration.pressure.limit {
            raise(.limitReached, reason: .pressureLimit, value: health.pressure.rawValue, at: input.now)
            halt(into: .idle, reason: .pressureLimit, at: input.now)
            return .zero
        }
        return rate.advance(toward: configuration.rates.primingFlow,
                            ceiling: MicrolitersPerSecond(left.rawValue / dt.seconds), over: dt)
    }

    private mutating func injectionFlow(_ input: ControllerInputs, dt: Interval) -> MicrolitersPerSecond {
        let now = input.now
        let pressure = health.pressure
        guard checkInjectionHazards(pressure: pressure, flow: rate.flow, at: now, dt: dt) else { return .zero }

        // A release is due after each bolus, or after each period in continuous mode.
        let releaseDue: Bool
        var allowance = budget.remaining
        switch configuration.rates.mode {
        case .bolus:
            let bolusLeft = bolusStart + configuration.rates.bolusVolume - budget.committed
            releaseDue = bolusLeft < geometry.volumePerStep
            allowance = Swift.min(allowance, bolusLeft)
        case .continuous:
            releaseDue = now - injectingSince >= configuration.release.injectPeriod
        }
        if releaseDue {
            halt(into: .releasing, reason: .releaseDue, at: now)
            return .zero
        }
        let slowdown = pressureSlowdownFactor(
            pressure: pressure, limit: configuration.pressure.limit,
            startFraction: configuration.rates.slowdownStartFraction,
            minimumFraction: configuration.rates.slowdownMinimumFraction)
        // Never schedule more this tick than the cap (or bolus) leaves.
        let ceiling = MicrolitersPerSecond(Swift.max(0, allowance.rawValue) / dt.seconds)
        return rate.advance(toward: targetFlow * slowdown, ceiling: ceiling, over: dt)
    }

    @inline(__always) var driverEnable: DriverEnable {
        if state == .eStopped { return .disabled }
        if relief.isActive { return .enabled }
        switch state {
        case .priming, .armed, .injecting, .releasing, .paused: return .enabled
        case .idle, .primed, .complete, .eStopped, .faulted: return .disabled
        }
    }

    @inline(__always) var alarmLevel: AlarmLevel {
        switch state {
        case .eStopped, .faulted:
            return .alarm
        case .paused:
            return stateReason == .hostPause || stateReason == .enableReleased ? .notice : .alarm
        case .complete:
            return .notice
        default:
            return workingTimeWarned && mixedAt != nil ? .notice : .off
        }
    }
}
