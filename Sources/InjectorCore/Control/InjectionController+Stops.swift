extension InjectionController {
    /// Whether the host has been heard within the link timeout.
    func hostLinkHealthy(_ input: ControllerInputs) -> Bool {
        guard let heard = input.hostLastHeard else { return false }
        return input.now - heard <= configuration.faults.hostLinkTimeout
    }

    func workingTimeOver(at now: Instant) -> Bool {
        guard let mixed = mixedAt else { return false }
        return now - mixed >= configuration.cement.workingPhaseEnd
    }

    /// The physical interlock or operator stop that forbids forward motion now, if any.
    func interlock(_ s: SwitchInputs) -> Reason {
        if s.eStop.isActive { return .eStop }
        if !s.enable.isActive { return .enableReleased }
        if s.posteriorQuarterStop.isActive { return .posteriorQuarterReached }
        if s.leakSeenStop.isActive { return .leakSeen }
        if s.forwardEndOfTravel.isActive { return .endOfTravel }
        return .none
    }

    /// Stops that apply while the plunger may move: interlocks, lost link, cement time, the cap.
    mutating func checkStops(_ input: ControllerInputs) {
        let now = input.now
        switch state {
        case .priming:
            let blocked = interlock(input.switches)
            if blocked != .none {
                halt(into: .idle, reason: blocked, at: now)
            }
        case .injecting, .releasing:
            let blocked = interlock(input.switches)
            if blocked != .none {
                if blocked == .endOfTravel { raise(.limitReached, reason: .endOfTravel, at: now) }
                halt(into: .paused, reason: blocked, at: now)
            } else if !hostLinkHealthy(input) {
                hazardStop(.hostLinkLost, at: now)
            } else if workingTimeOver(at: now) {
                hazardStop(.workingTimeExceeded, at: now)
            } else if state == .injecting && budget.remaining < geometry.volumePerStep {
                raise(.limitReached, reason: .capReached, value: budget.cap.rawValue, at: now)
                halt(into: .complete, reason: .capReached, at: now)
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

    /// Hazards watched while injecting: pressure limit, occlusion, leak, consistency.
    /// Returns `false` if injection stopped this tick.
    mutating func checkInjectionHazards(pressure: Kilopascals, flow: MicrolitersPerSecond,
                                        at now: Instant, dt: Interval) -> Bool {
        // A live transducer shows noise; one frozen to the bit while cement is pushed is
        // lying. Count only pushing time, across releases, since the reading last changed.
        if health.pressureUnchangedSince != frozenSince {
            frozenSince = health.pressureUnchangedSince
            frozenPushTime = .zero
        }
        if flow.rawValue > 0 { frozenPushTime = frozenPushTime + dt }
        if frozenPushTime >= configuration.faults.pressureStuckAfter {
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
        if occlusion.observe(at: now, pressure: pressure) {
            hazardStop(.occlusion, value: pressure.rawValue, at: now)
            return false
        }
        if leak.observe(at: now, pressure: pressure, flow: flow) {
            hazardStop(.leakSuspected, value: pressure.rawValue, at: now)
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
