import InjectorLinks
import InjectorProtocol

/// Watches a link as it runs: a line per telemetry frame (every `every`-th one, as
/// 1 kHz is too fast to read), and every event and NAK.
///
/// A bench session outlives its cables: when the device vanishes the loss is
/// reported and the monitor opens it again with backoff (`DeviceReopener`), as
/// `CaptureRecorder` does; the decoder's counts add up over the connections.
public final class LiveMonitor {
    public struct Counters: Equatable, Sendable {
        public var opens: UInt64 = 0
        public var failedOpens: UInt64 = 0
        public var losses: UInt64 = 0
        public var telemetryFrames: UInt64 = 0
    }

    public let every: Int
    public var counters: Counters {
        let r = reopener.counters
        return Counters(opens: r.opens, failedOpens: r.failedOpens, losses: r.losses, telemetryFrames: telemetryFrames)
    }
    /// Decoder counts over every connection so far, the current one included.
    public var statistics: ReceiveStatistics {
        var total = closedConnections
        total += decoder.statistics
        return total
    }

    private let reopener: DeviceReopener
    private let report: (String) -> Void
    private let output: (String) -> Void
    /// A fresh decoder per connection: a frame cut by a loss is not glued to the next.
    private var decoder = StreamDecoder()
    private var closedConnections = ReceiveStatistics()
    private var telemetryFrames: UInt64 = 0

    /// `report` gets what happens to the device; `output` the lines of the watched link.
    public init(every: Int = 1, initialBackoff: Double = 0.1, maximumBackoff: Double = 2.0,
                open: @escaping () throws(LinkError) -> any ByteLink, report: @escaping (String) -> Void,
                output: @escaping (String) -> Void) {
        precondition(every >= 1, "print at least every frame")
        self.every = every
        self.report = report
        self.output = output
        reopener = DeviceReopener(initialBackoff: initialBackoff, maximumBackoff: maximumBackoff, open: open,
                                  report: report)
    }

    /// Watches until `shouldStop()` is true (checked at least every 100 ms).
    public func run(shouldStop: () -> Bool) {
        reopener.read(until: shouldStop, received: { (chunk) throws(Never) in
            decoder.feed(chunk) { show($0) }
        }, idle: {}, lost: { (error) throws(Never) in
            closedConnections += decoder.statistics
            decoder = StreamDecoder()
            report("lost: \(error); reopening")
        })
    }

    private func show(_ frame: Frame) {
        switch frame.message {
        case .telemetry(let t):
            if telemetryFrames % UInt64(every) == 0 { output(LiveLine.format(t)) }
            telemetryFrames += 1
        case .event(let e): output("  event: \(e)")
        case .nak(let n): output("  nak: \(n.command) \(n.cause)")
        default: break
        }
    }
}
