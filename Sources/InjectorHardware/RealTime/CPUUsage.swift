#if canImport(Glibc)
import Glibc
#endif
import InjectorCore

/// CPU time used so far: the calling thread's (`CLOCK_THREAD_CPUTIME_ID`), and the
/// whole process's split into user and kernel time (`getrusage`). The difference of two
/// readings over a run, divided by its ticks, is the CPU per tick the target
/// (5 µs) is about.
public struct CPUUsage: Equatable, Sendable {
    public var thread: Interval
    public var processUser: Interval
    public var processSystem: Interval

    public init(thread: Interval, processUser: Interval, processSystem: Interval) {
        self.thread = thread
        self.processUser = processUser
        self.processSystem = processSystem
    }

    public static func now() -> CPUUsage {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func interval(_ v: timeval) -> Interval { .microseconds(Int64(v.tv_sec) * 1_000_000 + Int64(v.tv_usec)) }
        return CPUUsage(thread: Interval(nanoseconds: Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)),
                        processUser: interval(usage.ru_utime), processSystem: interval(usage.ru_stime))
    }

    public static func - (a: CPUUsage, b: CPUUsage) -> CPUUsage {
        CPUUsage(thread: a.thread - b.thread, processUser: a.processUser - b.processUser,
                 processSystem: a.processSystem - b.processSystem)
    }

    /// "control thread 3.1 µs, process 5.0 µs (user 2.0, kernel 3.0) per tick".
    public func perTick(_ ticks: UInt64) -> String {
        guard ticks > 0 else { return "no ticks" }
        func us(_ i: Interval) -> String {
            let tenths = Int((Double(i.nanoseconds) / 100 / Double(ticks)).rounded())
            return "\(tenths / 10).\(tenths % 10)"
        }
        return "control thread \(us(thread)) µs, process \(us(processUser + processSystem)) µs "
            + "(user \(us(processUser)), kernel \(us(processSystem))) per tick"
    }
}
