#if canImport(Glibc)
import Glibc
#endif

/// The capture file's 64-byte header, the same layout in both versions; the magic
/// tells them apart.
///
/// ```
/// offset  size  field
///  0      8     magic "INJCAP01" (v1: raw body) or "INJCAP02" (v2: chunked body)
///  8      2     header size (64), u16 little-endian
/// 10      2     reserved, 0
/// 12      8     wall-clock start, ns since 1970 (CLOCK_REALTIME), i64 LE
/// 20      8     monotonic start, ns (CLOCK_MONOTONIC), i64 LE
/// 28      4     baud rate (0 for a pty or socket), u32 LE
/// 32     32     device name, UTF-8, NUL-padded
/// 64      …     body: raw bytes (v1) or chunks (v2, `CaptureChunk`)
/// ```
public struct CaptureHeader: Equatable, Sendable {
    public enum Version: Int, Sendable {
        /// The bytes as they arrived, one direction, no times.
        case v1 = 1
        /// Chunks, each with a direction, a monotonic and a wall-clock time.
        case v2 = 2

        public var magic: [UInt8] { Array((self == .v1 ? "INJCAP01" : "INJCAP02").utf8) }
    }

    /// The v1 magic, kept for readers that only know it.
    public static let magic: [UInt8] = Version.v1.magic
    public static let size = 64
    /// The device name field at offset 32: NUL-padded, so at most 31 bytes of name.
    public static let deviceNameBytes = 32
    public var version: Version
    public var wallClockStartNs: Int64
    public var monotonicStartNs: Int64
    public var baudRate: UInt32
    public var device: String

    public init(version: Version = .v2, wallClockStartNs: Int64, monotonicStartNs: Int64, baudRate: UInt32,
                device: String) {
        self.version = version
        self.wallClockStartNs = wallClockStartNs
        self.monotonicStartNs = monotonicStartNs
        self.baudRate = baudRate
        self.device = device
    }

    public var bytes: [UInt8] {
        var b = version.magic
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
        guard b.count >= Self.size else { return nil }
        let magic = Array(b[0..<8])
        guard let version = [Version.v1, .v2].first(where: { $0.magic == magic }) else { return nil }
        guard littleEndian(b, at: 8, as: UInt16.self) == UInt16(Self.size) else { return nil }
        self.version = version
        wallClockStartNs = littleEndian(b, at: 12, as: Int64.self)
        monotonicStartNs = littleEndian(b, at: 20, as: Int64.self)
        baudRate = littleEndian(b, at: 28, as: UInt32.self)
        device = String(decoding: b[32..<(32 + Self.deviceNameBytes)].prefix { $0 != 0 }, as: UTF8.self)
    }
}

/// Which way a chunk's bytes went, seen from the firmware.
public enum CaptureDirection: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Telemetry, events, answers: what the firmware sent.
    case fromFirmware = 1
    /// Commands, identify requests, heartbeats: what a host sent the firmware.
    case toFirmware = 2

    public var description: String { self == .fromFirmware ? "from-firmware" : "to-firmware" }

    public init?(name: String) {
        guard let d = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = d
    }
}

/// When a chunk arrived, in microseconds: the monotonic clock (for intervals) and the
/// wall clock (for the engineer's notebook), read together.
public struct CaptureTime: Equatable, Sendable {
    public var monotonicUs: Int64
    public var wallClockUs: Int64

    public init(monotonicUs: Int64, wallClockUs: Int64) {
        self.monotonicUs = monotonicUs
        self.wallClockUs = wallClockUs
    }

    /// Both clocks now.
    public static func now() -> CaptureTime {
        CaptureTime(monotonicUs: clockNanoseconds(CLOCK_MONOTONIC) / 1000,
                    wallClockUs: clockNanoseconds(CLOCK_REALTIME) / 1000)
    }
}

/// A v2 body is a sequence of chunks, each a 20-byte header and its bytes:
///
/// ```
/// offset  size  field
///  0      1     direction: 1 from the firmware, 2 to the firmware
///  1      1     reserved, 0
///  2      2     payload length in bytes, 1…65535, u16 LE
///  4      8     monotonic time, µs (CLOCK_MONOTONIC), i64 LE
/// 12      8     wall-clock time, µs since 1970 (CLOCK_REALTIME), i64 LE
/// 20      n     the payload: the link's bytes exactly as read or written
/// ```
/// Header and payload go to the kernel in one `write`, so a killed writer leaves whole
/// chunks; a power cut can leave the last one short, which the reader keeps and reports.
public struct CaptureChunk: Equatable, Sendable {
    public static let headerSize = 20
    public static let maxPayload = Int(UInt16.max)
    public var direction: CaptureDirection
    public var time: CaptureTime
    /// Where the payload sits in `Capture.body`.
    public var range: Range<Int>

    public init(direction: CaptureDirection, time: CaptureTime, range: Range<Int>) {
        self.direction = direction
        self.time = time
        self.range = range
    }

    /// Writes the 20-byte header for `count` payload bytes at `into`.
    static func writeHeader(direction: CaptureDirection, count: Int, time: CaptureTime,
                            into p: UnsafeMutableRawPointer) {
        p.storeBytes(of: direction.rawValue, as: UInt8.self)
        p.storeBytes(of: 0, toByteOffset: 1, as: UInt8.self)
        p.storeBytes(of: UInt16(count).littleEndian, toByteOffset: 2, as: UInt16.self)
        p.storeBytes(of: time.monotonicUs.littleEndian, toByteOffset: 4, as: Int64.self)
        p.storeBytes(of: time.wallClockUs.littleEndian, toByteOffset: 12, as: Int64.self)
    }
}

func littleEndian<T: FixedWidthInteger>(_ b: [UInt8], at: Int, as: T.Type) -> T {
    var v: T = 0
    for i in 0..<MemoryLayout<T>.size { v |= T(truncatingIfNeeded: b[at + i]) << (8 * i) }
    return v
}
