/// Where an injection stands. Raw values are stable: they go on the wire.
///
/// ```
/// idle ─prime→ priming ─(dead volume filled)→ primed ─arm→ armed ─start→ injecting ⇄ releasing
///                                                                           │  any stop
///                                                                           ▼
///                                                  paused ─resume(ack)→ injecting, complete
/// any state ─e-stop→ eStopped (latched; local reset only)   any state ─fault→ faulted (latched)
/// ```
public enum InjectorState: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case idle = 0
    case priming = 1
    case primed = 2
    case armed = 3
    case injecting = 4
    case releasing = 5
    case paused = 6
    case complete = 7
    case eStopped = 8
    case faulted = 9

    public var description: String {
        switch self {
        case .idle: "idle"
        case .priming: "priming"
        case .primed: "primed"
        case .armed: "armed"
        case .injecting: "injecting"
        case .releasing: "releasing"
        case .paused: "paused"
        case .complete: "complete"
        case .eStopped: "e-stopped"
        case .faulted: "faulted"
        }
    }

    /// States that hold until something outside the controller clears them.
    public var isLatched: Bool { self == .eStopped || self == .faulted }
}

/// The pressure-relief sub-phase that runs after a release is due or after any stop.
public enum ReliefPhase: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// No relief in progress.
    case none = 0
    /// The screw is backing off to drop pressure.
    case backingOff = 1
    /// Holding still while pressure settles.
    case dwelling = 2

    public var description: String {
        switch self {
        case .none: "none"
        case .backingOff: "backing-off"
        case .dwelling: "dwelling"
        }
    }
}
