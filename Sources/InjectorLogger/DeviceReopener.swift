#if canImport(Glibc)
import Glibc
#endif
import InjectorLinks

/// Reads a device that may not be there yet, or may vanish and come back: a USB
/// serial adapter pulled and plugged in again, a simulator restarted on a new pty.
///
/// Each failed open waits a bounded exponential backoff (`initialBackoff`, doubling up
/// to `maximumBackoff`) before the next, and reports a failure only when its text
/// changes, so a device that stays away for an hour leaves one line, not thousands. A
/// success resets the backoff. `read` is the loop both `record` and `live` run.
public final class DeviceReopener {
    /// Bytes taken per read: a 3 Mbaud link delivers about 30 kB in the 100 ms read timeout,
    /// so a read returns several times per timeout at most; 4 KiB is one page.
    static let readBufferBytes = 4096
    public struct Counters: Equatable, Sendable {
        public var opens: UInt64 = 0
        public var failedOpens: UInt64 = 0
        /// Reads ended by a lost device.
        public var losses: UInt64 = 0
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

    /// Reads until `shouldStop()` is true (checked at least every 100 ms), opening the
    /// device and reopening it after a loss. Each chunk goes to `received`; a read that
    /// timed out empty calls `idle`; a lost device is closed, counted and passed to
    /// `lost` before the reopening starts.
    public func read<Failure: Error>(until shouldStop: () -> Bool,
                                     received: (UnsafeRawBufferPointer) throws(Failure) -> Void,
                                     idle: () throws(Failure) -> Void,
                                     lost: (LinkError) throws(Failure) -> Void) throws(Failure) {
        var link: (any ByteLink)?
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferBytes, alignment: 8)
        defer { link?.close(); buffer.deallocate() }
        while !shouldStop() {
            guard let current = link else {
                link = attempt(unless: shouldStop)
                continue
            }
            let n: Int
            do throws(LinkError) {
                n = try current.read(into: buffer, timeout: .milliseconds(100))
            } catch {
                counters.losses += 1
                current.close()
                link = nil
                try lost(error)
                continue
            }
            if n > 0 { try received(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) } else { try idle() }
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
