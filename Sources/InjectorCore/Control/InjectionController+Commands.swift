extension InjectionController {
    /// Applies one host command, or refuses it with a specific reason. Either way the
    /// command is logged as an event. A command the state does not allow is refused
    /// naming that state (`Refusal.notAllowed(in:)`), never with the unnamed value.
    mutating func handle(_ command: HostCommand, _ input: ControllerInputs) -> CommandReply {
        let judged = apply(command, input)
        let refusal = judged == .notAllowedInState ? Refusal.notAllowed(in: state) : judged
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
            return configure(plan, input)
        case .cementMixed:
            return recordMixing(at: now, ago: .zero)
        case .cementMixedAgo(let ago):
            // Older than the setting time is not cement to inject; a negative age is not a time.
            guard ago >= .zero, ago <= configuration.cement.settingTime else { return .invalidParameter }
            return recordMixing(at: now, ago: ago)
        case .prime:
            return prime(input)
        case .arm:
            guard state == .primed else { return .notAllowedInState }
            guard feedbackProblem == .none else { return .pressureSensorUnhealthy }
            // A wrong bore or dead volume would count the cap in the wrong volume (issue 9 finding 2).
            checkSyringeSize(input)
            guard geometryFinding == nil else { return .geometryMismatch }
            transition(to: .armed, reason: .hostArm, at: now)
            return .none
        case .disarm:
            guard state == .armed else { return .notAllowedInState }
            transition(to: .primed, reason: .hostDisarm, at: now)
            return .none
        case .start:
            guard state == .armed else { return .notAllowedInState }
            if let block = forwardBlock(.injection, input) { return block.refusal }
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
            return resume(acknowledging: acknowledged, input)
        case .stop(let intent):
            return stop(intent, at: now)
        case .release:
            return release(at: now)
        case .setRate(let flow):
            guard flow.isFinite, flow.rawValue > 0 else { return .invalidParameter }
            guard flow <= configuration.rates.maxInjectionFlow else { return .exceedsCeiling }
            targetFlow = flow
            raise(.rateChanged, value: flow.rawValue, at: now)
            return .none
        case .tightenCap(let cap):
            guard cap.isFinite, cap >= .zero else { return .invalidParameter }
            guard budget.tighten(to: cap) else { return .wouldRaiseCap }
            ledger.lowerLevelCeiling(toRunningCap: budget.cap)
            raise(.capTightened, value: budget.cap.rawValue, at: now)
            return .none
        case .resetFault:
            return resetFault(at: now)
        }
    }

    /// A new plan. What the running budget committed stays in the ledger: the new
    /// budget's cap is the plan's less the level's earlier rounds (and within the
    /// session ceiling and the level's ceiling, set by a hazard stop or `tightenCap`),
    /// so no plan resets the cap. In a level already primed the needle
    /// is still full and in bone: the controller goes straight to primed, counting
    /// displacement from here, instead of priming again.
    private mutating func configure(_ plan: ProcedurePlan, _ input: ControllerInputs) -> Refusal {
        guard state == .idle || state == .complete else { return .notAllowedInState }
        guard plan.problems(ceilings: configuration.ceilings).isEmpty else { return .invalidParameter }
        ledger.close(budgetCommitted: budget.committed)
        if newLevelRequested {
            ledger.beginNewLevel()
            leakRecovery.reset()
            newLevelRequested = false
        }
        configuration.procedure = plan
        budget = VolumeBudget(configuration: configuration, ledger: ledger)
        consistency = ConsistencyCheck(spec: configuration.faults)
        occlusion.reset()
        releaseCycles = 0
        if ledger.levelPrimed {
            baselineSteps = input.stepPosition
            transition(to: .primed, reason: .levelStillPrimed, at: input.now)
        } else {
            baselineSteps = nil
            transition(to: .idle, reason: .hostConfigure, at: input.now)
        }
        return .none
    }

    private mutating func prime(_ input: ControllerInputs) -> Refusal {
        guard state == .idle else { return .notAllowedInState }
        guard !ledger.levelPrimed else { return .levelAlreadyPrimed }
        if let block = forwardBlock(.priming, input) { return block.refusal }
        // The relief after a stop finishes first: priming into its dwell would push against it.
        guard !relief.isActive else { return .reliefInProgress }
        // A new priming measures the needle afresh; a syringe the clamp contradicts is
        // found before any cement moves.
        geometryFinding = nil
        checkSyringeSize(input)
        guard geometryFinding == nil else { return .geometryMismatch }
        fillWatch = NeedleFillWatch(configuration)
        areaWatch = PlungerAreaWatch()
        primingStartSteps = input.stepPosition
        transition(to: .priming, reason: .hostPrime, at: input.now)
        return .none
    }

    private mutating func resume(acknowledging acknowledged: Reason, _ input: ControllerInputs) -> Refusal {
        let now = input.now
        guard state == .paused else { return .notAllowedInState }
        guard acknowledged == stateReason else { return .acknowledgementMismatch }
        if stateReason == .leakSeen || stateReason == .leakSuspected,
           now - pausedAt < configuration.faults.leakPauseMinimum {
            return .leakPauseNotElapsed
        }
        guard !relief.isActive else { return .reliefInProgress }
        if let block = forwardBlock(.injection, input) { return block.refusal }
        transition(to: .injecting, reason: .hostResume, at: now)
        return .none
    }

    private mutating func release(at now: Instant) -> Refusal {
        switch state {
        case .injecting: halt(into: .releasing, reason: .hostRelease, at: now)
        // Nothing moves while e-stopped, backwards included (invariant 4: the link never
        // starts motion against a physical interlock).
        case .priming, .eStopped: return .notAllowedInState
        default:
            relief.begin(at: now, displaced: budget.displaced, afterStop: true, pressureTrusted: pressureTrustedForRelief)
        }
        return .none
    }

    /// Clears a latched fault whose condition has gone. The relief of the stop that
    /// latched it carries on: a reset acknowledges the fault, it does not undo the stop,
    /// and cutting the back-off short would leave the syringe's stored volume to flow on.
    /// Resuming and priming wait for it (`reliefInProgress`), as after any stop.
    private mutating func resetFault(at now: Instant) -> Refusal {
        guard state == .faulted else { return .notAllowedInState }
        guard feedbackProblem == .none else { return .faultConditionPersists }
        let fault = stateReason
        if baselineSteps == nil {
            transition(to: .idle, reason: .hostResetFault, at: now)
        } else {
            // Resuming then needs the fault named, like any other pause.
            transition(to: .paused, reason: fault, at: now)
        }
        return .none
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
}
