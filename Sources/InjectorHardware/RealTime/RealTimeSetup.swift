#if canImport(Glibc)
import Glibc
#endif
import CInjectorHardware

/// Makes the calling process fit for a control loop, as far as it is allowed:
/// `mlockall` (no page faults in the loop), `SCHED_FIFO` (not preempted by ordinary
/// processes) and a 1 ns timer slack (the default 50 µs slack delays every wake-up).
/// Each step is attempted and reported; none is fatal, because an unprivileged
/// process on a development machine must still run (with worse timing).
public enum RealTimeSetup {
    public struct Step: Equatable, Sendable, CustomStringConvertible {
        public var name: String
        public var succeeded: Bool
        public var detail: String
        public var description: String { "\(name): \(succeeded ? "ok" : "failed") (\(detail))" }
    }

    public struct Options: Equatable, Sendable {
        public var lockMemory: Bool
        /// `SCHED_FIFO` priority 1–99; `nil` keeps the default scheduler.
        public var fifoPriority: Int32?
        /// Timer slack in ns; `nil` keeps the default (50 000 ns).
        public var timerSlackNanoseconds: UInt?

        public init(lockMemory: Bool = true, fifoPriority: Int32? = 80, timerSlackNanoseconds: UInt? = 1) {
            self.lockMemory = lockMemory
            self.fifoPriority = fifoPriority
            self.timerSlackNanoseconds = timerSlackNanoseconds
        }

        /// Nothing changed: the process as started.
        public static let none = Options(lockMemory: false, fifoPriority: nil, timerSlackNanoseconds: nil)
    }

    /// Applies `options` to the calling thread and process; returns what happened.
    public static func apply(_ options: Options) -> [Step] {
        var steps: [Step] = []
        if options.lockMemory {
            if mlockall(MCL_CURRENT | MCL_FUTURE) == 0 {
                steps.append(Step(name: "mlockall", succeeded: true, detail: "current and future pages locked"))
            } else {
                let code = errno
                steps.append(Step(name: "mlockall", succeeded: false,
                                  detail: "\(systemMessage(code)); needs CAP_IPC_LOCK or a higher `ulimit -l` "
                                    + "(LimitMEMLOCK=infinity in the systemd unit)"))
            }
        }
        if let priority = options.fifoPriority {
            var parameter = sched_param()
            parameter.sched_priority = priority
            if sched_setscheduler(0, SCHED_FIFO, &parameter) == 0 {
                steps.append(Step(name: "SCHED_FIFO", succeeded: true, detail: "priority \(priority)"))
            } else {
                let code = errno
                steps.append(Step(name: "SCHED_FIFO", succeeded: false,
                                  detail: "\(systemMessage(code)); needs CAP_SYS_NICE or an rtprio limit "
                                    + "(LimitRTPRIO=90 in the systemd unit)"))
            }
        }
        if let slack = options.timerSlackNanoseconds {
            if injector_set_timer_slack(slack) == 0 {
                steps.append(Step(name: "timer slack", succeeded: true, detail: "\(injector_get_timer_slack()) ns"))
            } else {
                let code = errno
                steps.append(Step(name: "timer slack", succeeded: false, detail: systemMessage(code)))
            }
        }
        return steps
    }
}
