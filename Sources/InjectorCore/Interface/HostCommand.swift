/// What the host may ask of the controller. Nothing here can raise a configured
/// ceiling, start motion against an interlock, or clear an e-stop: the controller
/// refuses such a command with a specific `Refusal`.
public enum HostCommand: Equatable, Sendable {
    /// Replace the procedure plan (only while idle or complete; returns to idle).
    case configureProcedure(ProcedurePlan)
    /// Record that cement mixing started now; the working-time clock runs from here.
    case cementMixed
    /// Record that cement mixing started this long before now (the operator mixed,
    /// then connected; a simulator serving a plant whose cement is already that old).
    /// At most the configured setting time: cement that has set is not injected.
    case cementMixedAgo(Interval)
    /// Fill the needle's dead volume; not counted as delivered.
    case prime
    case arm
    /// Return from armed to primed.
    case disarm
    case start
    case pause
    /// Resume from a pause, naming the pause's reason to show it was seen.
    case resume(acknowledging: Reason)
    /// Stop injecting: finish the procedure, or pause for an observed event.
    case stop(StopIntent)
    /// Relieve pressure now.
    case release
    /// Change the target flow; never above the configured maximum.
    case setRate(MicrolitersPerSecond)
    /// Lower the volume cap; a request above the active cap is refused.
    case tightenCap(Microliters)
    /// Clear a latched fault whose condition has gone.
    case resetFault
    case queryStatus

    public var code: CommandCode {
        switch self {
        case .configureProcedure: .configureProcedure
        case .cementMixed: .cementMixed
        case .cementMixedAgo: .cementMixedAgo
        case .prime: .prime
        case .arm: .arm
        case .disarm: .disarm
        case .start: .start
        case .pause: .pause
        case .resume: .resume
        case .stop: .stop
        case .release: .release
        case .setRate: .setRate
        case .tightenCap: .tightenCap
        case .resetFault: .resetFault
        case .queryStatus: .queryStatus
        }
    }
}

/// A command's kind, one byte on the wire.
public enum CommandCode: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case configureProcedure = 1
    case cementMixed = 2
    case prime = 3
    case arm = 4
    case disarm = 5
    case start = 6
    case pause = 7
    case resume = 8
    case stop = 9
    case release = 10
    case setRate = 11
    case tightenCap = 12
    case resetFault = 13
    case queryStatus = 14
    case cementMixedAgo = 15

    public var description: String {
        switch self {
        case .none: "none"
        case .configureProcedure: "configure-procedure"
        case .cementMixed: "cement-mixed"
        case .prime: "prime"
        case .arm: "arm"
        case .disarm: "disarm"
        case .start: "start"
        case .pause: "pause"
        case .resume: "resume"
        case .stop: "stop"
        case .release: "release"
        case .setRate: "set-rate"
        case .tightenCap: "tighten-cap"
        case .resetFault: "reset-fault"
        case .queryStatus: "query-status"
        case .cementMixedAgo: "cement-mixed-ago"
        }
    }
}

/// What a stop command means.
public enum StopIntent: UInt8, Sendable, CaseIterable {
    /// The operator is done: relieve pressure and complete.
    case finish = 0
    /// Fluoroscopy shows cement in the posterior quarter: pause.
    case posteriorQuarterReached = 1
    /// Fluoroscopy shows a leak: pause for at least the configured leak pause.
    case leakSeen = 2
}

/// The controller's answer to one command.
public enum CommandReply: Equatable, Sendable {
    case accepted(CommandCode)
    case refused(CommandCode, Refusal)

    public var command: CommandCode {
        switch self {
        case .accepted(let c), .refused(let c, _): c
        }
    }
}

