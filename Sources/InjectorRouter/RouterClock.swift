#if canImport(Glibc)
import Glibc
#endif
import InjectorCore

/// CLOCK_MONOTONIC as the core's `Instant`: the router's reopen schedule.
func monotonicInstant() -> Instant {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Instant(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
}

/// Waits while there is no device, so the loop does not spin.
func sleepBriefly(_ interval: Interval) {
    var ts = timespec(tv_sec: 0, tv_nsec: Int(interval.nanoseconds))
    var left = timespec()
    while nanosleep(&ts, &left) != 0 && errno == EINTR { ts = left }
}
