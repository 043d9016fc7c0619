#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock times as text: ISO 8601 in UTC with milliseconds
/// (`2026-12-01T21:30:05.123Z`), computed here without the C library's time zone
/// state so that decoding a capture gives the same text on every machine.
public enum WallClockText {
    /// `microseconds` since 1970-01-01T00:00:00Z, truncated to the millisecond.
    public static func iso8601(microseconds: Int64) -> String {
        let ms = floorDiv(microseconds, 1000)
        let days = floorDiv(ms, 86_400_000)
        let msOfDay = ms - days * 86_400_000
        let (y, m, d) = civil(days: days)
        let h = msOfDay / 3_600_000, min = msOfDay / 60_000 % 60, s = msOfDay / 1000 % 60, frac = msOfDay % 1000
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(min, 2)):\(pad(s, 2)).\(pad(frac, 3))Z"
    }

    /// The current wall-clock time.
    public static func now() -> String {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return iso8601(microseconds: Int64(t.tv_sec) * 1_000_000 + Int64(t.tv_nsec) / 1000)
    }

    /// Year, month, day of a day count since 1970 (Howard Hinnant's `civil_from_days`).
    static func civil(days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
