import Glibc
import InjectorCore
import Synchronization

/// Where the volume ledger lives on the device, and the thread that keeps it there.
///
/// The control tick never touches the disk: it publishes the latest ledger into a
/// mailbox (a lock and a copy), and a writer thread writes it out at most every
/// `writeInterval`: to a temporary file, `fsync`, `rename` over the ledger, `fsync` of
/// the directory, so a power cut leaves the old record or the new one, never half of
/// either. While cement moves the record carries a margin of the fastest flow over
/// one write interval, so a crash between two writes never undercounts; a restart then
/// resumes with a cap at most that margin tighter.
public final class LedgerStore: @unchecked Sendable {
    /// How often the writer wakes: often enough that the margin is a few µL (150 µL/s ×
    /// 50 ms = 7.5 µL), rarely enough that an SD card's fsync (1–20 ms) is a small load.
    public static let writeInterval = Interval.milliseconds(50)

    /// Room for one line of the record (the longest, a volume in µL, is about 40 bytes).
    static let recordLineBytes = 256

    public let path: String
    private let mailbox = Mutex<Pending>(Pending())
    private var thread: pthread_t?
    private let stopping = Atomic<Bool>(false)
    /// Writes that failed (disk full, read-only file system), and the last error.
    public var failures: UInt64 { mailbox.withLock { $0.failures } }
    public var lastError: String? { mailbox.withLock { $0.lastError } }
    public var writes: UInt64 { mailbox.withLock { $0.writes } }

    struct Pending {
        var ledger: VolumeLedger?
        var written: VolumeLedger?
        var writes: UInt64 = 0
        var failures: UInt64 = 0
        var lastError: String?
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(path: String) { self.path = path }

    /// The ledger on disk. A missing file is an error too, unless `allowMissing`: a
    /// deleted ledger must not read as a new session (only `new-session` starts one),
    /// and a file that is not a ledger record is refused: guessing would forget cement.
    public func load(allowMissing: Bool = false) throws(LoadError) -> (ledger: VolumeLedger, isNew: Bool) {
        guard let file = fopen(path, "r") else {
            if errno == ENOENT && allowMissing { return (VolumeLedger(), true) }
            if errno == ENOENT {
                throw LoadError(description: "there is no volume ledger at \(path): a deleted ledger is not a new "
                    + "session. Start one on the device with `injector-firmware new-session --ledger \(path)`")
            }
            throw LoadError(description: "cannot read the volume ledger \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var text = ""
        var buffer = [CChar](repeating: 0, count: Self.recordLineBytes)
        while fgets(&buffer, Int32(buffer.count), file) != nil { text += String(cString: buffer) }
        guard let ledger = VolumeLedger(record: text) else {
            throw LoadError(description: "the volume ledger \(path) is not a ledger record; it is left as it is. "
                + "Inspect it; `injector-firmware new-session --ledger \(path)` archives it and starts a new session")
        }
        return (ledger, false)
    }

    /// The loop's side: the latest ledger (cheap; no I/O).
    public func publish(_ ledger: VolumeLedger) {
        mailbox.withLock { $0.ledger = ledger }
    }

    /// Writes `ledger` now, on the caller's thread (at start and at shutdown).
    public func writeNow(_ ledger: VolumeLedger) {
        let error = Self.write(ledger.record, to: path)
        mailbox.withLock { p in
            if let error { p.failures &+= 1; p.lastError = error } else { p.writes &+= 1; p.written = ledger }
        }
    }

    /// Starts the writer thread.
    public func start() {
        precondition(thread == nil, "started once")
        let box = Unmanaged.passRetained(self)
        var t = pthread_t()
        let created = pthread_create(&t, nil, { raw in
            let store = Unmanaged<LedgerStore>.fromOpaque(raw!).takeRetainedValue()
            store.writerLoop()
            return nil
        }, box.toOpaque())
        precondition(created == 0, "pthread_create: \(created)")
        thread = t
    }

    /// Stops the writer after a last write of what was published.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    private func writerLoop() {
        while true {
            let done = stopping.load(ordering: .acquiring)
            let next: VolumeLedger? = mailbox.withLock { p in p.ledger == p.written ? nil : p.ledger }
            if let next { writeNow(next) }
            if done { return }
            var pause = timespec(tv_sec: 0, tv_nsec: Int(Self.writeInterval.nanoseconds))
            var left = timespec()
            while nanosleep(&pause, &left) != 0 && errno == EINTR { pause = left }
        }
    }

    /// Write, fsync, rename, fsync the directory; the error text, or nil.
    static func write(_ text: String, to path: String) -> String? {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return "open \(temporary): \(String(cString: strerror(errno)))" }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == bytes.count, synced == 0 else { return "write \(temporary): \(String(cString: strerror(errno)))" }
        guard rename(temporary, path) == 0 else { return "rename to \(path): \(String(cString: strerror(errno)))" }
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let dfd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
        return nil
    }
}
