import InjectorCore
import InjectorPlant

/// One kind of fault the fault-injection matrix starts at a moment within a controller
/// state (issue 9). Each is something the plant, its sensors, the wires or the people
/// around the table can do in the simulator; `states` lists the controller states it
/// can occur in, `namedBy` the reasons that name it in the controller's log.
public enum FaultClass: String, CaseIterable, Sendable, Codable {
    /// The e-stop pressed (or its cable cut) and kept so: a physical interlock.
    case eStop
    /// The host falls silent: no heartbeat, no command.
    case hostLinkLost
    /// The operator lets go of the enable pedal, but it stays held (welded, H31).
    case stuckEnablePedal
    case pressureStuck
    /// The transducer drifts at 100–300 kPa/s, up or down.
    case pressureDrift
    case pressureDropout
    /// The reading jumps out of range (a broken wire, a saturated ADC).
    case pressureOutOfRange
    /// 5–50 % of the steps lost (position sensor fitted, as in the campaign).
    case missedSteps
    /// The needle blocks at once (a plug of set cement): an occlusion at a chosen moment.
    case needleBlocked
    /// H11: the STEP line toggles by itself while ENABLE is on (position sensor fitted).
    case stepLineToggling
    /// H11 without the position sensor: what is left to see it.
    case stepLineTogglingNoPositionSensor
    /// H12: DIR polarity inverted (position sensor fitted).
    case directionInverted
    /// H12 without the position sensor.
    case directionInvertedNoPositionSensor
    /// H29: power lost: controller and motor stop; stored volume bleeds out.
    case powerLoss

    /// The controller states this fault can occur in. A fault of the step lines needs
    /// steps (priming, injecting, releasing, a relief in a pause) or, for a toggling
    /// STEP line, ENABLE on (also armed and paused); a lost host link is a stop only
    /// while cement moves (elsewhere nothing moves, and nothing can start without the
    /// link); a stuck pedal matters only where letting go would stop motion.
    public var states: [InjectorState] {
        let all: [InjectorState] = [.priming, .armed, .injecting, .releasing, .paused, .complete]
        let moving: [InjectorState] = [.priming, .injecting, .releasing]
        switch self {
        case .eStop, .powerLoss, .pressureStuck, .pressureDrift, .pressureDropout, .pressureOutOfRange: return all
        case .hostLinkLost, .stuckEnablePedal, .missedSteps, .needleBlocked: return moving
        case .stepLineToggling, .stepLineTogglingNoPositionSensor: return [.priming, .armed, .injecting, .releasing, .paused]
        case .directionInverted, .directionInvertedNoPositionSensor: return [.priming, .injecting, .releasing, .paused]
        }
    }

    /// Reasons that name this fault in a `ControllerEvent` (point d).
    public var namedBy: Set<Reason> {
        switch self {
        case .eStop: [.eStop]
        case .hostLinkLost: [.hostLinkLost]
        case .stuckEnablePedal, .powerLoss: []
        case .pressureStuck: [.pressureStuck, .pressureDisagreement]
        case .pressureDrift: [.pressureOutOfRange, .pressureDisagreement, .pressureStuck]
        case .pressureDropout: [.pressureStale, .pressureSensorError]
        case .pressureOutOfRange: [.pressureOutOfRange, .pressureSensorError]
        // Steps lost while priming show as a needle that takes more than its dead volume.
        case .missedSteps: [.positionDisagreement, .primedVolumeMismatch]
        case .stepLineToggling, .stepLineTogglingNoPositionSensor,
             .directionInverted, .directionInvertedNoPositionSensor: [.positionDisagreement]
        case .needleBlocked: [.occlusion, .pressureLimit]
        }
    }

    /// Whether the controller has the plunger position sensor fitted in this class's runs.
    var positionSensorFitted: Bool {
        switch self {
        case .missedSteps, .stepLineToggling, .directionInverted: true
        default: false
        }
    }

    /// The stop is the physical interlock itself (its tick is the fault's first tick),
    /// not a detection that has to qualify the fault.
    var isPhysicalInterlock: Bool { self == .eStop || self == .powerLoss }

    /// Why a point does not apply to this class in `state`, if it does not (else `nil`).
    public func notApplicable(_ point: FaultPoint, in state: InjectorState) -> String? {
        if self == .hostLinkLost, state == .priming, point != .withinCap {
            return "by design: a lost link stops injection (invariant 3); priming, bounded by the dead volume and "
                + "done before the needle is in bone, runs on to primed, and arm cannot arrive"
        }
        return switch (self, point) {
        case (.eStop, .relieved):
            "no relief after an e-stop, by design (docs/safety.md: relief runs after every stop but the e-stop)"
        case (.powerLoss, .relieved):
            "no motor without power: stored volume bleeds out unrelieved (H29, open); counted under (c)"
        case (.powerLoss, .logged):
            "no controller without power; the ledger persisted before the cut is checked under (c)"
        case (.stuckEnablePedal, .stopped), (.stuckEnablePedal, .relieved), (.stuckEnablePedal, .logged):
            "a pedal stuck held reads as held: not detectable (H31); the cap and the other stops stay in force"
        default: nil
        }
    }
}

/// The four points each run is judged on.
public enum FaultPoint: String, CaseIterable, Sendable, Codable {
    /// (a) No forward plunger motion after the tick following the stop.
    case stopped
    /// (b) True syringe pressure below the threshold within the time after the stop.
    case relieved
    /// (c) True delivered volume within the active cap and tolerance.
    case withinCap
    /// (d) The controller logged an event naming the fault.
    case logged

    public var letter: String {
        switch self {
        case .stopped: "a"
        case .relieved: "b"
        case .withinCap: "c"
        case .logged: "d"
        }
    }
}
