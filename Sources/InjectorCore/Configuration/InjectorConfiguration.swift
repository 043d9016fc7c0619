/// The syringe in the drive.
public struct SyringeSpec: Equatable, Sendable {
    public var innerDiameter: Millimeters
    /// Volume the plunger can push out from its loaded position to end of travel.
    public var usableVolume: Microliters
    /// Volume stored per kPa in syringe, cement and tubing. Configure a lower bound:
    /// an overestimate would let the cap be exceeded after a release (see docs/safety.md).
    public var compliance: MicrolitersPerKilopascal
    /// An UPPER bound of the same compliance: what a stop at the pressure limit may have
    /// stored. A stop's back-off must cover it (`release.stopBackoffVolume` ≥ this ×
    /// `pressure.limit`), so relief by volume, when the reading cannot be trusted,
    /// still relieves a full syringe. The simulator's plant has 0.05 µL/kPa.
    public var maximumCompliance: MicrolitersPerKilopascal

    public init(innerDiameter: Millimeters = Millimeters(14.5), usableVolume: Microliters = .milliliters(10),
                compliance: MicrolitersPerKilopascal = MicrolitersPerKilopascal(0.01),
                maximumCompliance: MicrolitersPerKilopascal = MicrolitersPerKilopascal(0.05)) {
        self.innerDiameter = innerDiameter
        self.usableVolume = usableVolume
        self.compliance = compliance
        self.maximumCompliance = maximumCompliance
    }
}

/// Stepper, lead screw and driver.
public struct DriveSpec: Equatable, Sendable {
    public var leadScrewPitch: Millimeters
    public var fullStepsPerRevolution: Int
    public var microstepping: Int
    /// The fastest step rate the driver and motor sustain without losing steps.
    public var maxStepRate: StepsPerSecond

    public init(leadScrewPitch: Millimeters = Millimeters(1), fullStepsPerRevolution: Int = 200,
                microstepping: Int = 16, maxStepRate: StepsPerSecond = StepsPerSecond(20_000)) {
        self.leadScrewPitch = leadScrewPitch
        self.fullStepsPerRevolution = fullStepsPerRevolution
        self.microstepping = microstepping
        self.maxStepRate = maxStepRate
    }
}

/// The bone needle (cannula).
public struct NeedleSpec: Equatable, Sendable {
    public var bore: Millimeters
    public var length: Millimeters
    /// Volume to fill before cement reaches the tip; primed, never counted as delivered.
    public var deadVolume: Microliters

    /// 11G, 5-inch: 2.39 mm bore, about 0.9 mL dead volume.
    public init(bore: Millimeters = Millimeters(2.39), length: Millimeters = Millimeters(127),
                deadVolume: Microliters = .milliliters(0.9)) {
        self.bore = bore
        self.length = length
        self.deadVolume = deadVolume
    }
}

/// The cement's timeline, counted from the start of mixing.
public struct CementSpec: Equatable, Sendable {
    /// Earliest injection: the cement has reached its paste-like working phase.
    public var workingPhaseStart: Interval
    /// Latest injection start / resume; injecting stops here.
    public var workingPhaseEnd: Interval
    /// The cement sets (hardening at 37 °C takes about 11 min).
    public var settingTime: Interval
    /// How long before the working phase ends to warn.
    public var workingTimeWarning: Interval

    public init(workingPhaseStart: Interval = .minutes(3), workingPhaseEnd: Interval = .minutes(10),
                settingTime: Interval = .minutes(15), workingTimeWarning: Interval = .minutes(1)) {
        self.workingPhaseStart = workingPhaseStart
        self.workingPhaseEnd = workingPhaseEnd
        self.settingTime = settingTime
        self.workingTimeWarning = workingTimeWarning
    }
}

/// Continuous flow, or increments like manual practice (0.1–0.2 mL per push).
public enum InjectionMode: UInt8, Sendable, CaseIterable {
    case continuous = 0
    case bolus = 1
}

