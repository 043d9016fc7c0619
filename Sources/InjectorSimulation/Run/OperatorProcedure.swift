import InjectorCore

/// The operator's procedure, one step at a time: prime, arm, start at the scheduled
/// time, finish at the planned volume, and answer pauses and faults by the scenario's
/// policy. Shared by the lockstep console (`ConsoleOperator`) and the scripted host on
/// the far side of a link (`ProcedureScript`), so a policy means the same in both.
/// Every retry is spaced and counted, so no policy can loop without bound.
struct OperatorProcedure {
    let policy: OperatorPolicy
    let primeAt: Instant
    let startAt: Instant
    let maxAttempts: Int
    static let retrySpacing = Interval.seconds(1)

    private var nextTry = Instant(nanoseconds: .min)
    private(set) var attempts = 0
    private(set) var resumes = 0
    private(set) var finishSent = false
    private var pauseSeenAt: Instant?
    private var lastState: InjectorState?

    init(policy: OperatorPolicy, scheduledStart: Instant, maxAttempts: Int) {
        self.policy = policy
        self.maxAttempts = maxAttempts
        startAt = scheduledStart
        primeAt = scheduledStart - policy.primeLead
    }

    /// The pedal is held from priming on.
    @inline(__always) func holdsPedal(at now: Instant) -> Bool { now >= primeAt }

    var attemptsExhausted: Bool { attempts >= maxAttempts }

    /// Whether the operator will send nothing more, seeing `state` for `reason`: the one
    /// rule by which both consoles end a procedure. It follows `next`: finished exactly
    /// when no later screen like this one can get a command out of it (a pause answered
    /// by finishing is not: `stop(finish)` goes out and the state moves on; a fault
    /// answered so is, since a fault cannot be finished from).
    @inline(__always) func isFinished(state: InjectorState, reason: Reason) -> Bool {
        if attemptsExhausted { return true }
        switch state {
        case .complete, .eStopped: return true
        case .paused, .faulted:
            switch policy.response(to: reason) {
            case .wait: return true
            case .finish: return state == .faulted
            case .resume: return resumes >= policy.maxResumes
            }
        default: return false
        }
    }

    /// Progress was seen: the next step may go at once rather than after the spacing.
    mutating func retryNow(at now: Instant) { nextTry = Swift.min(nextTry, now) }

    /// `command`, unless the last try was too recent or the tries are used up.
    mutating func attempt(_ command: HostCommand, at now: Instant) -> HostCommand? {
        guard now >= nextTry, attempts < maxAttempts else { return nil }
        attempts += 1
        nextTry = now + Self.retrySpacing
        return command
    }

    /// The command for what the screen shows now (mixing is the caller's business).
    mutating func next(at now: Instant, state: InjectorState, reason: Reason, delivered: Microliters) -> HostCommand? {
        if state == .injecting && lastState == .paused { resumes += 1 }
        if state != .paused && state != .faulted { pauseSeenAt = nil }
        lastState = state
        switch state {
        case .idle:
            return now >= primeAt ? attempt(.prime, at: now) : nil
        case .primed:
            return attempt(.arm, at: now)
        case .armed:
            return now >= startAt ? attempt(.start, at: now) : nil
        case .injecting, .releasing:
            guard !finishSent, delivered >= policy.plannedVolume else { return nil }
            finishSent = true
            return .stop(.finish)
        case .paused, .faulted:
            let seen = pauseSeenAt ?? now
            pauseSeenAt = seen
            switch policy.response(to: reason) {
            case .wait:
                return nil
            case .finish:
                return state == .paused ? attempt(.stop(.finish), at: now) : nil
            case .resume(let after):
                guard resumes < policy.maxResumes, now >= seen + after else { return nil }
                return attempt(state == .faulted ? .resetFault : .resume(acknowledging: reason), at: now)
            }
        case .priming, .complete, .eStopped:
            return nil
        }
    }
}
