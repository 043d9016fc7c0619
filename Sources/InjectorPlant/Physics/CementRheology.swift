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
                settingAge: Interval = .minutes(15)) {
        precondition(referenceConsistency.rawValue > 0, "consistency must be positive")
        precondition(growthTimeConstant.nanoseconds > 0, "growth time constant must be positive")
        precondition(flowIndex > 0 && flowIndex <= 1, "cement is modelled as shear-thinning or Newtonian")
        self.referenceConsistency = referenceConsistency
        self.referenceAge = referenceAge
        self.growthTimeConstant = growthTimeConstant
        self.flowIndex = flowIndex
        self.settingAge = settingAge
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
