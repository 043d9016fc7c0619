/// `x.rounded()` (to nearest, ties away from zero) without the C library's `round`,
/// which `Double.rounded()` calls on x86-64 without SSE4.1: the same result for every
/// input, including ties, −0 and values beyond 2⁵¹ (those go to `rounded()`).
///
/// Adding and subtracting 1.5·2⁵² rounds |x| < 2⁵¹ to an integer, ties to even, in the
/// default rounding mode; x minus that integer is exact, so a tie shows as ±0.5 and is
/// moved away from zero; the sign is copied back so that −0.3 gives −0 as `rounded()` does.
@inline(__always) func roundedToNearest(_ x: Double) -> Double {
    guard Swift.abs(x) < 0x1p51 else { return x.rounded() }
    let magic = 0x1.8p52
    var r = (x + magic) - magic
    if Swift.abs(x - r) == 0.5 { r = x + Double(signOf: x, magnitudeOf: 0.5) }
    return Double(signOf: x, magnitudeOf: r)
}

