import InjectorCore

/// What one wait for the next tick found.
public struct TickWake: Equatable, Sendable {
    /// The deadline the tick was due at (the tick's `now` for the controller's schedule).
    public var deadline: Instant
    /// When the loop actually woke.
    public var woke: Instant
    /// Ticks skipped because the previous tick ran past them (0 normally).
    public var missed: Int64

    /// How late the wake-up was.
    public var latency: Interval { woke - deadline }
}

/// Keeps a loop on a fixed period against absolute deadlines.
///
/// Each wait sleeps until the next deadline (`deadline += period`), so the time
/// spent in a tick never accumulates as drift. If a tick overruns one or more whole
/// periods, the missed deadlines are skipped and counted (`overruns`), never run in
/// a burst: a controller that is late should act once on fresh inputs.
public struct TickTimer<Clock: MonotonicClock>: Sendable {
    public let period: Interval
    public let clock: Clock
    public private(set) var nextDeadline: Instant
    public private(set) var ticks: UInt64 = 0
    /// Ticks that ran past their whole period (at least one deadline missed).
    public private(set) var overruns: UInt64 = 0
    /// Deadlines skipped in total.
    public private(set) var missedDeadlines: UInt64 = 0

    public init(period: Interval, clock: Clock, start: Instant? = nil) {
        precondition(period.nanoseconds > 0, "the period must be positive")
        self.period = period
        self.clock = clock
        self.nextDeadline = (start ?? clock.now()) + period
    }

    /// Sleeps until the next deadline and returns how the wake-up went.
    public mutating func waitForNextTick() -> TickWake {
        var now = clock.now()
        var missed: Int64 = 0
        if now - nextDeadline >= period {
            // Overran: skip to the latest deadline not in the future.
            missed = (now - nextDeadline).nanoseconds / period.nanoseconds
            nextDeadline = nextDeadline + period * missed
            overruns &+= 1
            missedDeadlines &+= UInt64(missed)
        }
        if now < nextDeadline {
            clock.sleep(until: nextDeadline)
            now = clock.now()
        }
        let wake = TickWake(deadline: nextDeadline, woke: now, missed: missed)
        nextDeadline = nextDeadline + period
        ticks &+= 1
        return wake
    }
}
