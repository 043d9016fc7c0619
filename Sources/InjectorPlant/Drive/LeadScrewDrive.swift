import InjectorCore

/// Stepper, lead screw and nut: commanded step position in, plunger position out.
///
/// Steps turn the screw (less any the motor misses). The nut carrying the plunger has
/// `backlash` of play between the screw's flanks. While the syringe is under pressure
/// the load keeps the nut on the forward flank, so the play never shows; with no load
/// a reversal first crosses the play before the plunger moves. The plunger cannot pass
/// the end of the syringe: steps beyond it stall and are lost.
public struct LeadScrewDrive: Equatable, Sendable {
    public let geometry: DriveGeometry
    /// Play between nut and screw, in microsteps of screw rotation.
    public let backlashSteps: Double
    /// Plunger travel from the loaded position to the syringe's end, in microsteps.
    public let travelLimitSteps: Double
    public let missedSteps: MissedStepFault?

    /// The last commanded step position.
    public private(set) var commanded: Steps
    /// Where the screw actually is, in microsteps (commanded less lost steps).
    public private(set) var screwSteps: Double
    /// Where the nut, and so the plunger, is, in microsteps of screw rotation.
    public private(set) var plungerSteps: Double
    /// Steps commanded that did not turn the screw (missed or stalled), counted unsigned.
    public private(set) var lostSteps: Double

    public init(geometry: DriveGeometry, backlash: Millimeters, usableVolume: Microliters,
                missedSteps: MissedStepFault?, commanded: Steps = .zero) {
        precondition(backlash.rawValue >= 0 && usableVolume.rawValue > 0, "drive limits must be positive")
        self.geometry = geometry
        let travelPerStep = geometry.leadScrewPitch.rawValue
            / Double(geometry.fullStepsPerRevolution * geometry.microstepping)
        self.backlashSteps = backlash.rawValue / travelPerStep
        self.travelLimitSteps = usableVolume / geometry.volumePerStep
        self.missedSteps = missedSteps
        self.commanded = commanded
        self.screwSteps = Double(commanded.count)
        self.plungerSteps = Double(commanded.count)
        self.lostSteps = 0
    }

    /// Volume the plunger has displaced from its loaded position.
    public var displacedVolume: Microliters { geometry.volumePerStep * plungerSteps }

    /// Plunger travel from its loaded position.
    public var travel: Millimeters { geometry.travel(for: displacedVolume) }

    /// Whether the plunger is at the syringe's end.
    public var atForwardEnd: Bool { plungerSteps >= travelLimitSteps }

    /// Turns the screw to a new commanded position at `now`. `loaded`: the syringe is
    /// under positive pressure, which holds the nut against the forward flank.
    public mutating func move(toCommanded target: Steps, at now: Instant, loaded: Bool) {
        let delta = Double((target - commanded).count)
        commanded = target
        var turned = delta
        if let fault = missedSteps, now >= fault.from {
            turned = delta * (1 - fault.lostFraction)
            lostSteps += Swift.abs(delta - turned)
        }
        screwSteps += turned
        if screwSteps > travelLimitSteps {
            lostSteps += screwSteps - travelLimitSteps
            screwSteps = travelLimitSteps
        }
        if loaded {
            plungerSteps = screwSteps
        } else {
            plungerSteps = min(max(plungerSteps, screwSteps), screwSteps + backlashSteps)
        }
    }
}
