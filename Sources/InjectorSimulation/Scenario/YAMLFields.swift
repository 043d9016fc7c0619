import Foundation
import InjectorCore
import InjectorPlant
import Yams

/// A scenario file that could not be read, naming the field and what it may hold.
public struct ScenarioError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Dotted path of the offending key (`operator.reactionDelay_s`), or "" for the file.
    public var field: String
    public var message: String
    public var file: String?

    public init(field: String, message: String, file: String? = nil) {
        self.field = field
        self.message = message
        self.file = file
    }

    public var description: String {
        let place = file.map { "\($0): " } ?? ""
        return field.isEmpty ? "\(place)\(message)" : "\(place)\(field): \(message)"
    }
}

/// One YAML mapping being read: every key must be asked for, and `finish()` reports
/// the first one nobody asked for, so a misspelt key is an error, not a silent default.
struct YAMLFields {
    let path: String
    private let entries: [(key: String, value: Node)]
    private var used: Set<String> = []

    init(_ node: Node, path: String) throws {
        guard case .mapping(let mapping) = node else {
            throw ScenarioError(field: path, message: "expected a mapping of keys to values")
        }
        var entries: [(key: String, value: Node)] = []
        for (k, v) in mapping {
            guard let key = k.string else { throw ScenarioError(field: path, message: "keys must be strings") }
            if entries.contains(where: { $0.key == key }) {
                throw ScenarioError(field: Self.join(path, key), message: "key appears twice")
            }
            entries.append((key, v))
        }
        self.path = path
        self.entries = entries
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    func field(_ key: String) -> String { Self.join(path, key) }

    mutating func node(_ key: String) -> Node? {
        used.insert(key)
        return entries.first { $0.key == key }?.value
    }

    /// Throws for the first key that no reader asked for, listing the allowed ones.
    func finish() throws {
        for (key, _) in entries where !used.contains(key) {
            throw ScenarioError(field: field(key), message: "unknown key; allowed here: \(used.sorted().joined(separator: ", "))")
        }
    }

    mutating func number(_ key: String, in range: ClosedRange<Double>, unit: String = "") throws -> Double? {
        guard let n = node(key) else { return nil }
        let suffix = unit.isEmpty ? "" : " \(unit)"
        let allowed = "allowed: \(Self.format(range.lowerBound)) … \(Self.format(range.upperBound))\(suffix)"
        guard case .scalar(let s) = n, let value = Double(s.string.replacingOccurrences(of: "_", with: "")), value.isFinite else {
            throw ScenarioError(field: field(key), message: "'\(Self.text(n))' is not a number; \(allowed)")
        }
        guard range.contains(value) else {
            throw ScenarioError(field: field(key), message: "\(Self.format(value)) is out of range; \(allowed)")
        }
        return value
    }

    mutating func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let n = node(key) else { return nil }
        guard case .scalar(let s) = n, let value = Int(s.string), range.contains(value) else {
            throw ScenarioError(field: field(key), message: "'\(Self.text(n))' is not an integer in \(range.lowerBound) … \(range.upperBound)")
        }
        return value
    }

    mutating func unsigned(_ key: String) throws -> UInt64? {
        guard let n = node(key) else { return nil }
        guard case .scalar(let s) = n, let value = UInt64(s.string) else {
            throw ScenarioError(field: field(key), message: "'\(Self.text(n))' is not an integer in 0 … \(UInt64.max)")
        }
        return value
    }

    mutating func bool(_ key: String) throws -> Bool? {
        guard let n = node(key) else { return nil }
        switch Self.text(n).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw ScenarioError(field: field(key), message: "'\(Self.text(n))' is not true or false")
        }
    }

    mutating func string(_ key: String) throws -> String? {
        guard let n = node(key) else { return nil }
        guard case .scalar(let s) = n else { throw ScenarioError(field: field(key), message: "expected text") }
        return s.string
    }

    /// One of a fixed set of names.
    mutating func choice<T>(_ key: String, _ options: [(String, T)]) throws -> T? {
        guard let text = try string(key) else { return nil }
        guard let hit = options.first(where: { $0.0 == text }) else {
            throw ScenarioError(field: field(key), message: "'\(text)' is not one of: \(options.map(\.0).joined(separator: ", "))")
        }
        return hit.1
    }

    mutating func mapping(_ key: String) throws -> YAMLFields? {
        guard let n = node(key) else { return nil }
        return try YAMLFields(n, path: field(key))
    }

    mutating func sequence(_ key: String) throws -> [Node]? {
        guard let n = node(key) else { return nil }
        guard case .sequence(let s) = n else { throw ScenarioError(field: field(key), message: "expected a list") }
        return Array(s)
    }

    static func text(_ n: Node) -> String {
        if case .scalar(let s) = n { return s.string }
        return "(not a single value)"
    }

    static func format(_ x: Double) -> String {
        if x == x.rounded() && Swift.abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
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
