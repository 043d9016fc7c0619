import InjectorCore

/// What a plant's parameters fix for the whole run, worked out once in SI units so that
/// a step multiplies by K instead of recomputing geometry.
struct PlantConstants: Sendable {
    /// m³/Pa.
    let compliance: Double
    let flowIndex: Double
    /// G of the needle in Δp = K·G·Qⁿ.
    let needleGeometry: Double
    /// G of each leak channel.
    let leakGeometry: LeakPaths<Double>
    /// m³.
    let deadVolume: Double
    /// Pa.
    let bodyBackPressure: Double
    /// Christopher–Middleman bed factor times (1/4π)ⁿ.
    let bodyFactor: Double
    let cavityRadius: Double
    /// r₀^(1−2n), and 1 − 2n, for the radial integral.
    let cavityTerm: Double
    let radialExponent: Double
    let porosity: Double

    /// Below this filled volume the body's resistance is taken at this volume (m³), so
    /// that the first drop out of the tip meets a finite resistance.
    static let seedVolume = 1e-9

    init(_ p: PlantParameters) {
        let n = p.cement.flowIndex
        compliance = p.syringe.compliance.compliance.rawValue * 1e-9 / 1e3
        flowIndex = n
        needleGeometry = PowerLawTube.geometryFactor(bore: p.needle.bore, length: p.needle.length, flowIndex: n)
        leakGeometry = p.leaks.map {
            PowerLawTube.geometryFactor(bore: $0.channelDiameter, length: $0.channelLength, flowIndex: n)
        }
        deadVolume = p.needle.deadVolume.cubicMeters
        bodyBackPressure = p.body.backPressure.pascals
        bodyFactor = TrabecularDarcy.bedFactor(permeability: p.body.permeability, porosity: p.body.porosity,
                                               flowIndex: n) * Libm.pow(1 / (4 * Double.pi), n)
        cavityRadius = p.body.tipCavityRadius.meters
        radialExponent = 1 - 2 * n
        cavityTerm = Libm.pow(cavityRadius, radialExponent)
        porosity = p.body.porosity
    }

    /// G of the body in Δp = K·G·Qⁿ with `filled` m³ in it.
    @inline(__always) func bodyGeometry(filled: Double) -> Double {
        let r0 = cavityRadius
        let volume = max(filled, Self.seedVolume)
        let rf = Libm.cbrt(r0 * r0 * r0 + 3 * volume / (4 * Double.pi * porosity))
        if Swift.abs(radialExponent) < 1e-9 {
            return bodyFactor * TrabecularDarcy.radialIntegral(innerRadius: r0, frontRadius: rf, flowIndex: flowIndex)
        }
        return bodyFactor * TrabecularDarcy.radialIntegral(innerTerm: cavityTerm, frontRadius: rf,
                                                           exponent: radialExponent)
    }
}