/// Flows and how they change.
public struct RateSpec: Equatable, Sendable {
    public var mode: InjectionMode
    /// Target injection flow (clinical: about 4 mL/min ≈ 67 µL/s).
    public var injectionFlow: MicrolitersPerSecond
    /// The most the host may set with set-rate.
    public var maxInjectionFlow: MicrolitersPerSecond
    public var primingFlow: MicrolitersPerSecond
    /// Ramp toward the target flow (stops do not ramp: they are immediate).
    public var acceleration: MicrolitersPerSecondSquared
    /// Volume per bolus in bolus mode.
    public var bolusVolume: Microliters
    /// Pressure slowdown: above this share of the pressure limit the flow is scaled down…
    public var slowdownStartFraction: Double
    /// …linearly, to this share of the target at the limit.
    public var slowdownMinimumFraction: Double

    public init(mode: InjectionMode = .bolus,
                injectionFlow: MicrolitersPerSecond = .millilitersPerMinute(4),
                maxInjectionFlow: MicrolitersPerSecond = MicrolitersPerSecond(150),
                primingFlow: MicrolitersPerSecond = MicrolitersPerSecond(150),
                acceleration: MicrolitersPerSecondSquared = MicrolitersPerSecondSquared(300),
                bolusVolume: Microliters = Microliters(150),
                slowdownStartFraction: Double = 0.7, slowdownMinimumFraction: Double = 0.25) {
        self.mode = mode
        self.injectionFlow = injectionFlow
        self.maxInjectionFlow = maxInjectionFlow
        self.primingFlow = primingFlow
        self.acceleration = acceleration
        self.bolusVolume = bolusVolume
        self.slowdownStartFraction = slowdownStartFraction
        self.slowdownMinimumFraction = slowdownMinimumFraction
    }
}

/// Pressure limits and the sensor's valid range.
public struct PressureSpec: Equatable, Sendable {
    /// Above this the controller releases at once.
    public var limit: Kilopascals
    /// Readings outside this range are a fault, not a pressure.
    public var sensorMinimum: Kilopascals
    public var sensorMaximum: Kilopascals

    public init(limit: Kilopascals = .megapascals(3.5), sensorMinimum: Kilopascals = Kilopascals(-100),
                sensorMaximum: Kilopascals = .megapascals(7)) {
        self.limit = limit
        self.sensorMinimum = sensorMinimum
        self.sensorMaximum = sensorMaximum
    }
}

/// The timed pressure-release cycle.
public struct ReleaseSpec: Equatable, Sendable {
    /// In continuous mode, inject this long between releases.
    public var injectPeriod: Interval
    /// In a release cycle, back the screw off by this volume…
    public var backoffVolume: Microliters
    /// After a stop, back off until pressure is below `releasedBelow`, by at most this
    /// volume: what stays stored in the syringe would otherwise keep flowing. With a
    /// reading not to be trusted, the whole of it; so it must cover
    /// `syringe.maximumCompliance` × `pressure.limit` (175 µL shipped).
    public var stopBackoffVolume: Microliters
    /// …or until pressure falls below this, whichever comes first.
    public var releasedBelow: Kilopascals
    /// The screw backs off at this flow in a release cycle…
    public var backoffFlow: MicrolitersPerSecond
    /// …and at this one after a stop, where the back-off races the after-flow: every µL
    /// still stored flows on into whatever the stop was for (a leak path, the canal).
    public var stopBackoffFlow: MicrolitersPerSecond
    /// Hold still this long after backing off.
    public var dwell: Interval
    /// If a back-off has not finished by then, relief has failed (fault).
    public var backoffTimeout: Interval

    public init(injectPeriod: Interval = .seconds(3), backoffVolume: Microliters = Microliters(30),
                stopBackoffVolume: Microliters = Microliters(175), releasedBelow: Kilopascals = Kilopascals(150),
                backoffFlow: MicrolitersPerSecond = MicrolitersPerSecond(100),
                stopBackoffFlow: MicrolitersPerSecond = MicrolitersPerSecond(200),
                dwell: Interval = .seconds(1.5), backoffTimeout: Interval = .seconds(3)) {
        self.injectPeriod = injectPeriod
        self.backoffVolume = backoffVolume
        self.stopBackoffVolume = stopBackoffVolume
        self.releasedBelow = releasedBelow
        self.backoffFlow = backoffFlow
        self.stopBackoffFlow = stopBackoffFlow
        self.dwell = dwell
        self.backoffTimeout = backoffTimeout
    }
}

