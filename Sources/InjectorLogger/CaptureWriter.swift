#if canImport(Glibc)
import Glibc
#endif

/// When a recording moves on to a new file: after so many bytes, or so many seconds,
/// whichever comes first. A chunk is never split across files, so each file is a
/// whole capture that decodes on its own.
public struct CaptureRotation: Equatable, Sendable {
    /// The smallest size limit: one chunk of the largest payload fits under it.
    public static let minimumBytes: UInt64 = 64 * 1024 + UInt64(CaptureHeader.size + CaptureChunk.headerSize)
    public var maxBytes: UInt64?
    public var maxSeconds: Double?

    public init(maxBytes: UInt64? = nil, maxSeconds: Double? = nil) {
        self.maxBytes = maxBytes
        self.maxSeconds = maxSeconds
    }

    /// The n-th file of a rotated recording: `run.cap` → `run-0001.cap`, `run` → `run-0001`.
    public static func piecePath(_ base: String, _ index: Int) -> String {
        var digits = String(index)
        digits = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        let slash = base.lastIndex(of: "/").map { base.index(after: $0) } ?? base.startIndex
        guard let dot = base[slash...].lastIndex(of: "."), dot > slash else { return base + "-" + digits }
        return base[..<dot] + "-" + digits + base[dot...]
    }

    /// Whether a file of `fileBytes`, open for `openSeconds`, should end before a
    /// chunk of `chunkBytes` more.
    func isDue(fileBytes: UInt64, chunkBytes: Int, openSeconds: Double) -> Bool {
        guard fileBytes > UInt64(CaptureHeader.size) else { return false }
        if let maxBytes, fileBytes + UInt64(chunkBytes) > maxBytes { return true }
        if let maxSeconds, openSeconds >= maxSeconds { return true }
        return false
    }
}

/// Appends chunks to a v2 capture file: each chunk goes to the kernel at once (one
/// `write` of header and payload), so a crash of this process loses nothing; `fsync`
/// runs every `syncInterval` and on close, so a power cut loses at most that interval.
public final class CaptureWriter {
    /// The recording's name as given; with rotation the files are numbered from it.
    public let basePath: String
    /// The file being written now.
    public private(set) var path: String
    public let syncInterval: Double
    public let rotation: CaptureRotation?
    /// Bytes in the current file's body, chunk headers included: the offset the next chunk lands at.
    public private(set) var bytesWritten: UInt64 = 0
    /// Payload bytes appended by this writer, over all its files.
    public private(set) var payloadBytes: UInt64 = 0
    public private(set) var syncs: UInt64 = 0
    /// Every file this writer wrote, in order (one unless rotating).
    public private(set) var files: [String] = []
    /// The header of the current file (the existing one when appending).
    public private(set) var header: CaptureHeader
    private let device: String
    private let baudRate: UInt32
    private var fd: Int32 = -1
    private var pieceIndex = 0
    private var openedAt: Double
    private var lastSync: Double
    private var dirty = false
    /// Header and payload of one chunk, put together for a single `write`.
    private let scratch = UnsafeMutableRawBufferPointer.allocate(
        byteCount: CaptureChunk.headerSize + CaptureChunk.maxPayload, alignment: 8)

    /// Creates `path` with a new header, or appends to it if it already is a v2 capture.
    /// With `rotation` it writes `path`'s numbered files instead, from the first free number.
    public init(path: String, device: String, baudRate: UInt32, syncInterval: Double = 1.0,
                rotation: CaptureRotation? = nil) throws(CaptureError) {
        basePath = path
        self.path = path
        self.syncInterval = syncInterval
        self.rotation = rotation
        self.device = device
        self.baudRate = baudRate
        openedAt = monotonicSeconds()
        lastSync = openedAt
        header = CaptureHeader(wallClockStartNs: 0, monotonicStartNs: 0, baudRate: baudRate, device: device)
        // Every stored property is set: if this throws, deinit runs and frees `scratch`.
        if rotation != nil {
            pieceIndex = 1
            while access(CaptureRotation.piecePath(path, pieceIndex), F_OK) == 0 { pieceIndex += 1 }
            try openFile(CaptureRotation.piecePath(path, pieceIndex))
        } else {
            try openFile(path)
        }
    }

