/// Raises to a fixed exponent, fast when it is a multiple of ½ (x^2.5 = x·x·√x), as the
/// flow law's 1/n is for the usual power-law indices (0.4 → 2.5, 0.5 → 2, 1 → 1). A
/// step raises flows to 1/n several times, and `pow` was most of its cost.
///
/// Built once per plant (`PlantConstants.inverseIndex`): working out whether the exponent
/// is a multiple of ½ calls the C library's `round`, which cost as much as the power.
struct HalfIntegerPower: Equatable, Sendable {
    let exponent: Double
    /// The exponent in halves when it is a small positive multiple of ½, else 0.
    let halves: Int

    init(_ exponent: Double) {
        self.exponent = exponent
        let doubled = exponent * 2
        halves = doubled == doubled.rounded() && doubled >= 1 && doubled <= 16 ? Int(doubled) : 0
    }

    /// x raised to the exponent, for x ≥ 0.
    @inline(__always) func callAsFunction(_ x: Double) -> Double {
        // The usual cases written out (same operations, in the same order, as the loop below).
        switch halves {
        case 5: return x.squareRoot() * x * x
        case 2: return x
        case 4: return x * x
        case 0: return Libm.pow(x, exponent)
        default: break
        }
        var result = halves & 1 == 1 ? x.squareRoot() : 1
        var remaining = halves >> 1
        while remaining > 0 {
            result *= x
            remaining -= 1
        }
        return result
    }
}
