#if canImport(Glibc)
import Glibc
#endif

/// Why a capture file could not be written or read.
public struct CaptureError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var detail: String
    public var description: String { "\(path): \(detail)" }

    public init(path: String, detail: String) {
        self.path = path
        self.detail = detail
    }

    static func errno(_ path: String, _ call: String) -> CaptureError {
        let code = Glibc.errno
        return CaptureError(path: path, detail: "\(call): \(String(cString: strerror(code))) (errno \(code))")
    }
}

/// A capture read back: its header, its body, and the body cut into chunks.
public struct Capture: Sendable {
    public var header: CaptureHeader
    public var body: [UInt8]
    /// In file order. A v1 body is one untimed chunk from the firmware.
    public var chunks: [CaptureChunk]
    /// Whether the chunks carry their own times (v2); a v1 chunk has the header's start.
    public var timed: Bool { header.version == .v2 }
    /// What was wrong at the end of a v2 body (a chunk cut short by a power cut, or
    /// bytes that are not a chunk); nil when the body parsed to its end.
    public var damage: String?

    /// Time from the capture's start, in seconds, of a chunk.
    public func secondsFromStart(_ time: CaptureTime) -> Double {
        Double(time.monotonicUs - header.monotonicStartNs / 1000) / 1e6
    }

    /// Parses a header and body read from a file.
    public init(header: CaptureHeader, body: [UInt8]) {
        self.header = header
        self.body = body
        let start = CaptureTime(monotonicUs: header.monotonicStartNs / 1000, wallClockUs: header.wallClockStartNs / 1000)
        switch header.version {
        case .v1:
            chunks = body.isEmpty ? [] : [CaptureChunk(direction: .fromFirmware, time: start, range: 0..<body.count)]
        case .v2:
            (chunks, damage) = Self.parseChunks(body)
        }
    }

    static func parseChunks(_ body: [UInt8]) -> ([CaptureChunk], String?) {
        var chunks: [CaptureChunk] = []
        chunks.reserveCapacity(body.count / 256)
        var at = 0
        while at < body.count {
            guard body.count - at >= CaptureChunk.headerSize else {
                return (chunks, "\(body.count - at) bytes at body offset \(at) are less than a chunk header; ignored")
            }
            guard let direction = CaptureDirection(rawValue: body[at]), body[at + 1] == 0 else {
                return (chunks, "no chunk at body offset \(at) (direction byte \(body[at])); the \(body.count - at) bytes from there are ignored")
            }
            let length = Int(littleEndian(body, at: at + 2, as: UInt16.self))
            let time = CaptureTime(monotonicUs: littleEndian(body, at: at + 4, as: Int64.self),
                                   wallClockUs: littleEndian(body, at: at + 12, as: Int64.self))
            let start = at + CaptureChunk.headerSize
            let end = min(body.count, start + length)
            chunks.append(CaptureChunk(direction: direction, time: time, range: start..<end))
            if start + length > body.count {
                return (chunks, "the last chunk (body offset \(at)) is cut short: \(end - start) of \(length) bytes kept")
            }
            at = end
        }
        return (chunks, nil)
    }
}

/// Reads capture files, v1 and v2.
public enum CaptureReader {
    public static func readHeader(path: String) throws(CaptureError) -> CaptureHeader {
        let bytes = try readFile(path, limit: CaptureHeader.size)
        guard let header = CaptureHeader(bytes) else {
            throw CaptureError(path: path, detail: "not a capture file (no INJCAP01 or INJCAP02 header)")
        }
        return header
    }

    /// The header and the raw body, as stored (chunk headers included in v2).
    public static func read(path: String) throws(CaptureError) -> (CaptureHeader, [UInt8]) {
        let bytes = try readFile(path, limit: nil)
        guard let header = CaptureHeader(bytes) else {
            throw CaptureError(path: path, detail: "not a capture file (no INJCAP01 or INJCAP02 header)")
        }
        return (header, Array(bytes[CaptureHeader.size...]))
    }

    /// The capture, cut into chunks.
    public static func capture(path: String) throws(CaptureError) -> Capture {
        let (header, body) = try read(path: path)
        return Capture(header: header, body: body)
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