/// When a hazard or fault is declared.
public struct FaultSpec: Equatable, Sendable {
    /// Leak: pressure falls by this share of its recent peak while flow is steady…
    public var leakDropFraction: Double
    /// …within this window…
    public var leakWindow: Interval
    /// …from a peak of at least this.
    public var leakMinimumPeak: Kilopascals
    /// Leak, seen in its first tens of milliseconds (`RapidLeakDetector`): the mean
    /// pressure falls by this share of the window's highest mean…
    public var leakRapidDropFraction: Double
    /// …and by at least this (above the noise of a bucket's mean)…
    public var leakRapidMinimumDrop: Kilopascals
    /// …within this window, split into `RapidLeakDetector.bucketCount` buckets.
    public var leakRapidWindow: Interval
    /// After a leak stop, resuming is refused for this long (textbook: 1–2 min).
    public var leakPauseMinimum: Interval
    /// After a posterior-quarter or leak stop (operator input, host intent or the leak
    /// detector) the cap tightens to what is committed then plus this: what a resume
    /// may still add. 0 (shipped): a resume after such a stop adds nothing.
    public var resumeAllowanceAfterStop: Microliters
    /// After a resume from a leak stop, injection pressure must come back to this share
    /// of its level before the drop…
    public var leakRecoveryFraction: Double
    /// …within this long of the resume, or the injection pauses again
    /// (`leakPressureNotRecovered`): a leak path still open keeps the pressure low.
    public var leakRecoveryWindow: Interval
    /// Occlusion: pressure above this…
    public var occlusionPressure: Kilopascals
    /// …for this long while injecting, or
    public var occlusionQualifyTime: Interval
    /// this many pressure-limit releases in a row with little progress.
    public var occlusionReleaseCount: Int
    /// Progress below this between limit releases counts as "little".
    public var occlusionMinimumProgress: Microliters
    /// Occlusion, whatever the sensor's offset: while injecting, the reading rises by more
    /// than this per µL of new volume (past the plunger's furthest point), measured over
    /// the last `occlusionStiffnessWindow` of it. A slope, so an offset common to
    /// transducer and twin does not change it; a drifting offset lowers it by drift ÷ flow.
    public var occlusionStiffness: KilopascalsPerMicroliter
    public var occlusionStiffnessWindow: Microliters
    /// Consistency check: the first `consistencyTestVolume` of an injection…
    public var consistencyTestVolume: Microliters
    /// …must build at least this back-pressure, or the cement is too liquid.
    public var consistencyMinimumPressure: Kilopascals
    /// A sample older than this is stale.
    public var pressureStaleAfter: Interval
    /// While the plunger pushes, a pressure reading that stays within
    /// `pressureStuckBand` (a few ADC counts of dither) for this long is a stuck sensor:
    /// a live transducer follows the pressure the push changes.
    public var pressureStuckAfter: Interval
    public var pressureStuckBand: Kilopascals
    public var positionStaleAfter: Interval
    /// Plunger sensor and step count may differ by this much.
    public var positionTolerance: Microliters
    /// Pressure and its twin may differ by this much, or by `pressureTwinRelativeTolerance`
    /// of the higher of the two, whichever is larger…
    public var pressureTwinTolerance: Kilopascals
    public var pressureTwinRelativeTolerance: Double
    /// …for at most this long: the two sensors see a pressure change at different times
    /// (a load cell behind an HX711 samples at 80 Hz), so only a lasting difference is a fault.
    public var pressureTwinDisagreeFor: Interval
    /// While injecting, a host silent this long is a lost link.
    public var hostLinkTimeout: Interval
    /// Geometry cross-checks (issue 9 finding 2), each refusing arm beyond its tolerance:
    /// the volume at which priming saw cement reach the needle tip may differ from
    /// `needle.deadVolume` by this share of it…
    public var deadVolumeTolerance: Double
    /// …the plunger area the load cell implies (its rise over the transducer's while
    /// priming, times the configured area) from the configured area by this share…
    public var plungerAreaTolerance: Double
    /// …and the barrel clamp's syringe bore from `syringe.innerDiameter` by this much.
    public var syringeBoreTolerance: Millimeters

