import InjectorCore

/// Physical values in periodic messages travel as `i32` thousandths of the core's
/// unit (nL, Pa, nL/s, 0.001 steps/s): exact for three decimals, four bytes each.
public enum Milli {
    /// The wire value meaning "no value" (a NaN, or a sensor that is not fitted).
    public static let none: Int32 = .min
    /// The largest magnitude a sender puts on the wire; larger values saturate.
    public static let limit: Int32 = .max

    /// Thousandths of `value`, rounded, saturated to ±`limit`; NaN becomes `none`.
    @inlinable public static func encode(_ value: Double) -> Int32 {
        if value.isNaN { return none }
        let scaled = (value * 1000).rounded()
        if scaled >= Double(limit) { return limit }
        if scaled <= -Double(limit) { return -limit }
        return Int32(scaled)
    }

    /// The value of a wire field; `none` decodes as NaN.
    @inlinable public static func decode(_ wire: Int32) -> Double {
        wire == none ? .nan : Double(wire) / 1000
    }

    /// `value` rounded to what the wire can carry, so that a report made from a
    /// snapshot survives a round trip unchanged.
    @inlinable public static func quantized(_ value: Double) -> Double { decode(encode(value)) }
}

/// Integer helpers for counters and intervals that saturate rather than wrap.
enum Saturating {
    static func u16(_ v: UInt32) -> UInt16 { UInt16(clamping: v) }
    static func u16(_ v: Int) -> UInt16 { UInt16(clamping: v) }
    static func i32(_ v: Int64) -> Int32 { Int32(clamping: v) }

    /// An interval as whole milliseconds (truncated), negative meaning "none".
    static func milliseconds(_ interval: Interval?) -> Int32 {
        guard let interval, interval.nanoseconds >= 0 else { return Milli.none }
        return Int32(clamping: interval.nanoseconds / 1_000_000)
    }

    static func interval(milliseconds wire: Int32) -> Interval? {
        wire < 0 ? nil : Interval(nanoseconds: Int64(wire) * 1_000_000)
    }
}
