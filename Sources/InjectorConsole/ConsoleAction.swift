import InjectorCore

/// What an operator can ask of the injector from the console: every `HostCommand`,
/// with `stop` split by its intent, since "finish", "cement in the posterior quarter"
/// and "leak seen" are three different decisions at the bench.
public enum ConsoleAction: String, CaseIterable, Sendable {
    case configure
    case cementMixed
    case cementMixedAgo
    case prime
    case arm
    case disarm
    case start
    case pause
    case resume
    case finish
    case posteriorQuarter
    case leakSeen
    case release
    case setRate
    case tightenCap
    case resetFault
    case queryStatus

    /// The button's and the key list's label.
    public var label: String {
        switch self {
        case .configure: "configure plan"
        case .cementMixed: "cement mixed now"
        case .cementMixedAgo: "cement mixed … s ago"
        case .prime: "prime"
        case .arm: "arm"
        case .disarm: "disarm"
        case .start: "start"
        case .pause: "pause"
        case .resume: "resume"
        case .finish: "finish"
        case .posteriorQuarter: "stop: posterior quarter"
        case .leakSeen: "stop: leak seen"
        case .release: "release pressure"
        case .setRate: "set rate"
        case .tightenCap: "tighten cap"
        case .resetFault: "reset fault"
        case .queryStatus: "query status"
        }
    }

    /// The terminal view's key. Stops and pause are single keys with no confirmation:
    /// the operator who sees a leak must not be slowed down.
    public var key: Character {
        switch self {
        case .configure: "c"
        case .cementMixed: "m"
        case .cementMixedAgo: "M"
        case .prime: "p"
        case .arm: "a"
        case .disarm: "d"
        case .start: "s"
        case .pause: " "
        case .resume: "r"
        case .finish: "f"
        case .posteriorQuarter: "q"
        case .leakSeen: "l"
        case .release: "x"
        case .setRate: "R"
        case .tightenCap: "C"
        case .resetFault: "F"
        case .queryStatus: "?"
        }
    }

    /// The value an action needs from the operator, with its unit and wire range.
    public var valueInput: ValueInput? {
        switch self {
        case .cementMixedAgo: ValueInput(name: "mixed ago", unit: "s", range: 0...3600)
        case .setRate: ValueInput(name: "rate", unit: "µL/s", range: 0...1_000_000)
        case .tightenCap: ValueInput(name: "cap", unit: "µL", range: 0...1_000_000)
        default: nil
        }
    }

    /// Stopping, pausing, relieving and asking never wait for a confirmation; what moves
    /// cement, changes the plan or clears a fault does.
    public var needsConfirmation: Bool {
        switch self {
        case .pause, .finish, .posteriorQuarter, .leakSeen, .release, .queryStatus, .cementMixed: false
        default: true
        }
    }

    public static func withKey(_ key: Character) -> ConsoleAction? { allCases.first { $0.key == key } }
}

/// A number the operator types for an action, checked before anything is sent.
public struct ValueInput: Equatable, Sendable {
    public var name: String
    public var unit: String
    public var range: ClosedRange<Double>

    /// The value, or why it is refused (naming the field and its range).
    public func parse(_ text: String) -> Result<Double, ConsoleProblem> {
        let trimmed = text.trimmingSpaces
        guard let value = Double(trimmed), value.isFinite else {
            return .failure(ConsoleProblem("\(name): \"\(trimmed)\" is not a number; allowed \(rangeText)"))
        }
        guard range.contains(value) else {
            return .failure(ConsoleProblem("\(name): \(trimmed) \(unit) is outside \(rangeText)"))
        }
        return .success(value)
    }

    var rangeText: String {
        "\(ConsoleFormat.number(range.lowerBound)) – \(ConsoleFormat.number(range.upperBound)) \(unit)"
    }
}

/// Why the console will not do something, in words for the operator.
public struct ConsoleProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ text: String) { description = text }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
