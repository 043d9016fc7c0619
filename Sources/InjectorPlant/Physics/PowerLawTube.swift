import InjectorCore

/// Laminar flow of a power-law fluid through a straight round tube: the needle, and
/// the leak channels modelled as equivalent tubes.
///
/// The Rabinowitsch–Mooney solution for a power-law fluid (τ = K γ̇ⁿ) gives the wall
/// shear rate γ̇_w = (3n + 1)/n · Q/(πR³) and the pressure drop
///
///     Δp = 2KL/R · ((3n + 1)/n · Q/(πR³))ⁿ
///
/// which for n = 1, K = μ is Hagen–Poiseuille, Δp = 128 μ L Q/(π D⁴).
public enum PowerLawTube {
    /// Pressure drop across a tube of `bore` and `length` at `flow`.
    public static func pressureDrop(flow: MicrolitersPerSecond, consistency: PascalSecondsToTheN,
                                    flowIndex: Double, bore: Millimeters, length: Millimeters) -> Kilopascals {
        precondition(flow.rawValue >= 0, "flow through a tube is taken as forward only")
        let coefficient = consistency.rawValue
            * geometryFactor(bore: bore, length: length, flowIndex: flowIndex)
        return Kilopascals(pascals: coefficient * Libm.pow(flow.cubicMetersPerSecond, flowIndex))
    }

    /// The flow a pressure drop drives through the tube (the inverse of `pressureDrop`).
    public static func flow(pressureDrop: Kilopascals, consistency: PascalSecondsToTheN,
                            flowIndex: Double, bore: Millimeters, length: Millimeters) -> MicrolitersPerSecond {
        let coefficient = consistency.rawValue
            * geometryFactor(bore: bore, length: length, flowIndex: flowIndex)
        let drop = max(0, pressureDrop.pascals)
        return MicrolitersPerSecond(Libm.pow(drop / coefficient, 1 / flowIndex) * 1e9)
    }

    /// The part of Δp = K · G · Qⁿ that depends only on geometry and n, in SI units
    /// (Pa per Pa·sⁿ per (m³/s)ⁿ). Computed once per tube, so that a time step pays
    /// for one power only.
    public static func geometryFactor(bore: Millimeters, length: Millimeters, flowIndex: Double) -> Double {
        precondition(bore.rawValue > 0 && length.rawValue >= 0, "a tube needs a positive bore")
        precondition(flowIndex > 0 && flowIndex <= 1.5, "power-law index out of the modelled range")
        let radius = bore.meters / 2
        let shearFactor = (3 * flowIndex + 1) / flowIndex / (Double.pi * radius * radius * radius)
        return 2 * length.meters / radius * Libm.pow(shearFactor, flowIndex)
    }

    /// Wall shear rate γ̇_w = (3n + 1)/n · Q/(πR³), in s⁻¹.
    public static func wallShearRate(flow: MicrolitersPerSecond, bore: Millimeters, flowIndex: Double) -> Double {
        let radius = bore.meters / 2
        return (3 * flowIndex + 1) / flowIndex * flow.cubicMetersPerSecond / (Double.pi * radius * radius * radius)
    }

    /// Hagen–Poiseuille for a Newtonian fluid: Δp = 128 μ L Q / (π D⁴).
    /// `viscosity` is in Pa·s.
    public static func newtonianPressureDrop(flow: MicrolitersPerSecond, viscosity: Double,
                                             bore: Millimeters, length: Millimeters) -> Kilopascals {
        let d = bore.meters
        return Kilopascals(pascals: 128 * viscosity * length.meters * flow.cubicMetersPerSecond
                           / (Double.pi * d * d * d * d))
    }
}
