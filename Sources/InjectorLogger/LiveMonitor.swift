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
        Counters(opens: reopener.counters.opens, failedOpens: reopener.counters.failedOpens, losses: losses,
                 telemetryFrames: telemetryFrames)
    }
    /// Decoder counts over every connection so far, the current one included.
    public var statistics: ReceiveStatistics {
        var total = closedConnections
        if let channel { total += channel.statistics }
        return total
    }

    private let reopener: DeviceReopener
    private let report: (String) -> Void
    private let output: (String) -> Void
    private var channel: FrameChannel?
    private var closedConnections = ReceiveStatistics()
    private var losses: UInt64 = 0
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
        defer { close() }
        while !shouldStop() {
            guard let current = channel else {
                if let link = reopener.attempt(unless: shouldStop) { channel = FrameChannel(link: link) }
                continue
            }
            do throws(LinkError) {
                try current.receive(timeout: .milliseconds(100), show)
            } catch {
                losses += 1
                close()
                report("lost: \(error); reopening")
            }
        }
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

    private func close() {
        guard let current = channel else { return }
        closedConnections += current.statistics
        current.link.close()
        channel = nil
    }
}
