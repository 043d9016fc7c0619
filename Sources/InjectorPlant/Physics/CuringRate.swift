import InjectorCore

/// How fast PMMA cement cures at a temperature: the cement's clock (its age as the
/// rheology counts it) runs at r(T) = exp((T − T_ref)/θ) times real time.
///
/// The rheology's ages (K(t), the setting age) are the cement's at `referenceTemperature`,
/// the syringe on the operating-room table. Calibrated so that a setting at 15 min at
/// 21 °C (brief: 10–15 min at room temperature) becomes 11 min at 37 °C (Hindawi ISRN
/// 2011, hardening in the body): θ = 16 K / ln(15/11) = 51.6 K, a factor 1.36 from
/// 21 to 37 °C. Nicholas 2007 reports the curing rate about doubling from 25 to 37 °C,
/// which with the brief's 15 min would give 6 min at 37 °C; the two sources disagree,
/// and this model keeps the two setting times (docs/simulator.md, "Curing temperature").
public struct CuringRate: Equatable, Sendable {
    /// The temperature the rheology's ages are measured at.
    public var referenceTemperature: Celsius
    /// θ: the clock runs e times faster every θ above the reference.
    public var temperatureScale: Celsius
    /// The syringe's (and the needle's) temperature in this run.
    public var syringeTemperature: Celsius

    public init(referenceTemperature: Celsius = Celsius(21), temperatureScale: Celsius = Celsius(51.6),
                syringeTemperature: Celsius = Celsius(21)) {
        precondition(temperatureScale.rawValue > 0, "the curing temperature scale must be positive")
        self.referenceTemperature = referenceTemperature
        self.temperatureScale = temperatureScale
        self.syringeTemperature = syringeTemperature
    }

    /// r(T): how many reference seconds of curing one second at `temperature` is worth.
    public func rate(at temperature: Celsius) -> Double {
        Libm.exp((temperature.rawValue - referenceTemperature.rawValue) / temperatureScale.rawValue)
    }

    /// The syringe's clock rate, r(T_syringe) (1 at the reference temperature).
    public var syringeRate: Double { rate(at: syringeTemperature) }

    /// Real time after mixing at which cement kept at `temperature` from mixing reaches
    /// the reference age `age` (for example its setting age).
    public func realAge(reaching age: Interval, at temperature: Celsius) -> Interval {
        .seconds(age.seconds / rate(at: temperature))
    }

    /// Real age at which cement that spent `until` at the syringe's temperature and then
    /// lay at `temperature` (the body's 37 °C) reaches the reference age `age`.
    public func realAge(reaching age: Interval, movedAt until: Interval, to temperature: Celsius) -> Interval {
        let before = until.seconds * syringeRate
        guard before < age.seconds else { return .seconds(age.seconds / syringeRate) }
        return until + .seconds((age.seconds - before) / rate(at: temperature))
    }
}
