import InjectorCore

/// Temperature near the spinal canal from the cement's exotherm. Reported, never
/// controlled: the controller cannot act on it, the log keeps it for review.
///
///     T = T_body + ΔT_peak · min(1, V/V_ref) · x_front · g(t),   g(t) = (t/t_p)^m · e^(m(1 − t/t_p))
///
/// g rises from 0 at mixing to 1 at the exotherm peak age t_p and decays after it; the
/// rise scales with the cement mass and with how close the front has come to the
/// posterior wall. A shape, not a heat-transfer solution.
public struct CanalThermalModel: Equatable, Sendable {
    public var bodyTemperature: Celsius
    /// Peak rise near the canal for the reference volume at the posterior wall.
    public var peakRise: Celsius
    /// Cement age at the exotherm peak.
    public var peakAge: Interval
    /// Volume that produces the full rise.
    public var referenceVolume: Microliters
    /// Sharpness m of the pulse (larger: narrower).
    public var pulseSharpness: Double

    /// Defaults: 37 °C; peak rise 20 °C (Belkoff 2003: canal 39–57 °C); peak at 15 min
    /// (estimate: at setting); 4.4 mL reference (brief: cement per level); m = 3 (estimate,
    /// keeps the canal above 50 °C for a few minutes, cf. dwell > 50 °C up to 8 min).
    public init(bodyTemperature: Celsius = Celsius(37), peakRise: Celsius = Celsius(20),
                peakAge: Interval = .minutes(15), referenceVolume: Microliters = .milliliters(4.4),
                pulseSharpness: Double = 3) {
        precondition(peakAge.nanoseconds > 0 && referenceVolume.rawValue > 0 && pulseSharpness > 0,
                     "thermal model parameters must be positive")
        self.bodyTemperature = bodyTemperature
        self.peakRise = peakRise
        self.peakAge = peakAge
        self.referenceVolume = referenceVolume
        self.pulseSharpness = pulseSharpness
    }

    /// Temperature near the canal at a cement age, with `filled` in the body and the front at `frontPosition`.
    public func canalTemperature(age: Interval, filled: Microliters, frontPosition: Double) -> Celsius {
        guard age.nanoseconds > 0, filled.rawValue > 0 else { return bodyTemperature }
        let s = age.seconds / peakAge.seconds
        let pulse = Libm.pow(s, pulseSharpness) * Libm.exp(pulseSharpness * (1 - s))
        let mass = min(1, filled / referenceVolume)
        return bodyTemperature + peakRise * (mass * max(0, min(1, frontPosition)) * pulse)
    }
}
