import InjectorCore
import InjectorProtocol

/// Whether the firmware would take an action now, judged from its latest telemetry
/// the way the controller judges it (InjectionController+Commands, MotionDecision):
/// the state first, then what blocks forward motion (e-stop, enable pedal, a latched
/// fault, cement not mixed or outside its working phase). A button is disabled and
/// a key refused with this reason, so the operator reads it before sending. The
/// firmware still has the last word: a command the console let through can be refused.
public enum CommandAvailability {
    public static func check(_ action: ConsoleAction, _ t: TelemetryReport,
                             cement: CementSpec) -> ConsoleProblem? {
        if let problem = stateProblem(action, t.state) { return problem }
        switch action {
        case .prime:
            return interlockProblem(t)
        case .start, .resume:
            return interlockProblem(t) ?? cementProblem(t, cement)
        default:
            return nil
        }
    }

    /// The states each action is accepted in (docs/protocol.md, "What each command may do where").
    static func allowedStates(_ action: ConsoleAction) -> Set<InjectorState>? {
        switch action {
        case .configure: [.idle, .complete]
        case .cementMixed, .cementMixedAgo: Set(InjectorState.allCases).subtracting([.injecting, .releasing])
        case .prime: [.idle]
        case .arm: [.primed]
        case .disarm, .start: [.armed]
        case .pause: [.priming, .injecting, .releasing]
        case .resume: [.paused]
        case .finish: [.priming, .primed, .armed, .injecting, .releasing, .paused]
        case .posteriorQuarter, .leakSeen: [.injecting, .releasing, .paused]
        case .release: Set(InjectorState.allCases).subtracting([.priming, .eStopped])
        case .resetFault: [.faulted]
        case .setRate, .tightenCap, .queryStatus: nil
        }
    }

    private static func stateProblem(_ action: ConsoleAction, _ state: InjectorState) -> ConsoleProblem? {
        guard let allowed = allowedStates(action), !allowed.contains(state) else { return nil }
        return ConsoleProblem(Refusal.notAllowed(in: state).description)
    }

    private static func interlockProblem(_ t: TelemetryReport) -> ConsoleProblem? {
        if t.switches[.eStop].isActive { return ConsoleProblem(Refusal.eStopActive.description) }
        if t.state == .faulted { return ConsoleProblem(Refusal.faultLatched.description) }
        if !t.switches[.enable].isActive { return ConsoleProblem(Refusal.enableNotHeld.description) }
        if t.switches[.posteriorQuarterStop].isActive || t.switches[.leakSeenStop].isActive {
            return ConsoleProblem(Refusal.operatorStopActive.description)
        }
        if t.switches[.forwardEndOfTravel].isActive { return ConsoleProblem(Refusal.endOfTravelActive.description) }
        return nil
    }

    private static func cementProblem(_ t: TelemetryReport, _ cement: CementSpec) -> ConsoleProblem? {
        guard let age = t.timeSinceMixing else { return ConsoleProblem(Refusal.cementNotMixed.description) }
        if age < cement.workingPhaseStart { return ConsoleProblem(Refusal.cementNotReady.description) }
        if age >= cement.workingPhaseEnd { return ConsoleProblem(Refusal.workingTimeExceeded.description) }
        return nil
    }
}
