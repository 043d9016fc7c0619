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
    let policy: OperatorPolicy
    let primeAt: Instant
    let startAt: Instant
    static let retrySpacing = Interval.seconds(1)
    static let maxAttempts = 300

    private var nextTry = Instant(nanoseconds: .min)
    private(set) var attempts = 0
    private(set) var resumes = 0
    private(set) var finishSent = false
    private var pauseSeenAt: Instant?
    private var lastState: InjectorState?
    private var progress: (mixed: Bool, state: InjectorState?) = (false, nil)
    /// Mixing is recorded once: its Ack counts even before telemetry shows it.
    private var mixedAccepted = false

    init(policy: OperatorPolicy, scheduledStart: Instant) {
        self.policy = policy
        startAt = scheduledStart
        primeAt = scheduledStart - policy.primeLead
    }

    /// The pedal is held from priming on (the pedal is a switch: the simulator's business).
    func holdsPedal(at now: Instant) -> Bool { now >= primeAt }

    /// The next command, or `nil` to wait. `t` is the latest telemetry.
    mutating func next(at now: Instant, after t: TelemetryReport?) -> HostCommand? {
        guard let t else { return nil }
        // Progress (mixing recorded, a new state) allows the next step at once.
        let mixed = mixedAccepted || t.timeSinceMixing != nil
        if mixed != progress.mixed || t.state != progress.state {
            nextTry = Swift.min(nextTry, now)
            progress = (mixed, t.state)
        }
        if !mixed { return attempt(.cementMixed, at: now) }
        if t.state == .injecting && lastState == .paused { resumes += 1 }
        if t.state != .paused && t.state != .faulted { pauseSeenAt = nil }
        lastState = t.state
        switch t.state {
        case .idle:
            return now >= primeAt ? attempt(.prime, at: now) : nil
        case .primed:
            return attempt(.arm, at: now)
        case .armed:
            return now >= startAt ? attempt(.start, at: now) : nil
        case .injecting, .releasing:
            guard !finishSent, t.delivered >= policy.plannedVolume else { return nil }
            finishSent = true
            return .stop(.finish)
        case .paused, .faulted:
            if pauseSeenAt == nil { pauseSeenAt = now }
            switch policy.response(to: t.stateReason) {
            case .wait:
                return nil
            case .finish:
                return t.state == .paused ? attempt(.stop(.finish), at: now) : nil
            case .resume(let after):
                guard resumes < policy.maxResumes, now >= pauseSeenAt! + after else { return nil }
                return attempt(t.state == .faulted ? .resetFault : .resume(acknowledging: t.stateReason), at: now)
            }
        case .priming, .complete, .eStopped:
            return nil
        }
    }

    /// The firmware accepted a command.
    mutating func accepted(_ code: CommandCode) {
        if code == .cementMixed { mixedAccepted = true }
    }

    /// Nothing more will happen from the operator's side.
    func isFinished(_ t: TelemetryReport) -> Bool {
        if attempts >= Self.maxAttempts { return true }
        switch t.state {
        case .complete, .eStopped: return true
        case .paused, .faulted:
            switch policy.response(to: t.stateReason) {
            case .wait: return true
            case .finish: return t.state == .faulted
            case .resume: return resumes >= policy.maxResumes
            }
        default: return false
        }
    }

    private mutating func attempt(_ command: HostCommand, at now: Instant) -> HostCommand? {
        guard now >= nextTry, attempts < Self.maxAttempts else { return nil }
        attempts += 1
        nextTry = now + Self.retrySpacing
        return command
    }
}
