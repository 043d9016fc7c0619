import InjectorCore
import InjectorHardware
import Logging
import Synchronization

/// Set from a signal handler (SIGINT, SIGTERM); the loop checks it every tick.
public let stopRequest = Atomic<Int32>(0)

/// Runs a `FirmwareLoop` on a `TickTimer`: one tick per period against absolute
/// deadlines, until a signal, a tick limit or the loop itself asks to stop. The tick's
/// `now` is the deadline, so the controller's schedule does not carry the wake-up
/// jitter; the wake-up latency is measured and summarised.
public struct FirmwareRunner<Clock: MonotonicClock> {
    public var timer: TickTimer<Clock>
    public private(set) var latency = LatencyHistogram()

    /// systemd's notification socket, when the service runs under `Type=notify`.
    public let notifier: ServiceNotifier?
    private var feed: WatchdogFeed?
    /// Healthy ticks that fed the watchdog, and ticks that were not healthy.
    public private(set) var watchdogFeeds: UInt64 = 0
    public private(set) var unhealthyTicks: UInt64 = 0
    /// CPU used by the last `run` (the control thread, and the whole process), and its ticks.
    public private(set) var cpu = CPUUsage(thread: .zero, processUser: .zero, processSystem: .zero)
    public private(set) var ticksRun: UInt64 = 0

    public init(timer: TickTimer<Clock>, notifier: ServiceNotifier? = nil) {
        self.timer = timer
        self.notifier = notifier
        feed = notifier?.watchdogInterval.map { WatchdogFeed(interval: $0) }
    }

    public enum Ending: Equatable, Sendable {
        case signal(Int32)
        case tickLimit
        case fault(String)
    }

    /// Ticks until stopped; returns why it stopped. The caller shuts the loop down.
    public mutating func run(_ loop: FirmwareLoop, maxTicks: UInt64? = nil) -> Ending {
        var ticks: UInt64 = 0
        let start = CPUUsage.now()
        notifier?.notify("READY=1")
        defer {
            notifier?.notify("STOPPING=1")
            cpu = CPUUsage.now() - start
            ticksRun = ticks
        }
        while true {
            let signal = stopRequest.load(ordering: .relaxed)
            if signal != 0 { return .signal(signal) }
            if let reason = loop.mustStop { return .fault(reason) }
            if let maxTicks, ticks >= maxTicks { return .tickLimit }
            let wake = timer.waitForNextTick()
            latency.record(wake.latency)
            loop.tick(at: wake.deadline)
            ticks += 1
            let healthy = Self.isHealthy(loop, latency: wake.latency, period: timer.period)
            if healthy { loop.io.tickWasHealthy() } else { unhealthyTicks &+= 1 }
            feedWatchdog(healthy: healthy, at: wake.deadline)
        }
    }

    /// A tick is healthy when it woke within one period of its deadline and its outputs
    /// were applied: only then does the charge pump get an edge and systemd hear that
    /// the firmware is alive.
    private mutating func feedWatchdog(healthy: Bool, at now: Instant) {
        guard healthy, let notifier, feed != nil else { return }
        if feed!.healthyTick(at: now), notifier.notify("WATCHDOG=1") { watchdogFeeds &+= 1 }
    }

    static func isHealthy(_ loop: FirmwareLoop, latency: Interval, period: Interval) -> Bool {
        loop.mustStop == nil && loop.counters.consecutiveOutputFailures == 0 && latency < period
    }
}
