import InjectorCore

/// Stepper, lead screw and driver as the plant sees them.
public struct DriveParameters: Equatable, Sendable {
    public var leadScrewPitch: Millimeters
    public var fullStepsPerRevolution: Int
    public var microstepping: Int
    /// Play between nut and screw.
    public var backlash: Millimeters
    public var missedSteps: MissedStepFault?

    /// Defaults: 1 mm pitch, 200 steps × 16 microsteps (the brief's drive); backlash
    /// 0.05 mm (estimate, a plain lead-screw nut); no missed steps.
    public init(leadScrewPitch: Millimeters = Millimeters(1), fullStepsPerRevolution: Int = 200,
                microstepping: Int = 16, backlash: Millimeters = Millimeters(0.05),
                missedSteps: MissedStepFault? = nil) {
        self.leadScrewPitch = leadScrewPitch
        self.fullStepsPerRevolution = fullStepsPerRevolution
        self.microstepping = microstepping
        self.backlash = backlash
        self.missedSteps = missedSteps
    }
}

/// The cement syringe.
public struct SyringeParameters: Equatable, Sendable {
    public var innerDiameter: Millimeters
    /// Cement the plunger can push out before it reaches the end.
    public var usableVolume: Microliters
    public var compliance: SyringeCompliance

    /// Defaults: 10 mL syringe, 14.5 mm bore (brief, estimate).
    public init(innerDiameter: Millimeters = Millimeters(14.5), usableVolume: Microliters = .milliliters(10),
                compliance: SyringeCompliance = SyringeCompliance()) {
        self.innerDiameter = innerDiameter
        self.usableVolume = usableVolume
        self.compliance = compliance
    }
}

/// The bone needle (cannula).
public struct NeedleParameters: Equatable, Sendable {
    public var bore: Millimeters
    public var length: Millimeters
    /// Volume to fill before cement reaches the tip.
    public var deadVolume: Microliters
    /// Whether the needle is already full of cement when the run starts.
    public var primedAtStart: Bool

    /// Defaults: 11G regular wall, 2.39 mm bore, 5 inch (127 mm), dead volume 0.9 mL
    /// (brief: gauge tables; textbook chapter), empty at the start.
    public init(bore: Millimeters = Millimeters(2.39), length: Millimeters = Millimeters(127),
                deadVolume: Microliters = .milliliters(0.9), primedAtStart: Bool = false) {
        precondition(bore.rawValue > 0 && length.rawValue > 0 && deadVolume.rawValue >= 0,
                     "needle dimensions must be positive")
        self.bore = bore
        self.length = length
        self.deadVolume = deadVolume
        self.primedAtStart = primedAtStart
    }
}

/// The vertebral body the cement fills.
public struct VertebralBodyParameters: Equatable, Sendable {
    public var permeability: SquareMeters
    /// Pore share of the trabecular bone, which the cement fills.
    public var porosity: Double
    /// Radius of the cavity the trocar leaves at the needle tip, where the front starts.
    public var tipCavityRadius: Millimeters
    /// Intravertebral pressure the cement pushes against.
    public var backPressure: Kilopascals
    public var front: CementFrontGeometry
    /// Hydraulic fracture of the bed above a tip pressure; `nil`: the bone never fails.
    public var failure: BoneFailure?
    /// How cement enters the leak channels (interdigitation and yield).
    public var leakEntry: LeakEntry

    /// Defaults: k = 4×10⁻⁸ m² (Baroud 2004); porosity 0.85 (estimate, osteoporotic
    /// trabecular bone); tip cavity 2 mm (estimate, chosen with k so that the cannula
    /// takes ~95 % of the pressure, Baroud & Steffen 2005); back-pressure 3 kPa
    /// (brief: 1–5 kPa during injection, JOSR 2015).
    public init(permeability: SquareMeters = SquareMeters(4e-8), porosity: Double = 0.85,
                tipCavityRadius: Millimeters = Millimeters(2), backPressure: Kilopascals = Kilopascals(3),
                front: CementFrontGeometry = CementFrontGeometry(), failure: BoneFailure? = BoneFailure(),
                leakEntry: LeakEntry = LeakEntry()) {
        precondition(permeability.rawValue > 0 && porosity > 0 && porosity <= 1 && tipCavityRadius.rawValue > 0,
                     "body parameters must be positive")
        self.permeability = permeability
        self.porosity = porosity
        self.tipCavityRadius = tipCavityRadius
        self.backPressure = backPressure
        self.front = front
        self.failure = failure
        self.leakEntry = leakEntry
    }

    /// Volume the body holds before the front passes the posterior quarter.
    public var anteriorCapacity: Microliters { front.volume(toReach: CementFrontGeometry.posteriorQuarter) }
}
