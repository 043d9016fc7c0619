extension InjectionController {
    /// Whether the host has been heard within the link timeout.
    func hostLinkHealthy(_ input: ControllerInputs) -> Bool {
        guard let heard = input.hostLastHeard else { return false }
        return input.now - heard <= configuration.faults.hostLinkTimeout
    }

    /// Stops that apply while the plunger may move: interlocks, lost link, cement time, the cap.
    mutating func checkStops(_ input: ControllerInputs) {
        let now = input.now
        switch state {
        case .priming:
            if let block = forwardBlock(.priming, input) { halt(into: .idle, reason: block.reason, at: now) }
        case .injecting, .releasing:
            // A release in progress finishes before the cap ends the injection.
            if let block = forwardBlock(.injection, input), !(state == .releasing && block == .capExhausted) {
                stopRunningInjection(for: block, at: now)
            }
        default:
            break
        }
        if let mixed = mixedAt, !workingTimeWarned,
           now - mixed >= configuration.cement.workingPhaseEnd - configuration.cement.workingTimeWarning {
            workingTimeWarned = true
            raise(.warning, reason: .workingTimeExceeded,
                  value: (configuration.cement.workingPhaseEnd - (now - mixed)).seconds, at: now)
        }
    }

    /// How an injection under way stops for what blocks it: an operator or physical
    /// input pauses it, a hazard is recorded first, the cap completes it.
    private mutating func stopRunningInjection(for block: MotionBlock, at now: Instant) {
        switch block {
        case .forwardEndOfTravel:
            raise(.limitReached, reason: .endOfTravel, at: now)
            halt(into: .paused, reason: block.reason, at: now)
        case .eStop, .enableReleased, .posteriorQuarterStop, .leakSeenStop:
            halt(into: .paused, reason: block.reason, at: now)
        case .hostLinkLost, .workingTimeOver, .cementNotMixed, .cementNotReady:
            hazardStop(block.reason, at: now)
        case .capExhausted:
            raise(.limitReached, reason: .capReached, value: budget.cap.rawValue, at: now)
            halt(into: .complete, reason: .capReached, at: now)
        case .faultLatched, .feedback:
            // Latched before the stops are checked (`latchFaultIfAny`); kept fail-safe.
            halt(into: .faulted, reason: feedbackProblem, at: now)
        }
    }

    /// A live transducer follows what the push does; one that stays within a few counts
    /// (`faults.pressureStuckBand`) while cement is pushed is lying. Counts only pushing
    /// time, across releases, since the reading last left the band; `true` once that
    /// reaches `faults.pressureStuckAfter`. Priming and injecting both ask.
    mutating func readingFrozenTooLong(flow: MicrolitersPerSecond, dt: Interval) -> Bool {
        if health.pressureUnchangedSince != frozenSince {
            frozenSince = health.pressureUnchangedSince
            frozenPushTime = .zero
        }
        if flow.rawValue > 0 { frozenPushTime = frozenPushTime + dt }
        return frozenPushTime >= configuration.faults.pressureStuckAfter
    }

    /// Hazards watched while injecting: pressure limit, occlusion, leak, consistency.
    /// Returns `false` if injection stopped this tick.
    mutating func checkInjectionHazards(pressure: Kilopascals, flow: MicrolitersPerSecond,
                                        at now: Instant, dt: Interval) -> Bool {
        if readingFrozenTooLong(flow: flow, dt: dt) {
            halt(into: .faulted, reason: .pressureStuck, at: now)
            return false
        }
        if pressure >= configuration.pressure.limit {
            raise(.limitReached, reason: .pressureLimit, value: pressure.rawValue, at: now)
            if occlusion.pressureLimitRelease(delivered: budget.delivered) {
                hazardStop(.occlusion, value: pressure.rawValue, at: now)
            } else {
                halt(into: .releasing, reason: .pressureLimit, at: now)
            }
            return false
        }
        // The rise per µL of new volume, not the level: a set needle shows the syringe's
        // own stiffness however far the transducer and its twin have drifted together.
        if occlusion.observe(displaced: budget.displaced, pressure: pressure)
            || occlusion.observe(at: now, pressure: pressure) {
            hazardStop(.occlusion, value: pressure.rawValue, at: now)
            return false
        }
        // Both watch every tick (their windows stay filled); either suspects the leak.
        let rapidDrop = rapidLeak.observe(at: now, pressure: pressure, flow: flow)
        if leak.observe(at: now, pressure: pressure, flow: flow) || rapidDrop {
            hazardStop(.leakSuspected, value: pressure.rawValue, at: now)
            return false
        }
        bolusPeakPressure = Swift.max(bolusPeakPressure, pressure)
        if leakRecovery.observe(at: now, pressure: pressure) {
            hazardStop(.leakPressureNotRecovered, value: pressure.rawValue, at: now)
            return false
        }
        if consistency.observe(delivered: budget.delivered, pressure: pressure) == .failed {
            hazardStop(.cementTooLiquid, value: pressure.rawValue, at: now)
            return false
        }
        return true
    }

    /// Runs the relief; when a release cycle's relief ends, injection resumes.
    mutating func advanceRelief(_ input: ControllerInputs) {
        let outcome = relief.advance(at: input.now, displaced: budget.displaced, pressure: health.pressure,
                                     pressureTrusted: pressureTrustedForRelief,
                                     rearEndOfTravel: input.switches.rearEndOfTravel)
        switch outcome {
        case .failed:
            if state != .faulted && state != .eStopped {
                halt(into: .faulted, reason: .reliefFailed, at: input.now)
                relief.cancel()
            }
        case .finished where state == .releasing:
            releaseCycles &+= 1
            transition(to: .injecting, reason: .releaseComplete, at: input.now)
        default:
            break
        }
    }
}
