#if canImport(Glibc)
import Glibc
#endif

/// Axis ticks at round numbers (1, 2 or 5 × 10ⁿ apart), the axis widened to the ticks
/// around the data, so a review reads 0, 200, 400 … and not 946.9 or −46.4.
public struct NiceScale: Equatable, Sendable {
    public var lower: Double
    public var upper: Double
    public var step: Double

    /// About `count` intervals over `lo … hi` (a flat range gets a unit around it).
    public init(_ lo: Double, _ hi: Double, count: Int = 5) {
        var lo = lo, hi = hi
        if !(lo.isFinite && hi.isFinite) { (lo, hi) = (0, 1) }
        if hi - lo < 1e-9 * max(1, abs(hi)) { (lo, hi) = (lo - 0.5, hi + 0.5) }
        step = Self.nice((hi - lo) / Double(max(1, count)))
        lower = (lo / step).rounded(.down) * step
        upper = (hi / step).rounded(.up) * step
    }

    /// The nice number at or above `x`: 1, 2, 5 or 10 × a power of ten.
    static func nice(_ x: Double) -> Double {
        let power = pow10(Int(log10(x).rounded(.down)))
        let f = x / power
        let m: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
        return m * power
    }

    static func pow10(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<abs(n) { r *= 10 }
        return n >= 0 ? r : 1 / r
    }

    public var ticks: [Double] {
        let n = Int(((upper - lower) / step).rounded())
        return (0...n).map { (lower / step).rounded() * step + Double($0) * step }
    }

    /// A tick's text: as many decimals as the step needs, no more (`-200`, `0.25`).
    public func label(_ v: Double) -> String {
        let decimals = max(0, -Int(log10(step).rounded(.down)))
        let scale = Self.pow10(decimals)
        let scaled = (v * scale).rounded()
        if scaled == 0 { return "0" }
        let whole = Int64(abs(scaled)) / Int64(scale), frac = Int64(abs(scaled)) % Int64(scale)
        var s = (scaled < 0 ? "−" : "") + "\(whole)"
        if decimals > 0 {
            let f = String(frac)
            s += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return s
    }
}
