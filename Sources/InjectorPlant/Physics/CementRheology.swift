import InjectorCore

/// PMMA cement as a power-law fluid whose consistency rises with time after mixing.
///
/// K(t) = K_ref · exp((t − t_ref) / τ): a first-order polymerisation makes the
/// consistency grow roughly exponentially through the working phase (the brief's
/// estimate: ~10 Pa·s at 2–4 min, past 10³ Pa·s near setting at 10–15 min). At the
/// setting age the cement stops flowing; the needle then counts as occluded.
public struct CementRheology: Equatable, Sendable {
    /// K at `referenceAge`.
    public var referenceConsistency: PascalSecondsToTheN
    /// Time after the start of mixing at which K equals `referenceConsistency`.
    public var referenceAge: Interval
    /// K grows by a factor e every `growthTimeConstant`.
    public var growthTimeConstant: Interval
    /// Power-law index n (n < 1: shear-thinning).
    public var flowIndex: Double
    /// Age at which the cement sets and no longer flows.
    public var settingAge: Interval
    /// Yield stress τ_y at `referenceAge`, growing with K (τ_y = τ_y,ref · K/K_ref): what
    /// makes a cohesive, high-viscosity cement stay out of narrow channels
    /// (`LeakEntry`). Zero for a low-viscosity cement.
    public var yieldStress: Kilopascals
    /// How the cement's clock depends on temperature, and the syringe's temperature.
    public var curing: CuringRate

    /// Defaults (see docs/simulator.md): K = 130 Pa·sⁿ at 3 min, which is the brief's
    /// ~10 Pa·s read as the apparent viscosity at the 11G needle's wall shear rate at
    /// 0.07 mL/s (~72 s⁻¹; 130 × 72^−0.6 ≈ 10); τ = 150 s (estimate, calibrated so that
    /// paste cement at 0.07 mL/s through 11G peaks near 1.7 MPa around 8–9 min, Krebs
    /// et al. 2005, and passes 10³ Pa·s apparent near setting); n = 0.4 (brief, estimate);
    /// setting at 15 min (brief: 10–15 min at room temperature).
    public init(referenceConsistency: PascalSecondsToTheN = PascalSecondsToTheN(130),
                referenceAge: Interval = .minutes(3),
                growthTimeConstant: Interval = .seconds(150),
                flowIndex: Double = 0.4,
                settingAge: Interval = .minutes(15), yieldStress: Kilopascals = .zero,
                curing: CuringRate = CuringRate()) {
        precondition(yieldStress.rawValue >= 0, "a yield stress is not negative")
        precondition(referenceConsistency.rawValue > 0, "consistency must be positive")
        precondition(growthTimeConstant.nanoseconds > 0, "growth time constant must be positive")
        precondition(flowIndex > 0 && flowIndex <= 1, "cement is modelled as shear-thinning or Newtonian")
        self.referenceConsistency = referenceConsistency
        self.referenceAge = referenceAge
        self.growthTimeConstant = growthTimeConstant
        self.flowIndex = flowIndex
        self.settingAge = settingAge
        self.yieldStress = yieldStress
        self.curing = curing
    }

    /// The default: a low-viscosity PMMA cement, liquid at first and thickening through
    /// the working phase, with no yield stress (it fingers into any open channel).
    public static let lowViscosity = CementRheology()

    /// A high-viscosity (dough-like, cohesive) PMMA cement: K 1.5 times the low-viscosity
    /// cement's at the same age, growing with the same τ, and a yield stress of 0.39 kPa
    /// at 3 min (2 Pa per Pa·sⁿ of K). Calibrated on Habib et al. 2010 (bench leak mass:
    /// high against low viscosity at 3.5 min 0.375; high viscosity 6.5 against 3.5 min
    /// 0.61) with `LeakEntry`'s defaults; docs/simulator.md, "Leak entry".
    public static let highViscosity = CementRheology(referenceConsistency: PascalSecondsToTheN(195),
                                                     yieldStress: Kilopascals(0.39))

    /// τ_y at consistency `k` (Pa·sⁿ), in Pa.
    @inline(__always) func yieldStress(atConsistency k: Double) -> Double {
        yieldStress.rawValue == 0 ? 0 : yieldStress.pascals * k / referenceConsistency.rawValue
    }

    /// Real time after mixing to setting for cement kept at `temperature` from mixing
    /// (the rheology's setting age is at the reference temperature).
    public func settingAge(at temperature: Celsius) -> Interval {
        curing.realAge(reaching: settingAge, at: temperature)
    }

    /// Consistency K at `age` after the start of mixing.
    public func consistency(atAge age: Interval) -> PascalSecondsToTheN {
        PascalSecondsToTheN(referenceConsistency.rawValue
                            * Libm.exp((age - referenceAge).seconds / growthTimeConstant.seconds))
    }

    /// The age at which K reaches `target` (the inverse of `consistency(atAge:)`).
    public func age(atConsistency target: PascalSecondsToTheN) -> Interval {
        precondition(target.rawValue > 0, "consistency must be positive")
        return referenceAge + .seconds(growthTimeConstant.seconds
                                       * Libm.log(target.rawValue / referenceConsistency.rawValue))
    }

    /// Whether the cement has set (flow ends).
    public func hasSet(atAge age: Interval) -> Bool { age >= settingAge }

    /// Apparent viscosity η = K γ̇ⁿ⁻¹ at a shear rate (s⁻¹), in Pa·s.
    public func apparentViscosity(consistency: PascalSecondsToTheN, shearRate: Double) -> Double {
        precondition(shearRate > 0, "apparent viscosity needs a positive shear rate")
        return consistency.rawValue * Libm.pow(shearRate, flowIndex - 1)
    }
}
