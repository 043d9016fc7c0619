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
    public var notesPath: String { notes.path }
    public var counters: Counters {
        Counters(bytes: bytes, opens: reopener.counters.opens, losses: losses,
                 failedOpens: reopener.counters.failedOpens)
    }
    private var bytes: UInt64 = 0
    private var losses: UInt64 = 0
    private let notes: CaptureNotes
    private let reopener: DeviceReopener

    public init(writer: CaptureWriter, initialBackoff: Double = 0.1, maximumBackoff: Double = 2.0,
                open: @escaping () throws(LinkError) -> any ByteLink, report: @escaping (String) -> Void) {
        self.writer = writer
        let notes = CaptureNotes(writer: writer, report: report)
        self.notes = notes
        reopener = DeviceReopener(initialBackoff: initialBackoff, maximumBackoff: maximumBackoff, open: open,
                                  report: notes.note)
    }

    /// Records until `shouldStop()` is true (checked at least every 100 ms).
    public func run(shouldStop: () -> Bool) throws(CaptureError) {
        var link: (any ByteLink)?
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
        defer { link?.close(); buffer.deallocate() }
        while !shouldStop() {
            guard let current = link else {
                link = reopener.attempt(unless: shouldStop)
                continue
            }
            let n: Int
            do throws(LinkError) {
                n = try current.read(into: buffer, timeout: .milliseconds(100))
            } catch {
                losses += 1
                current.close()
                link = nil
                try writer.sync()
                notes.note("lost: \(error); \(writer.bytesWritten) bytes kept; reopening")
                continue
            }
            if n > 0 {
                try writer.append(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                bytes += UInt64(n)
            } else {
                try writer.syncIfDue()
            }
        }
        try writer.sync()
        notes.note("stopped: \(writer.bytesWritten) bytes in the capture")
    }
}

/// The capture's notes file (`<capture>.notes`): one line per happening — the monotonic
/// time, the capture's body offset, what happened — on disk before the next byte is
/// recorded, and on the report.
final class CaptureNotes {
    let path: String
    private let writer: CaptureWriter
    private let report: (String) -> Void
    private let file: UnsafeMutablePointer<FILE>?

    init(writer: CaptureWriter, report: @escaping (String) -> Void) {
        self.path = writer.path + ".notes"
        self.writer = writer
        self.report = report
        file = fopen(path, "a")
    }

    deinit { if let file { fclose(file) } }

    func note(_ text: String) {
        let line = "t=\(formatSeconds(monotonicSeconds())) offset=\(writer.bytesWritten) \(text)"
        report(line)
        if let file {
            fputs(line + "\n", file)
            fflush(file)
            fsync(fileno(file))
        }
    }
}

func formatSeconds(_ s: Double) -> String {
    let ms = Int64((s * 1000).rounded())
    let frac = String(ms % 1000)
    return "\(ms / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
}
