import InjectorCore

/// Flow of a power-law cement from the needle tip into trabecular bone (Darcy's law).
///
/// Darcy for a power-law fluid in a porous bed (Christopher & Middleman 1965):
///
///     ∇p = H uⁿ,   H = K/(12k) · (9 + 3/n)ⁿ · (150 k φ)^((1 − n)/2)
///
/// (for n = 1 this is Darcy's ∇p = μ u / k). The cement spreads from a cavity of radius
/// r₀ at the tip as a sphere filling the pore space φ, so u = Q/(4πr²) and
///
///     Δp = H (Q/4π)ⁿ · (r_f^(1−2n) − r₀^(1−2n)) / (1 − 2n)
///
/// grows with the front radius r_f, i.e. with filled volume (for n = 1:
/// Δp = μQ/(4πk) · (1/r₀ − 1/r_f)). The marrow displaced ahead of the front is taken as
/// free to leave: its resistance is neglected next to the cement's.
public enum TrabecularDarcy {
    /// Radius of the sphere whose pore space, outside the tip cavity, holds `filled`.
    public static func frontRadius(filled: Microliters, cavityRadius: Millimeters, porosity: Double) -> Millimeters {
        precondition(porosity > 0 && porosity <= 1, "porosity is a fraction")
        let r0 = cavityRadius.meters
        let volume = max(0, filled.cubicMeters)
        return Millimeters(Libm.cbrt(r0 * r0 * r0 + 3 * volume / (4 * Double.pi * porosity)) * 1000)
    }

    /// H/K of the Christopher–Middleman bed, in SI units.
    public static func bedFactor(permeability: SquareMeters, porosity: Double, flowIndex n: Double) -> Double {
        precondition(permeability.rawValue > 0, "permeability must be positive")
        let k = permeability.rawValue
        return 1 / (12 * k) * Libm.pow(9 + 3 / n, n) * Libm.pow(150 * k * porosity, (1 - n) / 2)
    }

    /// The radial integral ∫ r^(−2n) dr from r₀ to r_f, in SI units.
    static func radialIntegral(innerRadius r0: Double, frontRadius rf: Double, flowIndex n: Double) -> Double {
        let exponent = 1 - 2 * n
        if Swift.abs(exponent) < 1e-9 { return Libm.log(rf / r0) }
        return radialIntegral(innerTerm: Libm.pow(r0, exponent), frontRadius: rf, exponent: exponent)
    }

    /// The same integral with r₀^(1−2n) worked out once, so a step pays for one power.
    @inline(__always)
    static func radialIntegral(innerTerm: Double, frontRadius rf: Double, exponent: Double) -> Double {
        (Libm.pow(rf, exponent) - innerTerm) / exponent
    }

    /// G in Δp = K · G · Qⁿ for the spherical front, in SI units. `bedFactor` is
    /// `bedFactor(permeability:porosity:flowIndex:)`, computed once per body.
    static func geometryFactor(bedFactor: Double, innerRadius r0: Double, frontRadius rf: Double,
                               flowIndex n: Double) -> Double {
        bedFactor * Libm.pow(1 / (4 * Double.pi), n) * radialIntegral(innerRadius: r0, frontRadius: rf, flowIndex: n)
    }

    /// Pressure drop from the tip cavity to the cement front at `flow` with `filled` in the body.
    public static func pressureDrop(flow: MicrolitersPerSecond, consistency: PascalSecondsToTheN, flowIndex: Double,
                                    permeability: SquareMeters, porosity: Double,
                                    cavityRadius: Millimeters, filled: Microliters) -> Kilopascals {
        let rf = frontRadius(filled: filled, cavityRadius: cavityRadius, porosity: porosity)
        let g = geometryFactor(bedFactor: bedFactor(permeability: permeability, porosity: porosity, flowIndex: flowIndex),
                               innerRadius: cavityRadius.meters, frontRadius: rf.meters, flowIndex: flowIndex)
        return Kilopascals(pascals: consistency.rawValue * g * Libm.pow(flow.cubicMetersPerSecond, flowIndex))
    }
}
