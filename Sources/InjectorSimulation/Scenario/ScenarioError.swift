import InjectorCore
import InjectorPlant

/// A scenario or campaign file that could not be read, with every problem found in it;
/// `field` and `message` are the first one's.
public struct ScenarioError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Dotted path of the first offending key (`operator.reactionDelay`), or "" for the file.
    public var field: String
    public var message: String
    public var file: String?
    /// Every problem of the file, each with its field path and what it may hold.
    public var problems: [ConfigurationProblem]

    public init(field: String, message: String, file: String? = nil) {
        self.field = field
        self.message = message
        self.file = file
        self.problems = []
    }

    /// The report of a whole file; `problems` must not be empty.
    public init(problems: [ConfigurationProblem], file: String? = nil) {
        let first = problems[0]
        self.field = first.field
        self.message = String(first.description.dropFirst(first.field.count + 2))
        self.file = file
        self.problems = problems
    }

    public var description: String {
        let place = file.map { "\($0): " } ?? ""
        guard problems.count > 1 else { return field.isEmpty ? "\(place)\(message)" : "\(place)\(field): \(message)" }
        return "\(place)\(problems.count) problems:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// Names of the core's enum cases as written in scenario files and JSON (`leakSeen`),
/// apart from their descriptions, which are words for people.
func caseName(_ r: Reason) -> String { reasonNames[r] ?? String(r.rawValue) }
func caseName(_ s: InjectorState) -> String { stateNames[s] ?? String(s.rawValue) }
func caseName(_ k: LeakPathKind) -> String {
    switch k {
    case .vein: "vein"
    case .epidural: "epidural"
    case .needleTract: "needleTract"
    case .disc: "disc"
    }
}

private let reasonNames: [Reason: String] = [
    .none: "none",
    .hostConfigure: "hostConfigure",
    .hostPrime: "hostPrime",
    .hostArm: "hostArm",
    .hostStart: "hostStart",
    .hostPause: "hostPause",
    .hostResume: "hostResume",
    .hostFinish: "hostFinish",
    .hostRelease: "hostRelease",
    .hostResetFault: "hostResetFault",
    .hostDisarm: "hostDisarm",
    .primingComplete: "primingComplete",
    .releaseDue: "releaseDue",
    .pressureLimit: "pressureLimit",
    .releaseComplete: "releaseComplete",
    .capReached: "capReached",
    .eStop: "eStop",
    .localReset: "localReset",
    .enableReleased: "enableReleased",
    .posteriorQuarterReached: "posteriorQuarterReached",
    .leakSeen: "leakSeen",
    .endOfTravel: "endOfTravel",
    .leakSuspected: "leakSuspected",
    .occlusion: "occlusion",
    .cementTooLiquid: "cementTooLiquid",
    .workingTimeExceeded: "workingTimeExceeded",
    .hostLinkLost: "hostLinkLost",
    .pressureStale: "pressureStale",
    .pressureOutOfRange: "pressureOutOfRange",
    .pressureSensorError: "pressureSensorError",
    .positionStale: "positionStale",
    .positionSensorError: "positionSensorError",
    .positionDisagreement: "positionDisagreement",
    .reliefFailed: "reliefFailed",
    .stepFeedbackImplausible: "stepFeedbackImplausible",
    .contradictoryInputs: "contradictoryInputs",
    .pressureStuck: "pressureStuck",
    .pressureTwinStale: "pressureTwinStale",
    .pressureTwinSensorError: "pressureTwinSensorError",
    .pressureDisagreement: "pressureDisagreement",
    .driverFault: "driverFault",
]

private let stateNames: [InjectorState: String] = [
    .idle: "idle",
    .priming: "priming",
    .primed: "primed",
    .armed: "armed",
    .injecting: "injecting",
    .releasing: "releasing",
    .paused: "paused",
    .complete: "complete",
    .eStopped: "eStopped",
    .faulted: "faulted",
]
