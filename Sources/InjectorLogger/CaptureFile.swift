#if canImport(Glibc)
import Glibc
#endif

/// The capture file: a 64-byte header, then the link's bytes exactly as they arrived.
///
/// ```
/// offset  size  field
///  0      8     magic "INJCAP01"
///  8      2     header size (64), u16 little-endian
/// 10      2     reserved, 0
/// 12      8     wall-clock start, ns since 1970 (CLOCK_REALTIME), i64 LE
/// 20      8     monotonic start, ns (CLOCK_MONOTONIC), i64 LE
/// 28      4     baud rate (0 for a pty or socket), u32 LE
/// 32     32     device name, UTF-8, NUL-padded
/// 64      …     raw bytes
/// ```
/// The body is never framed or rewritten: whatever was on the wire is kept, garbage
/// included, and a power cut can cost at most the bytes since the last fsync.
public struct CaptureHeader: Equatable, Sendable {
    public static let magic: [UInt8] = Array("INJCAP01".utf8)
    public static let size = 64
    /// The device name field at offset 32: NUL-padded, so at most 31 bytes of name.
    public static let deviceNameBytes = 32
    public var wallClockStartNs: Int64
    public var monotonicStartNs: Int64
    public var baudRate: UInt32
    public var device: String

    public init(wallClockStartNs: Int64, monotonicStartNs: Int64, baudRate: UInt32, device: String) {
        self.wallClockStartNs = wallClockStartNs
        self.monotonicStartNs = monotonicStartNs
        self.baudRate = baudRate
        self.device = device
    }

    public var bytes: [UInt8] {
        var b = Self.magic
        func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { b.append(contentsOf: $0) } }
        le(UInt16(Self.size))
        le(UInt16(0))
        le(wallClockStartNs)
        le(monotonicStartNs)
        le(baudRate)
        var name = Array(device.utf8.prefix(Self.deviceNameBytes - 1))
        name += [UInt8](repeating: 0, count: Self.deviceNameBytes - name.count)
        b += name
        return b
    }

    public init?(_ b: [UInt8]) {
        guard b.count >= Self.size, Array(b[0..<8]) == Self.magic else { return nil }
        func le<T: FixedWidthInteger>(_ at: Int, _: T.Type) -> T {
            var v: T = 0
            for i in 0..<MemoryLayout<T>.size { v |= T(truncatingIfNeeded: b[at + i]) << (8 * i) }
            return v
        }
        guard le(8, UInt16.self) == UInt16(Self.size) else { return nil }
        wallClockStartNs = le(12, Int64.self)
        monotonicStartNs = le(20, Int64.self)
        baudRate = le(28, UInt32.self)
        device = String(decoding: b[32..<(32 + Self.deviceNameBytes)].prefix { $0 != 0 }, as: UTF8.self)
    }
}

/// Why a capture file could not be written or read.
public struct CaptureError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var detail: String
    public var description: String { "\(path): \(detail)" }
    static func errno(_ path: String, _ call: String) -> CaptureError {
        let code = Glibc.errno
        return CaptureError(path: path, detail: "\(call): \(String(cString: strerror(code))) (errno \(code))")
    }
}

/// Appends to a capture file: each chunk goes to the kernel at once (`write`), so a
/// crash of this process loses nothing; `fsync` runs every `syncInterval` and on
/// close, so a power cut loses at most that interval.
public final class CaptureWriter {
    public let path: String
    public let syncInterval: Double
    /// Bytes in the capture's body (including what an earlier run appended).
    public private(set) var bytesWritten: UInt64 = 0
    public private(set) var syncs: UInt64 = 0
    /// The header of the file (the existing one when appending).
    public let header: CaptureHeader
    private var fd: Int32
    private var lastSync: Double
    private var dirty = false