/// Why a command was refused. One byte on the wire; raw values are stable.
public enum Refusal: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case notAllowedInState = 1
    case eStopActive = 2
    case enableNotHeld = 3
    case operatorStopActive = 4
    case endOfTravelActive = 5
    case faultLatched = 6
    case acknowledgementMismatch = 7
    case exceedsCeiling = 8
    case wouldRaiseCap = 9
    case capExhausted = 10
    case cementNotMixed = 11
    case cementNotReady = 12
    case workingTimeExceeded = 13
    case pressureSensorUnhealthy = 14
    case hostLinkLost = 15
    case invalidParameter = 16
    case leakPauseNotElapsed = 17
    case faultConditionPersists = 18
    case cementTooLiquid = 19
    case reliefInProgress = 20
    /// This level's needle is primed already: priming again would push its dead volume
    /// through a needle in bone. A new level needs the device's new-level key.
    case levelAlreadyPrimed = 21
    /// Not allowed in the state the controller is in, named: 22 + the `InjectorState`
    /// raw value. The controller gives these instead of the unnamed `notAllowedInState`.
    case notAllowedWhileIdle = 22
    case notAllowedWhilePriming = 23
    case notAllowedWhilePrimed = 24
    case notAllowedWhileArmed = 25
    case notAllowedWhileInjecting = 26
    case notAllowedWhileReleasing = 27
    case notAllowedWhilePaused = 28
    case notAllowedWhileComplete = 29
    case notAllowedWhileEStopped = 30
    case notAllowedWhileFaulted = 31
    /// A geometry cross-check disagrees with the configuration (dead volume from priming,
    /// plunger area from the load cell, syringe size from the barrel clamp): the cap would
    /// be counted in the wrong volume. The hazard event before names the measured and the
    /// configured value (issue 9 finding 2).
    case geometryMismatch = 32

    public var description: String {
        switch self {
        case .none: "none"
        case .notAllowedInState: "not allowed in this state"
        case .eStopActive: "e-stop is active"
        case .enableNotHeld: "enable (pedal) is not held"
        case .operatorStopActive: "an operator stop input is active"
        case .endOfTravelActive: "plunger is at end of travel"
        case .faultLatched: "a fault is latched"
        case .acknowledgementMismatch: "acknowledgement does not name the pause reason"
        case .exceedsCeiling: "value exceeds the configured ceiling"
        case .wouldRaiseCap: "the cap can only be lowered"
        case .capExhausted: "the volume cap is used up"
        case .cementNotMixed: "cement mixing has not been recorded"
        case .cementNotReady: "cement is not yet in its working phase"
        case .workingTimeExceeded: "cement working time is over"
        case .pressureSensorUnhealthy: "pressure sensor is not healthy"
        case .hostLinkLost: "host link is lost"
        case .invalidParameter: "parameter out of range"
        case .leakPauseNotElapsed: "the minimum pause after a leak has not elapsed"
        case .faultConditionPersists: "the fault's condition is still present"
        case .cementTooLiquid: "cement failed the consistency check"
        case .reliefInProgress: "pressure relief is still in progress"
        case .levelAlreadyPrimed: "this level is primed already; a new level needs the device's new-level key"
        case .notAllowedWhileIdle: "not allowed while idle"
        case .notAllowedWhilePriming: "not allowed while priming"
        case .notAllowedWhilePrimed: "not allowed while primed"
        case .notAllowedWhileArmed: "not allowed while armed"
        case .notAllowedWhileInjecting: "not allowed while injecting"
        case .notAllowedWhileReleasing: "not allowed while releasing"
        case .notAllowedWhilePaused: "not allowed while paused"
        case .notAllowedWhileComplete: "not allowed while complete"
        case .notAllowedWhileEStopped: "not allowed while e-stopped"
        case .notAllowedWhileFaulted: "not allowed while faulted"
        case .geometryMismatch: "a measured geometry disagrees with the configuration"
        }
    }
}

extension Refusal {
    /// The refusal that names `state` as the reason: "not allowed while …".
    public static func notAllowed(in state: InjectorState) -> Refusal {
        Refusal(rawValue: Refusal.notAllowedWhileIdle.rawValue + state.rawValue)!
    }

    /// The state a "not allowed while …" refusal names; `nil` for any other refusal.
    public var refusingState: InjectorState? {
        guard rawValue >= Refusal.notAllowedWhileIdle.rawValue else { return nil }
        return InjectorState(rawValue: rawValue - Refusal.notAllowedWhileIdle.rawValue)
    }
}
