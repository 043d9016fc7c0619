#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import InjectorLinks

/// Records a link into a capture file without losing what arrived.
///
/// Each read goes straight to the file. When the device vanishes (USB adapter pulled,
/// the other end of a pty closed) the loss is written to the notes file and reported,
/// the capture stays as it is, and the recorder tries to open the device again with a
/// bounded exponential backoff (`initialBackoff` doubling up to `maximumBackoff`);
/// bytes from the new connection are appended to the same capture.
public final class CaptureRecorder {
    public struct Counters: Equatable, Sendable {
        public var bytes: UInt64 = 0
        public var opens: UInt64 = 0
        public var losses: UInt64 = 0
        public var failedOpens: UInt64 = 0
    }

    public let writer: CaptureWriter
    public let notesPath: String
    public let initialBackoff: Double
    public let maximumBackoff: Double
    public private(set) var counters = Counters()
    private let openLink: () throws(LinkError) -> any ByteLink
    private let report: (String) -> Void
    private var notes: UnsafeMutablePointer<FILE>?

    public init(writer: CaptureWriter, initialBackoff: Double = 0.1, maximumBackoff: Double = 2.0,
                open: @escaping () throws(LinkError) -> any ByteLink, report: @escaping (String) -> Void) {
        precondition(initialBackoff > 0 && maximumBackoff >= initialBackoff, "backoff bounds")
        self.writer = writer
        self.notesPath = writer.path + ".notes"
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.openLink = open
        self.report = report
        notes = fopen(notesPath, "a")
    }

    deinit { if let notes { fclose(notes) } }

    /// Records until `shouldStop()` is true (checked at least every 100 ms).
    public func run(shouldStop: () -> Bool) throws(CaptureError) {
        var link: (any ByteLink)?
        var backoff = initialBackoff
        var lastFailure = ""
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
        defer { link?.close(); buffer.deallocate() }
        while !shouldStop() {
            guard let current = link else {
                do throws(LinkError) {
                    link = try openLink()
                    counters.opens += 1
                    note("opened \(link!.name)")
                    backoff = initialBackoff
                    lastFailure = ""
                } catch {
                    counters.failedOpens += 1
                    let text = "\(error)"
                    if text != lastFailure { note("cannot open: \(text); retrying every ≤ \(maximumBackoff) s") }
                    lastFailure = text
                    sleepSeconds(backoff, unless: shouldStop)
                    backoff = min(maximumBackoff, backoff * 2)
                }
                continue
            }
            let n: Int
            do throws(LinkError) {
                n = try current.read(into: buffer, timeout: .milliseconds(100))
            } catch {
                counters.losses += 1
                current.close()
                link = nil
                try writer.sync()
                note("lost: \(error); \(writer.bytesWritten) bytes kept; reopening")
                continue
            }
            if n > 0 {
                try writer.append(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                counters.bytes += UInt64(n)
            } else {
                try writer.syncIfDue()
            }
        }
        try writer.sync()
        note("stopped: \(writer.bytesWritten) bytes in the capture")
    }

    /// A line in the notes file (`<capture>.notes`) and on the report: the monotonic
    /// time, the capture's body offset, and what happened.
    private func note(_ text: String) {
        let line = "t=\(formatSeconds(monotonicSeconds())) offset=\(writer.bytesWritten) \(text)"
        report(line)
        if let notes {
            fputs(line + "\n", notes)
            fflush(notes)
            fsync(fileno(notes))
        }
    }

    private func sleepSeconds(_ s: Double, unless stop: () -> Bool) {
        var left = s
        while left > 0 && !stop() {
            let step = min(left, 0.05)
            usleep(UInt32(step * 1e6))
            left -= step
        }
    }
}

func formatSeconds(_ s: Double) -> String {
    let ms = Int64((s * 1000).rounded())
    let frac = String(ms % 1000)
    return "\(ms / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
}
