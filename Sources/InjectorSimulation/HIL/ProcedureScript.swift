import InjectorCore
import InjectorProtocol

/// The operator at a console on the far side of a serial link, for
/// `injector-sim serve --drive-procedure`: mixes, primes, arms, starts at the
/// scenario's time, finishes at the planned volume and answers pauses by the
/// scenario's `OperatorPolicy`. It sees only what a console sees, the firmware's
/// Telemetry, and it sends a command only when the previous one has been answered
/// (the server asks it only then), so a command is never stacked behind another.
///
/// Unlike the lockstep operator it cannot assume that what it typed has arrived:
/// mixing is confirmed by the telemetry's time since mixing, every other step by the
/// state that follows; anything refused or lost is tried again a second later.
struct ProcedureScript {
    static let maxAttempts = 300
    private var procedure: OperatorProcedure
    private var progress: (mixed: Bool, state: InjectorState?) = (false, nil)
    /// Mixing is recorded once: its Ack counts even before telemetry shows it.
    private var mixedAccepted = false

    init(policy: OperatorPolicy, scheduledStart: Instant) {
        procedure = OperatorProcedure(policy: policy, scheduledStart: scheduledStart, maxAttempts: Self.maxAttempts)
    }

    var policy: OperatorPolicy { procedure.policy }
    var startAt: Instant { procedure.startAt }
    var attempts: Int { procedure.attempts }
    var resumes: Int { procedure.resumes }
    var finishSent: Bool { procedure.finishSent }

    /// The pedal is held from priming on (the pedal is a switch: the simulator's business).
    func holdsPedal(at now: Instant) -> Bool { procedure.holdsPedal(at: now) }

    /// The next command, or `nil` to wait. `t` is the latest telemetry.
    mutating func next(at now: Instant, after t: TelemetryReport?) -> HostCommand? {
        guard let t else { return nil }
        // Progress (mixing recorded, a new state) allows the next step at once.
        let mixed = mixedAccepted || t.timeSinceMixing != nil
        if mixed != progress.mixed || t.state != progress.state {
            procedure.retryNow(at: now)
            progress = (mixed, t.state)
        }
        // The plant's cement was mixed at the origin of its clock: say so, so that the
        // firmware's working-time clock runs on the cement's own time.
        if !mixed { return procedure.attempt(.cementMixedAgo(now - .origin), at: now) }
        return procedure.next(at: now, state: t.state, reason: t.stateReason, delivered: t.delivered)
    }

    /// The firmware accepted a command.
    mutating func accepted(_ code: CommandCode) {
        if code == .cementMixed || code == .cementMixedAgo { mixedAccepted = true }
    }

    /// Nothing more will happen from the operator's side (`OperatorProcedure.isFinished`,
    /// the lockstep console's rule too).
    func isFinished(_ t: TelemetryReport) -> Bool { procedure.isFinished(state: t.state, reason: t.stateReason) }
}
