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
    public private(set) var missedSteps: MissedStepFault?
    /// A fault of the STEP or DIR line, if one was injected.
    public private(set) var lineFault: TimedDriveLineFault?

    /// The last commanded step position.
    public private(set) var commanded: Steps
    /// Where the screw actually is, in microsteps (commanded less lost steps).
    public private(set) var screwSteps: Double
    /// Where the nut, and so the plunger, is, in microsteps of screw rotation.
    public private(set) var plungerSteps: Double
    /// Steps commanded that did not turn the screw (missed or stalled), counted unsigned.
    public private(set) var lostSteps: Double
    /// Screw rotation, in microsteps, that no commanded step asked for (a drive-line
    /// fault), signed: forward positive.
    public private(set) var uncommandedSteps: Double = 0

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

    /// Injects a fault while the run goes on: missed steps from the fault's time on.
    public mutating func inject(_ fault: MissedStepFault) { missedSteps = fault }

    /// Injects a STEP or DIR line fault while the run goes on.
    public mutating func inject(_ fault: TimedDriveLineFault) { lineFault = fault }

    /// Turns the screw to a new commanded position at `now`. `loaded`: the syringe is
    /// under positive pressure, which holds the nut against the forward flank.
    /// `driverEnabled` and `dt` (the step's length) matter only to a STEP line that
    /// toggles by itself: the driver steps on it only while enabled.
    public mutating func move(toCommanded target: Steps, at now: Instant, loaded: Bool,
                              driverEnabled: Bool = true, over dt: Double = 0) {
        let commandedDelta = Double((target - commanded).count)
        commanded = target
        var delta = commandedDelta
        if let line = lineFault, now >= line.from {
            switch line.kind {
            case .directionInverted:
                delta = -commandedDelta
            case .stepLineToggling(let rate):
                if driverEnabled { delta += rate * dt }
            }
            uncommandedSteps += delta - commandedDelta
        }
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
