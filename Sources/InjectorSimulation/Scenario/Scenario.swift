import InjectorCore
import InjectorPlant

/// One simulated procedure: a patient and device (the plant), the controller's
/// configuration, the people around the table, what goes wrong and when, and what
/// must hold at the end.
///
/// Times of faults and link loss are counted from the scheduled start of injection
/// (`operator.startAge` after mixing), so a scenario reads like a case report:
/// "20 s into the injection the pressure sensor froze".
public struct Scenario: Sendable {
    public var name: String
    public var description: String
    public var seed: UInt64
    /// The run ends this long after the scheduled start, whatever happens.
    public var maxDuration: Interval
    /// Once the procedure has ended (no more forward motion expected), keep simulating
    /// this long so stored volume can bleed out and relief finish.
    public var tail: Interval
    public var plant: PlantParameters
    public var controller: InjectorConfiguration
    public var operatorPolicy: OperatorPolicy
    public var observer: ObserverPolicy
    public var baseline: BaselinePolicy
    public var host: HostLinkPlan
    public var faults: FaultPlan
    public var expectations: [Expectation]
    /// The stepper driver's stall flag (TMC2209 DIAG with StallGuard set up), if the rig
    /// wires one: the syringe pressure at which the motor's load reaches the driver's
    /// stall threshold. `nil`: no flag wired (the controller reads it inactive).
    public var driverStallPressure: Kilopascals?

    public init(name: String, description: String = "", seed: UInt64 = 1,
                maxDuration: Interval = .seconds(240), tail: Interval = .seconds(10),
                plant: PlantParameters = .lumbarNominal, controller: InjectorConfiguration = InjectorConfiguration(),
                operatorPolicy: OperatorPolicy = OperatorPolicy(), observer: ObserverPolicy = ObserverPolicy(),
                baseline: BaselinePolicy = BaselinePolicy(), host: HostLinkPlan = HostLinkPlan(),
                faults: FaultPlan = FaultPlan(), expectations: [Expectation] = []) {
        self.name = name
        self.description = description
        self.seed = seed
        self.maxDuration = maxDuration
        self.tail = tail
        self.plant = plant
        self.controller = controller
        self.operatorPolicy = operatorPolicy
        self.observer = observer
        self.baseline = baseline
        self.host = host
        self.faults = faults
        self.expectations = expectations
    }

    /// Mixing happens at the origin; the injection is scheduled this much later.
    public var scheduledStart: Instant { .origin + operatorPolicy.startAge }

    /// The step/volume conversion the controller is configured with; the plant's own
    /// (`plant.driveGeometry`) differs when the syringe fitted is not the one configured.
    public var configuredGeometry: DriveGeometry {
        let c = controller
        return DriveGeometry(syringeInnerDiameter: c.syringe.innerDiameter, leadScrewPitch: c.drive.leadScrewPitch,
                             fullStepsPerRevolution: c.drive.fullStepsPerRevolution,
                             microstepping: c.drive.microstepping)
    }

    /// An instant given as seconds after the scheduled start.
    public func afterStart(_ offset: Interval) -> Instant { scheduledStart + offset }
}

/// What the operator does when the controller pauses for a reason.
public enum PauseResponse: Equatable, Sendable {
    /// End the procedure: `stop(.finish)`.
    case finish
    /// Acknowledge and resume after this long (never before the controller allows it).
    case resume(after: Interval)
    /// Do nothing; the run ends paused.
    case wait
}

/// The operator at the console: mixes, primes, arms, starts, holds the pedal and
/// answers pauses.
public struct OperatorPolicy: Equatable, Sendable {
    /// Cement age at which the operator presses start.
    public var startAge: Interval
    /// Priming starts this long before `startAge`.
    public var primeLead: Interval
    /// The operator finishes once the controller reports this much delivered.
    public var plannedVolume: Microliters
    public var onPosteriorQuarter: PauseResponse
    public var onLeakSeen: PauseResponse
    public var onLeakSuspected: PauseResponse
    public var onOcclusion: PauseResponse
    public var onCementTooLiquid: PauseResponse
    public var onOtherPause: PauseResponse
    /// Faults: the operator does not reset them (the run ends faulted) unless this is `.finish`.
    public var onFault: PauseResponse
    /// At most this many resumes in one run (a bound, so a policy cannot loop).
    public var maxResumes: Int

    public init(startAge: Interval = .minutes(7), primeLead: Interval = .seconds(30),
                plannedVolume: Microliters = .milliliters(5),
                onPosteriorQuarter: PauseResponse = .finish, onLeakSeen: PauseResponse = .finish,
                onLeakSuspected: PauseResponse = .finish, onOcclusion: PauseResponse = .finish,
                onCementTooLiquid: PauseResponse = .resume(after: .seconds(30)),
                onOtherPause: PauseResponse = .finish, onFault: PauseResponse = .wait, maxResumes: Int = 10) {
        self.startAge = startAge
        self.primeLead = primeLead
        self.plannedVolume = plannedVolume
        self.onPosteriorQuarter = onPosteriorQuarter
        self.onLeakSeen = onLeakSeen
        self.onLeakSuspected = onLeakSuspected
        self.onOcclusion = onOcclusion
        self.onCementTooLiquid = onCementTooLiquid
        self.onOtherPause = onOtherPause
        self.onFault = onFault
        self.maxResumes = maxResumes
    }

