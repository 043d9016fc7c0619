#if canImport(Glibc)
import Glibc
#endif
import InjectorCore

/// Real-time pacing for the hardware-in-the-loop plant: one tick per period against
/// absolute deadlines on `CLOCK_MONOTONIC` (`clock_nanosleep(TIMER_ABSTIME)`), so a
/// late wake-up does not shift the schedule. A tick that wakes more than `maxLag`
/// periods late does not try to catch up tick by tick: the skipped ticks are counted
/// and the next deadline is taken from now (the plant then takes one longer step,
/// which its implicit solver allows).
struct TickPacer {
    let period: Interval
    let maxLag: Int64
    private let origin: Int64
    /// Index of the tick whose deadline is waited for next.
    private(set) var tick: Int64 = 0
    private(set) var skippedTicks: Int64 = 0
    /// Wake-ups later than one period after their deadline.
    private(set) var lateTicks: Int64 = 0
    private(set) var worstLateness = Interval.zero

    /// Periods late after which the pacer stops catching up: 50 ms at 1 kHz. A shorter
    /// stall (a busy machine's) is caught up tick by tick, the plant keeping its 1 ms
    /// steps; a longer one would send a burst of stale SimSensors, so the plant takes
    /// one long step instead.
    static let defaultMaxLag: Int64 = 50

    init(period: Interval, maxLag: Int64 = TickPacer.defaultMaxLag) {
        precondition(period.nanoseconds > 0, "period must be positive")
        self.period = period
        self.maxLag = maxLag
        origin = TickPacer.monotonicNanoseconds()
    }

    static func monotonicNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Wall time since the pacer started.
    var elapsed: Interval { Interval(nanoseconds: TickPacer.monotonicNanoseconds() - origin) }

    /// Sleeps until the next tick's deadline; returns that tick's index (its time is
    /// `index × period` after the start). A signal interrupts the sleep early: the
    /// caller checks its stop flag and calls again.
    mutating func waitForNextTick(interrupted: () -> Bool) -> Int64 {
        tick += 1
        let deadline = origin + tick * period.nanoseconds
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while true {
            let result = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil)
            if result == 0 || result != EINTR || interrupted() { break }
        }
        let late = TickPacer.monotonicNanoseconds() - deadline
        if late > worstLateness.nanoseconds { worstLateness = Interval(nanoseconds: late) }
        if late > period.nanoseconds { lateTicks += 1 }
        if late > maxLag * period.nanoseconds {
            let behind = late / period.nanoseconds
            skippedTicks += behind
            tick += behind
        }
        return tick
    }
}
