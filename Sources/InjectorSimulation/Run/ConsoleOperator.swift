import InjectorCore

/// What the operator reads off the host screen each tick: the three figures of the
/// controller's telemetry that decisions are taken on (a 24-byte copy, not the 148-byte snapshot).
struct ScreenReading {
    var state: InjectorState
    var stateReason: Reason
    var delivered: Microliters

    @inline(__always) init(_ t: TelemetrySnapshot) {
        state = t.state
        stateReason = t.stateReason
        delivered = t.delivered
    }
}

/// The operator at the host console. Each tick it looks at the last telemetry (what
/// the host screen shows) and sends at most one command: mix at once, then the
/// procedure (`OperatorProcedure`).
struct ConsoleOperator {
    static let maxAttempts = 200
    private var procedure: OperatorProcedure
    private var mixed = false

    init(policy: OperatorPolicy, scheduledStart: Instant) {
        procedure = OperatorProcedure(policy: policy, scheduledStart: scheduledStart, maxAttempts: Self.maxAttempts)
    }

    var policy: OperatorPolicy { procedure.policy }
    var primeAt: Instant { procedure.primeAt }
    var resumes: Int { procedure.resumes }

    /// The pedal is held from priming on.
    @inline(__always) func holdsPedal(at now: Instant) -> Bool { procedure.holdsPedal(at: now) }

    /// Whether nothing more will happen: the procedure is over from the operator's side
    /// (`OperatorProcedure.isFinished`, the scripted host's rule too).
    @inline(__always) func isFinished(_ t: ScreenReading) -> Bool {
        procedure.isFinished(state: t.state, reason: t.stateReason)
    }

    /// The command to send this tick, if any.
    mutating func command(at now: Instant, after t: ScreenReading?) -> HostCommand? {
        guard mixed else { mixed = true; return .cementMixed }
        guard let t else { return nil }
        return procedure.next(at: now, state: t.state, reason: t.stateReason, delivered: t.delivered)
    }
}
