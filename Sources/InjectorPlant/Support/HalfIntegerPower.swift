/// Raises to a fixed exponent, fast when it is a multiple of ½ (x^2.5 = x·x·√x), as the
/// flow law's 1/n is for the usual power-law indices (0.4 → 2.5, 0.5 → 2, 1 → 1). A
/// step raises flows to 1/n several times, and `pow` was most of its cost.
struct HalfIntegerPower: Equatable, Sendable {
    let exponent: Double
    /// The exponent in halves when it is a small positive multiple of ½, else nil.
    private let halves: Int?

    init(_ exponent: Double) {
        self.exponent = exponent
        let doubled = exponent * 2
        halves = doubled == doubled.rounded() && doubled >= 1 && doubled <= 16 ? Int(doubled) : nil
    }

    /// x raised to the exponent, for x ≥ 0.
    @inline(__always) func callAsFunction(_ x: Double) -> Double {
        guard let halves else { return Libm.pow(x, exponent) }
        var result = halves & 1 == 1 ? x.squareRoot() : 1
        var remaining = halves >> 1
        while remaining > 0 {
            result *= x
            remaining -= 1
        }
        return result
    }
}
