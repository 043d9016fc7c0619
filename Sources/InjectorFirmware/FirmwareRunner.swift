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

    public init(timer: TickTimer<Clock>) { self.timer = timer }

    public enum Ending: Equatable, Sendable {
        case signal(Int32)
        case tickLimit
        case fault(String)
    }

    /// Ticks until stopped; returns why it stopped. The caller shuts the loop down.
    public mutating func run(_ loop: FirmwareLoop, maxTicks: UInt64? = nil) -> Ending {
        var ticks: UInt64 = 0
        while true {
            let signal = stopRequest.load(ordering: .relaxed)
            if signal != 0 { return .signal(signal) }
            if let reason = loop.mustStop { return .fault(reason) }
            if let maxTicks, ticks >= maxTicks { return .tickLimit }
            let wake = timer.waitForNextTick()
            latency.record(wake.latency)
            loop.tick(at: wake.deadline)
            ticks += 1
        }
    }
}