    public func response(to reason: Reason) -> PauseResponse {
        switch reason {
        case .posteriorQuarterReached: onPosteriorQuarter
        case .leakSeen: onLeakSeen
        case .leakSuspected: onLeakSuspected
        case .occlusion: onOcclusion
        case .cementTooLiquid: onCementTooLiquid
        default: reason.isFault ? onFault : onOtherPause
        }
    }
}

/// The radiologist watching fluoroscopy.
public struct ObserverPolicy: Equatable, Sendable {
    public var enabled: Bool
    /// From seeing an event to pressing the stop button.
    public var reactionDelay: Interval
    /// A leak shows once this much has left by one path.
    public var leakVisibleAbove: Microliters
    /// The button is held this long.
    public var pressDuration: Interval

    public init(enabled: Bool = true, reactionDelay: Interval = .seconds(1),
                leakVisibleAbove: Microliters = Microliters(100), pressDuration: Interval = .milliseconds(500)) {
        self.enabled = enabled
        self.reactionDelay = reactionDelay
        self.leakVisibleAbove = leakVisibleAbove
        self.pressDuration = pressDuration
    }
}

/// The naive injector the controller is compared with: constant flow, no cap, no
/// release, no leak detection. It stops when the syringe is empty, at the planned
/// volume, or when the observer (with its own delay) stops it.
public struct BaselinePolicy: Equatable, Sendable {
    public var flow: MicrolitersPerSecond
    /// Displacement after priming at which the operator of the naive pump stops it.
    public var plannedVolume: Microliters
    /// Whether the observer's stop reaches the naive pump at all.
    public var respondsToObserver: Bool
    /// Observer's reaction delay for the baseline run (`nil`: the scenario's observer delay).
    public var observerDelay: Interval?

    public init(flow: MicrolitersPerSecond = MicrolitersPerSecond(70), plannedVolume: Microliters = .milliliters(6),
                respondsToObserver: Bool = true, observerDelay: Interval? = nil) {
        self.flow = flow
        self.plannedVolume = plannedVolume
        self.respondsToObserver = respondsToObserver
        self.observerDelay = observerDelay
    }
}

/// The host's heartbeats and, optionally, the moment the link is lost.
public struct HostLinkPlan: Equatable, Sendable {
    public var heartbeatPeriod: Interval
    /// After the scheduled start; `nil`: never lost.
    public var lostAfterStart: Interval?
    /// After the scheduled start; `nil`: never restored.
    public var restoredAfterStart: Interval?

    public init(heartbeatPeriod: Interval = .milliseconds(100), lostAfterStart: Interval? = nil,
                restoredAfterStart: Interval? = nil) {
        self.heartbeatPeriod = heartbeatPeriod
        self.lostAfterStart = lostAfterStart
        self.restoredAfterStart = restoredAfterStart
    }
}

/// Faults injected into the run, with times after the scheduled start.
public struct FaultPlan: Equatable, Sendable {
    public struct Timed<Kind: Equatable & Sendable>: Equatable, Sendable {
        public var kind: Kind
        public var from: Interval
        public var until: Interval?
        public init(kind: Kind, from: Interval, until: Interval? = nil) {
            self.kind = kind
            self.from = from
            self.until = until
        }
    }
    public var pressure: Timed<SensorFault<Kilopascals>.Kind>?
    /// A fault of the pressure twin (the plunger load cell), when the controller has one fitted.
    public var pressureTwin: Timed<SensorFault<Kilopascals>.Kind>?
    public var position: Timed<SensorFault<Microliters>.Kind>?
    /// Share of steps lost from a time on.
    public var missedSteps: Timed<Double>?
    public var stuckInput: Timed<StuckSwitch>?

    public struct StuckSwitch: Equatable, Sendable {
        /// Which switch the fault holds (`Switch`, named as in board files).
        public var name: Switch
        public var level: Activation
        public init(name: Switch, level: Activation) {
            self.name = name
            self.level = level
        }
    }

    public init(pressure: Timed<SensorFault<Kilopascals>.Kind>? = nil,
                pressureTwin: Timed<SensorFault<Kilopascals>.Kind>? = nil,
                position: Timed<SensorFault<Microliters>.Kind>? = nil,
                missedSteps: Timed<Double>? = nil, stuckInput: Timed<StuckSwitch>? = nil) {
        self.pressure = pressure
        self.pressureTwin = pressureTwin
        self.position = position
        self.missedSteps = missedSteps
        self.stuckInput = stuckInput
    }

    public var isEmpty: Bool {
        pressure == nil && pressureTwin == nil && position == nil && missedSteps == nil && stuckInput == nil
    }
}
