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
/// the host screen shows) and sends at most one command: mix, prime, arm, start,
/// finish at the planned volume, and answer pauses by the scenario's policy. Every
/// retry is spaced and counted, so no policy can loop without bound.
struct ConsoleOperator {
    let policy: OperatorPolicy
    let primeAt: Instant
    let startAt: Instant
    static let retrySpacing = Interval.seconds(1)
    static let maxAttempts = 200

    private var mixed = false
    private var nextTry: Instant = .origin
    private var attempts = 0
    private var pauseSeenAt: Instant?
    private var lastState: InjectorState = .idle
    private(set) var resumes = 0
    private(set) var finishSent = false

    init(policy: OperatorPolicy, scheduledStart: Instant) {
        self.policy = policy
        startAt = scheduledStart
        primeAt = scheduledStart - policy.primeLead
    }

    /// The pedal is held from priming on.
    @inline(__always) func holdsPedal(at now: Instant) -> Bool { now >= primeAt }

    /// Whether nothing more will happen: the procedure is over from the operator's side.
    @inline(__always) func isFinished(_ t: ScreenReading) -> Bool {
        if attempts >= Self.maxAttempts { return true }
        switch t.state {
        case .complete, .eStopped: return true
        case .faulted: return policy.onFault == .wait || policy.onFault == .finish || resumes >= policy.maxResumes
        case .paused:
            switch policy.response(to: t.stateReason) {
            case .wait: return true
            case .resume: return resumes >= policy.maxResumes
            case .finish: return false
            }
        default: return false
        }
    }

    /// The command to send this tick, if any.
    mutating func command(at now: Instant, after t: ScreenReading?) -> HostCommand? {
        guard mixed else { mixed = true; return .cementMixed }
        guard let t else { return nil }
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
            let seen = pauseSeenAt ?? now
            pauseSeenAt = seen
            switch policy.response(to: t.stateReason) {
            case .wait:
                return nil
            case .finish:
                return t.state == .paused ? attempt(.stop(.finish), at: now) : nil
            case .resume(let after):
                guard resumes < policy.maxResumes, now >= seen + after else { return nil }
                return attempt(t.state == .faulted ? .resetFault : .resume(acknowledging: t.stateReason), at: now)
            }
        case .priming, .complete, .eStopped:
            return nil
        }
    }

    private mutating func attempt(_ command: HostCommand, at now: Instant) -> HostCommand? {
        guard now >= nextTry, attempts < Self.maxAttempts else { return nil }
        attempts += 1
        nextTry = now + Self.retrySpacing
        return command
    }
}
