import InjectorCore

/// Everything that defines one simulated patient, cement and device.
public struct PlantParameters: Equatable, Sendable {
    public var drive: DriveParameters
    public var syringe: SyringeParameters
    public var needle: NeedleParameters
    public var cement: CementRheology
    /// Cement age (time since the start of mixing) when the plant's clock starts.
    public var cementAgeAtStart: Interval
    public var body: VertebralBodyParameters
    public var leaks: LeakPaths<LeakPathParameters>
    public var thermal: CanalThermalModel
    /// What the venous routes (vein, epidural) drain against: breathing, Valsalva.
    public var venous: VenousPressure

    /// The lumbar nominal case: paste cement, 11G needle, 10 mL syringe, no leak path.
    public init(drive: DriveParameters = DriveParameters(), syringe: SyringeParameters = SyringeParameters(),
                needle: NeedleParameters = NeedleParameters(), cement: CementRheology = CementRheology(),
                cementAgeAtStart: Interval = .minutes(7),
                body: VertebralBodyParameters = VertebralBodyParameters(),
                leaks: LeakPaths<LeakPathParameters> = LeakPaths(repeating: .closed),
                thermal: CanalThermalModel = CanalThermalModel(), venous: VenousPressure = VenousPressure()) {
        self.drive = drive
        self.syringe = syringe
        self.needle = needle
        self.cement = cement
        self.cementAgeAtStart = cementAgeAtStart
        self.body = body
        self.leaks = leaks
        self.thermal = thermal
        self.venous = venous
    }

    public static let lumbarNominal = PlantParameters()

    /// The drive's step/volume conversion for this syringe.
    public var driveGeometry: DriveGeometry {
        DriveGeometry(syringeInnerDiameter: syringe.innerDiameter, leadScrewPitch: drive.leadScrewPitch,
                      fullStepsPerRevolution: drive.fullStepsPerRevolution, microstepping: drive.microstepping)
    }
}
