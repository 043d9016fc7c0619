#if canImport(Glibc)
import Glibc
#endif
import CInjectorHardware
import InjectorCore
import Synchronization

/// A real-time thread that puts each step out at its due time, so the motor sees even
/// steps instead of a burst at the start of every tick.
///
/// It runs `StepIssuer` on the batches the control tick publishes into `queue`, at
/// `SCHED_FIFO` `priority` (above the control loop's 80: a step due now must not wait
/// for a tick to finish), with a 1 ns timer slack of its own (slack is per thread, and
/// the thread may start before `RealTimeSetup`). Without the privilege for SCHED_FIFO
/// it still runs, and `setup` says so.
public final class StepThread: @unchecked Sendable {
    public struct Options: Equatable, Sendable {
        /// `SCHED_FIFO` priority 1–99; `nil` keeps the default scheduler.
        public var priority: Int32?
        /// How long before a due time the sleep ends and a busy spin begins.
        public var spin: Interval
        /// How often an idle thread looks for a batch. The control tick publishes a
        /// batch a whole tick before its first step is due, so this only has to be
        /// well under the tick.
        public var idlePoll: Interval

        public init(priority: Int32? = 85, spin: Interval = .microseconds(20), idlePoll: Interval = .microseconds(200)) {
            self.priority = priority
            self.spin = spin
            self.idlePoll = idlePoll
        }
    }

    public let issuer: StepIssuer
    public let options: Options
    private let running = Atomic<Bool>(true)
    /// 0 while starting, 1 with SCHED_FIFO, 2 without (the errno is in `setupErrno`).
    private let started = Atomic<Int>(0)
    private let setupErrno = Atomic<Int32>(0)
    private var thread: pthread_t?

    public init(queue: StepBatchQueue, output: any StepOutput, options: Options = Options(),
                clock: any MonotonicClock = SystemClock()) {
        issuer = StepIssuer(queue: queue, output: output, clock: clock, spin: options.spin)
        self.options = options
    }

    public var queue: StepBatchQueue { issuer.queue }

    /// Starts the thread and waits until it has set its scheduling; returns what it
    /// got (a failed step if `pthread_create` failed: see `isRunning`).
    public func start() -> RealTimeSetup.Step {
        if thread == nil {
            guard let t = startThread({ self.run() }) else {
                return RealTimeSetup.Step(name: "step thread", succeeded: false, detail: "pthread_create failed")
            }
            thread = t
            while started.load(ordering: .acquiring) == 0 { sched_yield() }
        }
        return setup ?? RealTimeSetup.Step(name: "step thread", succeeded: false, detail: "not started")
    }

    /// Whether the thread was started and not stopped.
    public var isRunning: Bool { thread != nil }

    /// How the thread's scheduling went, once started.
    public var setup: RealTimeSetup.Step? {
        switch started.load(ordering: .acquiring) {
        case 1: RealTimeSetup.Step(name: "step thread SCHED_FIFO", succeeded: true, detail: "priority \(options.priority ?? 0)")
        case 2:
            options.priority == nil
                ? RealTimeSetup.Step(name: "step thread SCHED_FIFO", succeeded: false, detail: "not asked for")
                : RealTimeSetup.Step(name: "step thread SCHED_FIFO", succeeded: false,
                                     detail: "\(systemMessage(setupErrno.load(ordering: .relaxed))); steps go out "
                                        + "on the default scheduler, later and less even")
        default: nil
        }
    }

    /// Stops the thread after the batch in hand and waits for it. Cancel first to
    /// drop what is pending.
    public func stop() {
        running.store(false, ordering: .releasing)
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
    }

    private func run() {
        _ = injector_set_timer_slack(1)
        var fifo = false
        if let priority = options.priority {
            var parameter = sched_param()
            parameter.sched_priority = priority
            let result = pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameter)
            fifo = result == 0
            setupErrno.store(result, ordering: .relaxed)
        }
        started.store(fifo ? 1 : 2, ordering: .releasing)
        let clock = issuer.clock
        while running.load(ordering: .acquiring) {
            if !issuer.issueNext() { clock.sleep(until: clock.now() + options.idlePoll) }
        }
    }

    deinit { running.store(false, ordering: .releasing) }
}
