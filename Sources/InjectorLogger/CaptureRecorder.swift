#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import InjectorLinks
import InjectorToolSupport

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
        let r = reopener.counters
        return Counters(bytes: bytes, opens: r.opens, losses: r.losses, failedOpens: r.failedOpens)
    }
    private var bytes: UInt64 = 0
    private let notes: CaptureNotes
    private let reopener: DeviceReopener

    /// Which way the recorded bytes go: a tap on the firmware's TX line records
    /// `.fromFirmware`, one on the host's TX line `.toFirmware`.
    public let direction: CaptureDirection

    public init(writer: CaptureWriter, direction: CaptureDirection = .fromFirmware, initialBackoff: Double = 0.1,
                maximumBackoff: Double = 2.0, open: @escaping () throws(LinkError) -> any ByteLink,
                report: @escaping (String) -> Void) {
        self.writer = writer
        self.direction = direction
        let notes = CaptureNotes(writer: writer, report: report)
        self.notes = notes
        reopener = DeviceReopener(initialBackoff: initialBackoff, maximumBackoff: maximumBackoff, open: open,
                                  report: notes.note)
    }

    /// Records until `shouldStop()` is true (checked at least every 100 ms).
    public func run(shouldStop: () -> Bool) throws(CaptureError) {
        try reopener.read(until: shouldStop, received: { (chunk) throws(CaptureError) in
            try writer.append(chunk, direction: direction)
            bytes += UInt64(chunk.count)
        }, idle: { () throws(CaptureError) in
            try writer.syncIfDue()
        }, lost: { (error) throws(CaptureError) in
            try writer.sync()
            notes.note("lost: \(error); \(writer.bytesWritten) bytes kept; reopening")
        })
        try writer.sync()
        notes.note("stopped: \(writer.bytesWritten) bytes in the capture")
    }
}

/// The capture's notes file (`<capture>.notes`): one line per happening — the wall-clock
/// time (ms), the monotonic time, the current file when rotating, its body offset, what
/// happened — on disk before the next byte is recorded, and on the report.
final class CaptureNotes {
    let path: String
    private let writer: CaptureWriter
    private let report: (String) -> Void
    private let file: UnsafeMutablePointer<FILE>?

    init(writer: CaptureWriter, report: @escaping (String) -> Void) {
        self.path = writer.basePath + ".notes"
        self.writer = writer
        self.report = report
        file = fopen(path, "a")
    }

    deinit { if let file { fclose(file) } }

    func note(_ text: String) {
        let piece = writer.rotation == nil ? "" : " file=\(writer.path.split(separator: "/").last ?? "")"
        let line = "t=\(formatSeconds(monotonicSeconds()))\(piece) offset=\(writer.bytesWritten) \(text)"
        report(line)   // the report's own log line carries the wall-clock time
        if let file {
            fputs(WallClockText.now() + " " + line + "\n", file)
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
