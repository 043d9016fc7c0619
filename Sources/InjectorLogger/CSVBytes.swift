import InjectorToolSupport

/// A text being built as UTF-8 bytes: the CSV of a long capture has millions of
/// fields, and formatting each through `String` interpolation cost about 35 µs a row
/// (2 MB/s, far below the 15 MB/s a 3 Mbaud link needs at 50×). Digits are written
/// straight into one growing buffer here.
struct CSVBytes {
    var bytes: [UInt8] = []
    /// The date part (`2026-12-01T`) of the last wall time written, and its day.
    private var cachedDay = Int64.min
    private var cachedDate: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ text: [UInt8]) { bytes.append(contentsOf: text) }

    mutating func byte(_ b: UInt8) { bytes.append(b) }

    mutating func comma() { bytes.append(UInt8(ascii: ",")) }

    /// A decimal integer.
    mutating func integer<T: BinaryInteger>(_ value: T) {
        var v = Int64(value)
        if v < 0 {
            bytes.append(UInt8(ascii: "-"))
            v = -v
        }
        digits(UInt64(v), width: 1)
    }

    /// `v` with up to three fraction digits, trailing zeros dropped, no exponent; nothing
    /// for NaN or infinity. The same text as `TelemetryCSV.num`.
    mutating func decimal(_ v: Double) {
        guard v.isFinite else { return }
        let scaled = (v * 1000).rounded()
        if scaled < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = UInt64(abs(scaled))
        digits(magnitude / 1000, width: 1)
        var frac = magnitude % 1000
        guard frac != 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var width = 3
        while frac % 10 == 0 {
            frac /= 10
            width -= 1
        }
        digits(frac, width: width)
    }

    /// ISO 8601, UTC, ms: the same text as `WallClockText.iso8601`, the date cached per day.
    mutating func wallTime(microseconds: Int64) {
        let ms = WallClockText.floorDiv(microseconds, 1000)
        let day = WallClockText.floorDiv(ms, 86_400_000)
        if day != cachedDay {
            cachedDay = day
            cachedDate = Array(WallClockText.iso8601(microseconds: day * 86_400_000_000).utf8.prefix(11))
        }
        bytes.append(contentsOf: cachedDate)
        let msOfDay = UInt64(ms - day * 86_400_000)
        digits(msOfDay / 3_600_000, width: 2)
        bytes.append(UInt8(ascii: ":"))
        digits(msOfDay / 60_000 % 60, width: 2)
        bytes.append(UInt8(ascii: ":"))
        digits(msOfDay / 1000 % 60, width: 2)
        bytes.append(UInt8(ascii: "."))
        digits(msOfDay % 1000, width: 3)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// `v` in decimal, zero-padded to at least `width` digits.
    private mutating func digits(_ v: UInt64, width: Int) {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes: room for 20 digits
        var n = 0
        var rest = v
        withUnsafeMutableBytes(of: &scratch) { buffer in
            repeat {
                buffer[23 - n] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                n += 1
            } while rest > 0
            while n < width {
                buffer[23 - n] = UInt8(ascii: "0")
                n += 1
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - n)...]))
        }
    }
}