    public init(leakDropFraction: Double = 0.2, leakWindow: Interval = .seconds(1),
                leakMinimumPeak: Kilopascals = Kilopascals(300),
                leakRapidDropFraction: Double = 0.02, leakRapidMinimumDrop: Kilopascals = Kilopascals(15),
                leakRapidWindow: Interval = .milliseconds(40), leakPauseMinimum: Interval = .seconds(60),
                resumeAllowanceAfterStop: Microliters = .zero,
                leakRecoveryFraction: Double = 0.6, leakRecoveryWindow: Interval = .seconds(10),
                occlusionPressure: Kilopascals = .megapascals(3.0), occlusionQualifyTime: Interval = .seconds(2),
                occlusionReleaseCount: Int = 3, occlusionMinimumProgress: Microliters = Microliters(15),
                occlusionStiffness: KilopascalsPerMicroliter = KilopascalsPerMicroliter(10),
                occlusionStiffnessWindow: Microliters = Microliters(150),
                consistencyTestVolume: Microliters = Microliters(100),
                consistencyMinimumPressure: Kilopascals = Kilopascals(250),
                pressureStaleAfter: Interval = .milliseconds(50), pressureStuckAfter: Interval = .seconds(1),
                pressureStuckBand: Kilopascals = Kilopascals(1),
                positionStaleAfter: Interval = .milliseconds(100),
                positionTolerance: Microliters = Microliters(40),
                pressureTwinTolerance: Kilopascals = Kilopascals(150), pressureTwinRelativeTolerance: Double = 0.15,
                pressureTwinDisagreeFor: Interval = .milliseconds(200),
                hostLinkTimeout: Interval = .milliseconds(500), deadVolumeTolerance: Double = 0.1,
                plungerAreaTolerance: Double = 0.06, syringeBoreTolerance: Millimeters = Millimeters(0.3)) {
        self.leakDropFraction = leakDropFraction
        self.leakWindow = leakWindow
        self.leakMinimumPeak = leakMinimumPeak
        self.leakRapidDropFraction = leakRapidDropFraction
        self.leakRapidMinimumDrop = leakRapidMinimumDrop
        self.leakRapidWindow = leakRapidWindow
        self.leakPauseMinimum = leakPauseMinimum
        self.resumeAllowanceAfterStop = resumeAllowanceAfterStop
        self.leakRecoveryFraction = leakRecoveryFraction
        self.leakRecoveryWindow = leakRecoveryWindow
        self.occlusionPressure = occlusionPressure
        self.occlusionQualifyTime = occlusionQualifyTime
        self.occlusionReleaseCount = occlusionReleaseCount
        self.occlusionMinimumProgress = occlusionMinimumProgress
        self.occlusionStiffness = occlusionStiffness
        self.occlusionStiffnessWindow = occlusionStiffnessWindow
        self.consistencyTestVolume = consistencyTestVolume
        self.consistencyMinimumPressure = consistencyMinimumPressure
        self.pressureStaleAfter = pressureStaleAfter
        self.pressureStuckAfter = pressureStuckAfter
        self.pressureStuckBand = pressureStuckBand
        self.positionStaleAfter = positionStaleAfter
        self.positionTolerance = positionTolerance
        self.pressureTwinTolerance = pressureTwinTolerance
        self.pressureTwinRelativeTolerance = pressureTwinRelativeTolerance
        self.pressureTwinDisagreeFor = pressureTwinDisagreeFor
        self.hostLinkTimeout = hostLinkTimeout
        self.deadVolumeTolerance = deadVolumeTolerance
        self.plungerAreaTolerance = plungerAreaTolerance
        self.syringeBoreTolerance = syringeBoreTolerance
    }
}

