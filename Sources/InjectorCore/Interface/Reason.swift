/// Why something happened: the reason on every transition, pause, fault and event.
///
/// One flat list so that a reason is a single byte on the wire and the log. Raw values
/// are stable; add new cases at the end of their group, never renumber.
public enum Reason: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0

    // Host commands (1–19)
    case hostConfigure = 1
    case hostPrime = 2
    case hostArm = 3
    case hostStart = 4
    case hostPause = 5
    case hostResume = 6
    case hostFinish = 7
    case hostRelease = 8
    case hostResetFault = 9
    case hostDisarm = 10

    // Progress of the procedure (20–39)
    case primingComplete = 20
    case releaseDue = 21
    case pressureLimit = 22
    case releaseComplete = 23
    case capReached = 24
    /// The device's new-level key was turned: the next plan starts a new level.
    case newLevelRequested = 25
    /// A plan accepted in a level whose needle is primed already: straight to primed.
    case levelStillPrimed = 26

    // Operator and physical stops (40–59)
    case eStop = 40
    case localReset = 41
    case enableReleased = 42
    case posteriorQuarterReached = 43
    case leakSeen = 44
    case endOfTravel = 45

    // Hazards the controller detects (60–79)
    case leakSuspected = 60
    case occlusion = 61
    case cementTooLiquid = 62
    case workingTimeExceeded = 63
    case hostLinkLost = 64
    case cementNotReady = 65
    /// After a resume from a leak stop, pressure did not come back toward its pre-leak level.
    case leakPressureNotRecovered = 66
    /// Geometry cross-checks (issue 9 finding 2): a measurement of the hardware fitted
    /// disagrees with the configuration, so arm is refused (`Refusal.geometryMismatch`).
    /// Priming saw cement reach the needle tip at a volume unlike `needle.deadVolume`.
    case primedVolumeMismatch = 67
    /// The load cell's force over the configured plunger area disagrees with the transducer.
    case plungerAreaMismatch = 68
    /// The barrel clamp's syringe size disagrees with `syringe.innerDiameter`, or is unreadable.
    case syringeSizeMismatch = 69

    // Faults: latched until reset (80–99)
    case pressureStale = 80
    case pressureOutOfRange = 81
    case pressureSensorError = 82
    case positionStale = 83
    case positionSensorError = 84
    case positionDisagreement = 85
    case reliefFailed = 86
    case stepFeedbackImplausible = 87
    case contradictoryInputs = 88
    case pressureStuck = 89
    case pressureTwinStale = 90
    case pressureTwinSensorError = 91
    case pressureDisagreement = 92
    /// The stepper driver's fault or stall output is asserted: overcurrent, overheating
    /// or a stall, i.e. a load the pressure readings may not show.
    case driverFault = 93

    /// Whether this reason, as a cause of stopping, latches a fault.
    public var isFault: Bool { rawValue >= 80 && rawValue < 100 }

    public var description: String {
        switch self {
        case .none: "none"
        case .hostConfigure: "host: configure"
        case .hostPrime: "host: prime"
        case .hostArm: "host: arm"
        case .hostStart: "host: start"
        case .hostPause: "host: pause"
        case .hostResume: "host: resume"
        case .hostFinish: "host: finish"
        case .hostRelease: "host: release"
        case .hostResetFault: "host: reset fault"
        case .hostDisarm: "host: disarm"
        case .primingComplete: "priming complete"
        case .releaseDue: "release due"
        case .pressureLimit: "pressure limit"
        case .releaseComplete: "release complete"
        case .capReached: "volume cap reached"
        case .newLevelRequested: "new level requested on the device"
        case .levelStillPrimed: "level still primed"
        case .eStop: "e-stop"
        case .localReset: "local reset"
        case .enableReleased: "enable released"
        case .posteriorQuarterReached: "posterior quarter reached"
        case .leakSeen: "leak seen"
        case .endOfTravel: "end of travel"
        case .leakSuspected: "leak suspected (pressure drop)"
        case .occlusion: "occlusion"
        case .cementTooLiquid: "cement too liquid"
        case .workingTimeExceeded: "cement working time exceeded"
        case .hostLinkLost: "host link lost"
        case .cementNotReady: "cement not in its working phase"
        case .leakPressureNotRecovered: "pressure not recovered after a leak"
        case .primedVolumeMismatch: "needle filled at a volume unlike its configured dead volume"
        case .plungerAreaMismatch: "load cell over the configured plunger area disagrees with the transducer"
        case .syringeSizeMismatch: "barrel clamp's syringe size disagrees with the configured bore"
        case .pressureStale: "pressure sensor stale"
        case .pressureOutOfRange: "pressure out of range"
        case .pressureSensorError: "pressure sensor error"
        case .positionStale: "position sensor stale"
        case .positionSensorError: "position sensor error"
        case .positionDisagreement: "position disagrees with step count"
        case .reliefFailed: "pressure relief failed"
        case .stepFeedbackImplausible: "step feedback implausible"
        case .contradictoryInputs: "contradictory inputs"
        case .pressureStuck: "pressure reading frozen while the plunger moves"
        case .pressureTwinStale: "pressure twin stale"
        case .pressureTwinSensorError: "pressure twin error or out of range"
        case .pressureDisagreement: "pressure disagrees with its twin"
        case .driverFault: "stepper driver reports a fault or stall"
        }
    }
}
