#if canImport(Glibc)
import Glibc
#endif
import InjectorLinks

/// Opens a device that may not be there yet, or may vanish and come back: a USB
/// serial adapter pulled and plugged in again, a simulator restarted on a new pty.
///
/// Each failed attempt waits a bounded exponential backoff (`initialBackoff`, doubling
/// up to `maximumBackoff`) before the caller tries again, and reports a failure only
/// when its text changes, so a device that stays away for an hour leaves one line, not
/// thousands. A success resets the backoff.
public final class DeviceReopener {
    public struct Counters: Equatable, Sendable {
        public var opens: UInt64 = 0
        public var failedOpens: UInt64 = 0
    }

    public let initialBackoff: Double
    public let maximumBackoff: Double
    public private(set) var counters = Counters()
    private var backoff: Double
    private var lastFailure = ""
    private let openLink: () throws(LinkError) -> any ByteLink
    private let report: (String) -> Void

    public init(initialBackoff: Double = 0.1, maximumBackoff: Double = 2.0,
                open: @escaping () throws(LinkError) -> any ByteLink, report: @escaping (String) -> Void) {
        precondition(initialBackoff > 0 && maximumBackoff >= initialBackoff, "backoff bounds")
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.backoff = initialBackoff
        self.openLink = open
        self.report = report
    }

    /// One attempt. On success the link; on failure `nil`, after waiting the backoff
    /// (cut short as soon as `stop()` is true, checked every 50 ms).
    public func attempt(unless stop: () -> Bool) -> (any ByteLink)? {
        do throws(LinkError) {
            let link = try openLink()
            counters.opens += 1
            report("opened \(link.name)")
            backoff = initialBackoff
            lastFailure = ""
            return link
        } catch {
            counters.failedOpens += 1
            let text = "\(error)"
            if text != lastFailure { report("cannot open: \(text); retrying every ≤ \(maximumBackoff) s") }
            lastFailure = text
            sleep(backoff, unless: stop)
            backoff = min(maximumBackoff, backoff * 2)
            return nil
        }
    }

    private func sleep(_ seconds: Double, unless stop: () -> Bool) {
        var left = seconds
        while left > 0 && !stop() {
            let step = min(left, 0.05)
            usleep(UInt32(step * 1e6))
            left -= step
        }
    }
}
