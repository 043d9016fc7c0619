import InjectorCore

/// Numbers as the operator reads them: fixed decimals, no exponent, no locale.
public enum ConsoleFormat {
    public static func number(_ x: Double, decimals: Int = 1) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : (x < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        let whole = Int64(scaled / scale)
        let fraction = Int64(scaled - Double(whole) * scale)
        var text = (x < 0 && scaled != 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: max(0, decimals - digits.count)) + digits
        }
        return text
    }

    /// "m:ss", or "-m:ss" when the time is past.
    public static func minutesSeconds(_ interval: Interval) -> String {
        let total = Int64((abs(interval.seconds)).rounded(.down))
        let seconds = total % 60
        return (interval.nanoseconds < 0 ? "-" : "") + "\(total / 60):" + (seconds < 10 ? "0" : "") + "\(seconds)"
    }

    public static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}