    /// Creates `path` with a new header, or appends to it if it already is a capture.
    public init(path: String, device: String, baudRate: UInt32, syncInterval: Double = 1.0) throws(CaptureError) {
        self.path = path
        self.syncInterval = syncInterval
        let opened = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard opened >= 0 else { throw .errno(path, "open") }
        fd = opened
        lastSync = monotonicSeconds()
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            Glibc.close(fd)
            throw .errno(path, "fstat")
        }
        if info.st_size == 0 {
            header = CaptureHeader(wallClockStartNs: clockNanoseconds(CLOCK_REALTIME),
                                   monotonicStartNs: clockNanoseconds(CLOCK_MONOTONIC),
                                   baudRate: baudRate, device: device)
            do throws(CaptureError) {
                try writeAll(header.bytes)
                try sync()
            } catch {
                Glibc.close(fd)
                throw error
            }
        } else {
            guard let existing = try? CaptureReader.readHeader(path: path) else {
                Glibc.close(fd)
                throw CaptureError(path: path, detail: "exists and is not a capture file; choose another name")
            }
            header = existing
            bytesWritten = UInt64(max(0, Int64(info.st_size) - Int64(CaptureHeader.size)))
        }
    }

    deinit { try? close() }

    /// Appends `bytes` (retrying short writes and EINTR) and syncs if one is due.
    public func append(_ bytes: UnsafeRawBufferPointer) throws(CaptureError) {
        guard bytes.count > 0 else { return }
        try writeAll(bytes)
        bytesWritten += UInt64(bytes.count)
        dirty = true
        try syncIfDue()
    }

    public func append(_ bytes: [UInt8]) throws(CaptureError) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(CaptureError) in try append(raw) } }
        try result.get()
    }

    public func syncIfDue() throws(CaptureError) {
        if dirty && monotonicSeconds() - lastSync >= syncInterval { try sync() }
    }

    /// `fsync`: what was appended is on the disk.
    public func sync() throws(CaptureError) {
        guard fd >= 0 else { return }
        guard fsync(fd) == 0 else { throw .errno(path, "fsync") }
        lastSync = monotonicSeconds()
        dirty = false
        syncs += 1
    }

    public func close() throws(CaptureError) {
        guard fd >= 0 else { return }
        defer { Glibc.close(fd); fd = -1 }
        try sync()
    }

    private func writeAll(_ bytes: [UInt8]) throws(CaptureError) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(CaptureError) in try writeAll(raw) } }
        try result.get()
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(CaptureError) {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw .errno(path, "write")
            }
            offset += n
        }
    }
}

/// Reads capture files.
public enum CaptureReader {
    public static func readHeader(path: String) throws(CaptureError) -> CaptureHeader {
        let bytes = try readFile(path, limit: CaptureHeader.size)
        guard let header = CaptureHeader(bytes) else {
            throw CaptureError(path: path, detail: "not a capture file (no INJCAP01 header)")
        }
        return header
    }

    /// The header and the raw body.
    public static func read(path: String) throws(CaptureError) -> (CaptureHeader, [UInt8]) {
        let bytes = try readFile(path, limit: nil)
        guard let header = CaptureHeader(bytes) else {
            throw CaptureError(path: path, detail: "not a capture file (no INJCAP01 header)")
        }
        return (header, Array(bytes[CaptureHeader.size...]))
    }

    /// Bytes read per fread: 64 KiB, a few pages, amortises the call on multi-MB captures.
    static let readChunkBytes = 1 << 16

    static func readFile(_ path: String, limit: Int?) throws(CaptureError) -> [UInt8] {
        guard let file = fopen(path, "rb") else { throw .errno(path, "fopen") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: Self.readChunkBytes)
        while limit.map({ bytes.count < $0 }) ?? true {
            let n = fread(&chunk, 1, chunk.count, file)
            bytes.append(contentsOf: chunk[0..<n])
            if n < chunk.count {
                if ferror(file) != 0 { throw .errno(path, "fread") }
                break
            }
        }
        if let limit, bytes.count > limit { bytes.removeLast(bytes.count - limit) }
        return bytes
    }
}

func clockNanoseconds(_ clock: clockid_t) -> Int64 {
    var t = timespec()
    clock_gettime(clock, &t)
    return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
}

func monotonicSeconds() -> Double { Double(clockNanoseconds(CLOCK_MONOTONIC)) / 1e9 }
