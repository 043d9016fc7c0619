#if canImport(Glibc)
import Glibc
#endif
import InjectorCore

/// A monotonic clock that can also sleep until an absolute time. The control loop
/// reads time only through this, so tests can drive it with a fake.
public protocol MonotonicClock: Sendable {
    func now() -> Instant
    /// Sleeps until `deadline` (absolute); returns early only if it has passed.
    func sleep(until deadline: Instant)
}

/// `CLOCK_MONOTONIC`: `clock_gettime` to read, `clock_nanosleep(TIMER_ABSTIME)` to
/// sleep against absolute deadlines (no drift from the time spent in the tick),
/// retried on `EINTR` until the deadline.
public struct SystemClock: MonotonicClock {
    public init() {}

    @inline(__always) public func now() -> Instant {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Instant(nanoseconds: Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec))
    }

    public func sleep(until deadline: Instant) {
        var target = timespec(tv_sec: Int(deadline.nanoseconds / 1_000_000_000),
                              tv_nsec: Int(deadline.nanoseconds % 1_000_000_000))
        while true {
            // clock_nanosleep returns the error number itself; it does not set errno.
            let result = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil)
            if result != EINTR { return }
        }
    }
}