    deinit {
        try? close()
        scratch.deallocate()
    }

    /// Appends `bytes` as chunks of `direction` stamped `time` (now when nil), and
    /// syncs if one is due.
    public func append(_ bytes: UnsafeRawBufferPointer, direction: CaptureDirection = .fromFirmware,
                       at time: CaptureTime? = nil) throws(CaptureError) {
        guard bytes.count > 0 else { return }
        let stamp = time ?? CaptureTime.now()
        var offset = 0
        while offset < bytes.count {
            let n = min(CaptureChunk.maxPayload, bytes.count - offset)
            if let rotation, rotation.isDue(fileBytes: UInt64(CaptureHeader.size) + bytesWritten,
                                             chunkBytes: CaptureChunk.headerSize + n,
                                             openSeconds: monotonicSeconds() - openedAt) {
                try rotate()
            }
            CaptureChunk.writeHeader(direction: direction, count: n, time: stamp, into: scratch.baseAddress!)
            (scratch.baseAddress! + CaptureChunk.headerSize).copyMemory(from: bytes.baseAddress! + offset, byteCount: n)
            try writeAll(UnsafeRawBufferPointer(rebasing: scratch[0..<(CaptureChunk.headerSize + n)]))
            bytesWritten += UInt64(CaptureChunk.headerSize + n)
            payloadBytes += UInt64(n)
            offset += n
        }
        dirty = true
        try syncIfDue()
    }

    public func append(_ bytes: [UInt8], direction: CaptureDirection = .fromFirmware,
                       at time: CaptureTime? = nil) throws(CaptureError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(CaptureError) in try append(raw, direction: direction, at: time) }
        }
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

    /// Ends the current file (synced) and starts the next numbered one.
    private func rotate() throws(CaptureError) {
        try close()
        pieceIndex += 1
        try openFile(CaptureRotation.piecePath(basePath, pieceIndex))
    }

    private func openFile(_ path: String) throws(CaptureError) {
        let opened = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard opened >= 0 else { throw .errno(path, "open") }
        var info = stat()
        guard fstat(opened, &info) == 0 else {
            Glibc.close(opened)
            throw .errno(path, "fstat")
        }
        fd = opened
        self.path = path
        openedAt = monotonicSeconds()
        bytesWritten = 0
        do throws(CaptureError) {
            if info.st_size == 0 {
                header = CaptureHeader(wallClockStartNs: clockNanoseconds(CLOCK_REALTIME),
                                       monotonicStartNs: clockNanoseconds(CLOCK_MONOTONIC),
                                       baudRate: baudRate, device: device)
                let bytes = header.bytes
                let written = bytes.withUnsafeBytes { raw in Result { () throws(CaptureError) in try writeAll(raw) } }
                try written.get()
                try sync()
            } else {
                header = try Self.appendableHeader(path)
                bytesWritten = UInt64(max(0, Int64(info.st_size) - Int64(CaptureHeader.size)))
            }
        } catch {
            Glibc.close(opened)
            fd = -1
            throw error
        }
        files.append(path)
    }

    /// The header of an existing file that new chunks may follow: a v2 capture.
    private static func appendableHeader(_ path: String) throws(CaptureError) -> CaptureHeader {
        guard let existing = try? CaptureReader.readHeader(path: path) else {
            throw CaptureError(path: path, detail: "exists and is not a capture file; choose another name")
        }
        guard existing.version == .v2 else {
            throw CaptureError(path: path, detail: "is a v1 capture (INJCAP01, no chunk times); v2 chunks cannot be appended to it; choose another name")
        }
        return existing
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