/// Limits of the machine itself. Nothing at run time goes above these.
public struct HardwareCeilings: Equatable, Sendable {
    public var maxVolume: Microliters
    public var maxPressure: Kilopascals
    public var maxFlow: MicrolitersPerSecond
    /// Total cement across all levels of one session (one patient). Pulmonary cement
    /// embolism rises with total volume: 0 % under 3.5 mL, 0.9 % over 7 mL (Luetmer
    /// 2011, domain brief section 3); the shipped value is 7 mL.
    public var maxSessionVolume: Microliters

    public init(maxVolume: Microliters = .milliliters(8), maxPressure: Kilopascals = .megapascals(5),
                maxFlow: MicrolitersPerSecond = MicrolitersPerSecond(200),
                maxSessionVolume: Microliters = .milliliters(7)) {
        self.maxVolume = maxVolume
        self.maxPressure = maxPressure
        self.maxFlow = maxFlow
        self.maxSessionVolume = maxSessionVolume
    }
}

/// The whole configuration of one injector and one procedure.
///
/// Build one (from code or `InjectorConfigFile`), then call `validated()`: the
/// controller accepts only a `ValidatedConfiguration`.
public struct InjectorConfiguration: Equatable, Sendable {
    public var tickRate: Hertz
    public var syringe: SyringeSpec
    public var drive: DriveSpec
    public var needle: NeedleSpec
    public var cement: CementSpec
    public var procedure: ProcedurePlan
    public var rates: RateSpec
    public var pressure: PressureSpec
    public var release: ReleaseSpec
    public var faults: FaultSpec
    public var ceilings: HardwareCeilings
    /// Whether an independent plunger-position sensor is fitted (then it must be healthy).
    public var positionSensorFitted: Bool
    /// Whether a second pressure measurement is fitted (then it must be healthy and agree).
    public var pressureTwinFitted: Bool
    /// Whether a barrel-clamp sensor reports the bore of the syringe clamped (as syringe
    /// infusion pumps have): then it must read, and agree with `syringe.innerDiameter`.
    public var syringeSizeSensorFitted: Bool

    public init(tickRate: Hertz = Hertz(1000), syringe: SyringeSpec = SyringeSpec(),
                drive: DriveSpec = DriveSpec(), needle: NeedleSpec = NeedleSpec(),
                cement: CementSpec = CementSpec(), procedure: ProcedurePlan = .defaultLumbar,
                rates: RateSpec = RateSpec(), pressure: PressureSpec = PressureSpec(),
                release: ReleaseSpec = ReleaseSpec(), faults: FaultSpec = FaultSpec(),
                ceilings: HardwareCeilings = HardwareCeilings(), positionSensorFitted: Bool = false,
                pressureTwinFitted: Bool = false, syringeSizeSensorFitted: Bool = false) {
        self.tickRate = tickRate
        self.syringe = syringe
        self.drive = drive
        self.needle = needle
        self.cement = cement
        self.procedure = procedure
        self.rates = rates
        self.pressure = pressure
        self.release = release
        self.faults = faults
        self.ceilings = ceilings
        self.positionSensorFitted = positionSensorFitted
        self.pressureTwinFitted = pressureTwinFitted
        self.syringeSizeSensorFitted = syringeSizeSensorFitted
    }
}

extension ProcedurePlan {
    /// A lumbar level: a 30 mL body, half of it anterior, filled to at most 30 %
    /// (4.5 mL), bipedicular with 2.5 mL per pedicle.
    public static let defaultLumbar = ProcedurePlan(
        level: VertebralLevel(region: .lumbar, number: 1),
        anteriorCapacity: .fromBody(bodyVolume: .milliliters(30), anteriorFraction: 0.5),
        fillFractionLimit: 0.3, approach: .bipedicular, perPedicleCap: .milliliters(2.5))
}
