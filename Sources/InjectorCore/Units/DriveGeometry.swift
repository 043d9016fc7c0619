/// Converts between motor steps and displaced volume for one syringe on one drive.
///
/// One microstep advances the plunger by `pitch / (stepsPerRevolution × microstepping)`
/// and displaces that length times the syringe's bore area. Because 1 µL is 1 mm³,
/// the conversion needs no other constant.
public struct DriveGeometry: Hashable, Sendable {
    public let syringeInnerDiameter: Millimeters
    public let leadScrewPitch: Millimeters
    public let fullStepsPerRevolution: Int
    public let microstepping: Int
    /// Volume displaced by one microstep.
    public let volumePerStep: Microliters
    /// 1 / `volumePerStep`: a step rate is worked out every tick, and a division is the
    /// slowest step of the tick's longest dependency chain.
    public let stepsPerMicroliter: Double
    /// Plunger cross-section in mm², used to turn plunger force into pressure.
    public let plungerAreaSquareMillimeters: Double
    /// 1 / area (mm of travel per µL) and area / 1000 (N per kPa): a simulated plant
    /// records travel and force every step, and multiplying is cheaper than dividing.
    public let millimetersPerMicroliter: Double
    public let newtonsPerKilopascal: Double

    public init(syringeInnerDiameter: Millimeters, leadScrewPitch: Millimeters,
                fullStepsPerRevolution: Int, microstepping: Int) {
        precondition(syringeInnerDiameter.rawValue > 0 && leadScrewPitch.rawValue > 0
                     && fullStepsPerRevolution > 0 && microstepping > 0,
                     "drive geometry must be positive; validate the configuration first")
        self.syringeInnerDiameter = syringeInnerDiameter
        self.leadScrewPitch = leadScrewPitch
        self.fullStepsPerRevolution = fullStepsPerRevolution
        self.microstepping = microstepping
        let area = syringeInnerDiameter.circleAreaSquareMillimeters
        self.plungerAreaSquareMillimeters = area
        self.millimetersPerMicroliter = 1 / area
        self.newtonsPerKilopascal = area / 1000
        let travelPerStep = leadScrewPitch.rawValue / Double(fullStepsPerRevolution * microstepping)
        self.volumePerStep = Microliters(area * travelPerStep)
        self.stepsPerMicroliter = 1 / volumePerStep.rawValue
    }

    @inlinable public func volume(of steps: Steps) -> Microliters {
        volumePerStep * Double(steps.count)
    }
    /// The step count nearest to `volume` (rounded toward zero, so a cap is never overshot).
    @inlinable public func steps(for volume: Microliters) -> Steps {
        Steps(Int64((volume / volumePerStep).rounded(.towardZero)))
    }
    @inlinable public func stepRate(for flow: MicrolitersPerSecond) -> StepsPerSecond {
        StepsPerSecond(flow.rawValue * stepsPerMicroliter)
    }
    @inlinable public func flow(for rate: StepsPerSecond) -> MicrolitersPerSecond {
        MicrolitersPerSecond(rate.rawValue * volumePerStep.rawValue)
    }
    /// Plunger travel for a displaced volume.
    @inlinable public func travel(for volume: Microliters) -> Millimeters {
        Millimeters(volume.rawValue * millimetersPerMicroliter)
    }
    /// Pressure in the syringe for a force on the plunger: p = F / A.
    @inlinable public func pressure(for force: Newtons) -> Kilopascals {
        // N / mm² = MPa
        Kilopascals.megapascals(force.rawValue / plungerAreaSquareMillimeters)
    }
    /// Force on the plunger for a syringe pressure: F = p · π D² / 4.
    @inlinable public func force(for pressure: Kilopascals) -> Newtons {
        Newtons(pressure.rawValue * newtonsPerKilopascal)
    }
}
