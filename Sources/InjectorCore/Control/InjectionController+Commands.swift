extension InjectionController {
    /// Applies one host command, or refuses it with a specific reason. Either way the
    /// command is logged as an event.
    mutating func handle(_ command: HostCommand, _ input: ControllerInputs) -> CommandReply {
        let refusal = apply(command, input)
        if refusal == .none {
            raise(.commandAccepted, command: command.code, at: input.now)
            return .accepted(command.code)
        }
        raise(.commandRefused, command: command.code, refusal: refusal, at: input.now)
        return .refused(command.code, refusal)
    }

    /// The working-time clock restarts from `now − ago`; never while cement is moving.
    private mutating func recordMixing(at now: Instant, ago: Interval) -> Refusal {
        guard state != .injecting && state != .releasing else { return .notAllowedInState }
        mixedAt = now - ago
        workingTimeWarned = false
        raise(.cementMixed, value: ago.seconds, at: now)
        return .none
    }

    private mutating func apply(_ command: HostCommand, _ input: ControllerInputs) -> Refusal {
        let now = input.now
        switch command {
        case .queryStatus:
            return .none

        case .configureProcedure(let plan):
            guard state == .idle || state == .complete else { return .notAllowedInState }
            guard plan.problems(ceilings: configuration.ceilings).isEmpty else { return .invalidParameter }
            configuration.procedure = plan
            budget = VolumeBudget(configuration: configuration)
            baselineSteps = nil
            consistency = ConsistencyCheck(spec: configuration.faults)
            occlusion.reset()
            releaseCycles = 0
            transition(to: .idle, reason: .hostConfigure, at: now)
            return .none

        case .cementMixed:
            return recordMixing(at: now, ago: .zero)

        case .cementMixedAgo(let ago):
            // Older than the setting time is not cement to inject; a negative age is not a time.
            guard ago >= .zero, ago <= configuration.cement.settingTime else { return .invalidParameter }
            return recordMixing(at: now, ago: ago)

        case .prime:
            guard state == .idle else { return .notAllowedInState }
            let refusal = motionRefusal(input)
            guard refusal == .none else { return refusal }
            primingStartSteps = input.stepPosition
            transition(to: .priming, reason: .hostPrime, at: now)
            return .none

        case .arm:
            guard state == .primed else { return .notAllowedInState }
            guard feedbackProblem == .none else { return .pressureSensorUnhealthy }
            transition(to: .armed, reason: .hostArm, at: now)
            return .none

        case .disarm:
            guard state == .armed else { return .notAllowedInState }
            transition(to: .primed, reason: .hostDisarm, at: now)
            return .none

        case .start:
            guard state == .armed else { return .notAllowedInState }
            let refusal = injectionRefusal(input)
            guard refusal == .none else { return refusal }
            transition(to: .injecting, reason: .hostStart, at: now)
            return .none

        case .pause:
            switch state {
            case .injecting, .releasing: halt(into: .paused, reason: .hostPause, at: now)
            case .priming: halt(into: .idle, reason: .hostPause, at: now)
            default: return .notAllowedInState
            }
            return .none

        case .resume(let acknowledged):
            guard state == .paused else { return .notAllowedInState }
            guard acknowledged == stateReason else { return .acknowledgementMismatch }
            if stateReason == .leakSeen || stateReason == .leakSuspected,
               now - pausedAt < configuration.faults.leakPauseMinimum {
                return .leakPauseNotElapsed
            }
            guard !relief.isActive else { return .reliefInProgress }
            let refusal = injectionRefusal(input)
            guard refusal == .none else { return refusal }
            transition(to: .injecting, reason: .hostResume, at: now)
            return .none

        case .stop(let intent):
            return stop(intent, at: now)

        case .release:
            switch state {
            case .injecting: halt(into: .releasing, reason: .hostRelease, at: now)
            case .priming: return .notAllowedInState
            default: relief.begin(at: now, displaced: budget.displaced, afterStop: true)
            }
            return .none

        case .setRate(let flow):
            guard flow.isFinite, flow.rawValue > 0 else { return .invalidParameter }
            guard flow <= configuration.rates.maxInjectionFlow else { return .exceedsCeiling }
            targetFlow = flow
            raise(.rateChanged, value: flow.rawValue, at: now)
            return .none

        case .tightenCap(let cap):
            guard cap.isFinite, cap >= .zero else { return .invalidParameter }
            guard budget.tighten(to: cap) else { return .wouldRaiseCap }
            raise(.capTightened, value: budget.cap.rawValue, at: now)
            return .none

        case .resetFault:
            guard state == .faulted else { return .notAllowedInState }
            guard feedbackProblem == .none else { return .faultConditionPersists }
            let fault = stateReason
            relief.cancel()
            if baselineSteps == nil {
                transition(to: .idle, reason: .hostResetFault, at: now)
            } else {
                // Resuming then needs the fault named, like any other pause.
                transition(to: .paused, reason: fault, at: now)
            }
            return .none
        }
    }

    private mutating func stop(_ intent: StopIntent, at now: Instant) -> Refusal {
        switch (intent, state) {
        case (.finish, .priming):
            halt(into: .idle, reason: .hostFinish, at: now)
        case (.finish, .primed), (.finish, .armed), (.finish, .injecting), (.finish, .releasing), (.finish, .paused):
            halt(into: .complete, reason: .hostFinish, at: now)
        case (.posteriorQuarterReached, .injecting), (.posteriorQuarterReached, .releasing),
             (.posteriorQuarterReached, .paused):
            halt(into: .paused, reason: .posteriorQuarterReached, at: now)
        case (.leakSeen, .injecting), (.leakSeen, .releasing), (.leakSeen, .paused):
            halt(into: .paused, reason: .leakSeen, at: now)
        default:
            return .notAllowedInState
        }
        return .none
    }

    /// Why the plunger may not move at all now (for priming and injecting alike).
    @inline(__always) func motionRefusal(_ input: ControllerInputs) -> Refusal {
        let s = input.switches
        if s.eStop.isActive { return .eStopActive }
        if state == .faulted { return .faultLatched }
        if feedbackProblem != .none { return .pressureSensorUnhealthy }
        if !s.enable.isActive { return .enableNotHeld }
        if s.posteriorQuarterStop.isActive || s.leakSeenStop.isActive { return .operatorStopActive }
        if s.forwardEndOfTravel.isActive { return .endOfTravelActive }
        return .none
    }

    /// Why injection may not start or resume now.
    @inline(__always) func injectionRefusal(_ input: ControllerInputs) -> Refusal {
        let refusal = motionRefusal(input)
        if refusal != .none { return refusal }
        if !hostLinkHealthy(input) { return .hostLinkLost }
        guard let mixed = mixedAt else { return .cementNotMixed }
        let age = input.now - mixed
        if age < configuration.cement.workingPhaseStart { return .cementNotReady }
        if age >= configuration.cement.workingPhaseEnd { return .workingTimeExceeded }
        if budget.remaining < geometry.volumePerStep { return .capExhausted }
        return .none
    }
}
