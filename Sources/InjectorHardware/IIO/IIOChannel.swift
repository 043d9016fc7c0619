#if canImport(Glibc)
import Glibc
#endif

/// One voltage channel of an IIO ADC in sysfs:
/// `<root>/iio:deviceN/in_voltageK_raw`, `…_scale` (mV per count) and, if present,
/// `…_offset`. The millivolts are `(raw + offset) * scale` (the kernel's IIO ABI).
///
/// The raw file stays open and is re-read with `pread` at offset 0, which makes the
/// driver take a new conversion; scale and offset are read once, at open.
public final class IIOChannel: @unchecked Sendable {
    public let rawPath: String
    /// mV per count: from `_scale`, or from the board file when it overrides it.
    public let scale: Double
    public let offset: Double
    private var fd: Int32

    /// Opens `in_voltage<channel>_raw` of `device` ("iio:device0") under `root`.
    public init(root: String = "/sys/bus/iio/devices", device: String, channel: Int,
                scaleOverride: Double? = nil) throws(HardwareError) {
        let base = "\(root)/\(device)/in_voltage\(channel)"
        rawPath = base + "_raw"
        let deviceDirectory = "\(root)/\(device)"
        var info = stat()
        guard stat(deviceDirectory, &info) == 0 else {
            let present = Self.listDevices(root: root)
            throw HardwareError.fromErrno(errno, call: "stat", device: deviceDirectory, advice: present.isEmpty
                ? "No IIO devices under \(root): load the ADC's driver (for an ADS1115: `dtoverlay=ads1115` in config.txt) "
                    + "and check `ls \(root)`"
                : "IIO devices present: \(present.joined(separator: ", ")); set pressure.device in the board file")
        }
        let opened = open(rawPath, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else {
            throw HardwareError.fromErrno(errno, call: "open", device: rawPath,
                                          advice: "Check that the ADC has channel \(channel) (`ls \(deviceDirectory)`)")
        }
        fd = opened
        do throws(HardwareError) {
            if let scaleOverride {
                scale = scaleOverride
            } else {
                scale = try Self.readNumber(base + "_scale")
            }
            var o = 0.0
            if access(base + "_offset", F_OK) == 0 { o = try Self.readNumber(base + "_offset") }
            offset = o
        } catch {
            Glibc.close(opened)
            throw error
        }
        guard scale.isFinite, scale > 0 else {
            Glibc.close(opened)
            throw HardwareError(.configuration, device: base + "_scale", detail: "scale \(scale) is not a positive number",
                                advice: "Set pressure.scale in the board file to the ADC's mV per count")
        }
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// A new conversion, in counts.
    public func readRaw() throws(HardwareError) -> Int {
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))  // 32 bytes, no allocation
        let count = withUnsafeMutableBytes(of: &buffer) { raw -> Int in
            while true {
                let n = pread(fd, raw.baseAddress, raw.count, 0)
                if n < 0 && errno == EINTR { continue }
                return n
            }
        }
        guard count > 0 else {
            throw count == 0 ? HardwareError(.io, device: rawPath, detail: "read: empty")
                : HardwareError.fromErrno(errno, call: "pread", device: rawPath)
        }
        let value = withUnsafeBytes(of: &buffer) { Self.parseInteger(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        guard let value else { throw HardwareError(.io, device: rawPath, detail: "read: not an integer") }
        return value
    }

    /// A new conversion, in millivolts.
    public func readMillivolts() throws(HardwareError) -> Double {
        (Double(try readRaw()) + offset) * scale
    }

    /// A decimal integer with optional sign, surrounding whitespace and newline.
    static func parseInteger(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        var negative = false
        if i < bytes.count, bytes[i] == 0x2D || bytes[i] == 0x2B { negative = bytes[i] == 0x2D; i += 1 }
        var value = 0
        var digits = 0
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(bytes[i] - 0x30))
            guard !o1, !o2 else { return nil }
            value = a
            digits += 1
            i += 1
        }
        while i < bytes.count, bytes[i] == 0x0A || bytes[i] == 0x20 || bytes[i] == 0x0D || bytes[i] == 0 { i += 1 }
        guard digits > 0, i == bytes.count else { return nil }
        return negative ? -value : value
    }

    /// A whole small sysfs file as a number ("0.187500000\n").
    static func readNumber(_ path: String) throws(HardwareError) -> Double {
        guard let file = fopen(path, "r") else { throw HardwareError.fromErrno(errno, call: "fopen", device: path) }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 64)
        guard fgets(&line, Int32(line.count), file) != nil else {
            throw HardwareError(.io, device: path, detail: "read: empty")
        }
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .filter { !$0.isWhitespace }
        guard let value = Double(text), value.isFinite else {
            throw HardwareError(.io, device: path, detail: "read: \"\(text)\" is not a number")
        }
        return value
    }

    /// `iio:device*` entries under `root`.
    public static func listDevices(root: String) -> [String] {
        guard let dir = opendir(root) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasPrefix("iio:device") { names.append(name) }
        }
        return names.sorted()
    }
}
