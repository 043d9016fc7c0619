/// What forward motion of the plunger would be for.
public enum ForwardMotion: Sendable {
    /// Filling the needle's dead volume.
    case priming
    /// Pushing cement into bone: starting, resuming or continuing an injection.
    case injection
}

/// Why the plunger may not move forward now: the first condition, in priority order,
/// that forbids it. One list, read by every question the controller asks about
/// forward motion: whether `prime`, `start` or `resume` are refused (`refusal`), why a
/// running motion stops (`reason`), and the final guard in `step`.
public enum MotionBlock: Equatable, Sendable {
    case eStop
    case faultLatched
    /// A sensor or input that is not to be trusted (the fault it latches).
    case feedback(Reason)
    case enableReleased
    case posteriorQuarterStop
    case leakSeenStop
    case forwardEndOfTravel
    // Injection only, from here on.
    case hostLinkLost
    case cementNotMixed
    case cementNotReady
    case workingTimeOver
    case capExhausted

    /// The refusal a command that asks for this motion gets.
    public var refusal: Refusal {
        switch self {
        case .eStop: .eStopActive
        case .faultLatched: .faultLatched
        case .feedback: .pressureSensorUnhealthy
        case .enableReleased: .enableNotHeld
        case .posteriorQuarterStop, .leakSeenStop: .operatorStopActive
        case .forwardEndOfTravel: .endOfTravelActive
        case .hostLinkLost: .hostLinkLost
        case .cementNotMixed: .cementNotMixed
        case .cementNotReady: .cementNotReady
        case .workingTimeOver: .workingTimeExceeded
        case .capExhausted: .capExhausted
        }
    }

    /// The reason a motion under way stops for it.
    public var reason: Reason {
        switch self {
        case .eStop: .eStop
        case .faultLatched: .none
        case .feedback(let problem): problem
        case .enableReleased: .enableReleased
        case .posteriorQuarterStop: .posteriorQuarterReached
        case .leakSeenStop: .leakSeen
        case .forwardEndOfTravel: .endOfTravel
        case .hostLinkLost: .hostLinkLost
        case .cementNotMixed, .cementNotReady: .cementNotReady
        case .workingTimeOver: .workingTimeExceeded
        case .capExhausted: .capReached
        }
    }
}

extension InjectionController {
    /// The one motion decision: whether forward motion for `motion` is allowed now,
    /// from the state, the switches, the feedback, the host link, the cement clock and
    /// the budget; `nil` if it is, else the first block in priority order.
    ///
    /// Physical interlocks come first (they win over everything), then latched faults
    /// and untrusted feedback, then the operator's inputs, then what injection alone
    /// needs. Relief in progress and the state machine's own rules (which state may
    /// move at all) are the callers' business; this says whether the world allows it.
    // Inlined, like the other non-mutating readers `step` calls: an out-of-line call from a
    // mutating method passes the whole controller (1.8 kB) as a fresh copy.
    @inline(__always) func forwardBlock(_ motion: ForwardMotion, _ input: ControllerInputs) -> MotionBlock? {
        let s = input.switches
        if s.eStop.isActive { return .eStop }
        if state == .faulted { return .faultLatched }
        let problem = feedbackProblem
        if problem != .none { return .feedback(problem) }
        if !s.enable.isActive { return .enableReleased }
        if s.posteriorQuarterStop.isActive { return .posteriorQuarterStop }
        if s.leakSeenStop.isActive { return .leakSeenStop }
        if s.forwardEndOfTravel.isActive { return .forwardEndOfTravel }
        guard motion == .injection else { return nil }
        if !hostLinkHealthy(input) { return .hostLinkLost }
        guard let mixed = mixedAt else { return .cementNotMixed }
        let age = input.now - mixed
        if age < configuration.cement.workingPhaseStart { return .cementNotReady }
        if age >= configuration.cement.workingPhaseEnd { return .workingTimeOver }
        if budget.remaining < geometry.volumePerStep { return .capExhausted }
        return nil
    }

    /// The final guard: whether this tick may step forward at all. Everything above
    /// should already have stopped a forbidden motion; a `false` here while the rate is
    /// forward is a trip, counted in telemetry (`guardTrips`).
    @inline(__always) func forwardPermitted(_ input: ControllerInputs) -> Bool {
        guard relief.phase == .none else { return false }
        switch state {
        case .priming: return forwardBlock(.priming, input) == nil
        case .injecting: return forwardBlock(.injection, input) == nil
        default: return false
        }
    }
}
