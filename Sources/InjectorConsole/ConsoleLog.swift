import InjectorCore

/// One line of the console's event list: what the firmware reported (events, answers
/// to commands) and what the console itself did or noticed (link lost, refused
/// locally).
public struct ConsoleEntry: Equatable, Sendable {
    public enum Severity: String, Sendable {
        case info
        /// A refusal, a warning, a hazard.
        case warning
        /// A fault latched, an e-stop, a lost link.
        case alarm
    }

    /// Counts every entry ever logged, for views that fetch only what is new.
    public var index: UInt64
    /// The console's monotonic time when it was logged, s since the session began.
    public var time: Double
    public var severity: Severity
    public var text: String
}

/// The last `capacity` entries, oldest first.
public struct ConsoleLog: Sendable {
    public let capacity: Int
    public private(set) var entries: [ConsoleEntry] = []
    /// The index the next one will get: what a view asks for next time.
    public private(set) var nextIndex: UInt64 = 0

    public init(capacity: Int = 200) {
        precondition(capacity > 0, "a log holds at least one entry")
        self.capacity = capacity
    }

    mutating func add(_ text: String, _ severity: ConsoleEntry.Severity, at time: Double) {
        if entries.count == capacity { entries.removeFirst() }
        entries.append(ConsoleEntry(index: nextIndex, time: time, severity: severity, text: text))
        nextIndex += 1
    }

    public func entries(from: UInt64) -> [ConsoleEntry] { entries.filter { $0.index >= from } }

    /// How an event reads in the list, and how loud it is.
    static func describe(_ e: ControllerEvent) -> (String, ConsoleEntry.Severity) {
        let severity: ConsoleEntry.Severity
        switch e.kind {
        case .faultLatched: severity = .alarm
        case .stateChanged where e.state == .eStopped || e.state == .faulted: severity = .alarm
        case .hazardDetected, .limitReached, .commandRefused, .warning: severity = .warning
        default: severity = .info
        }
        let firmwareTime = ConsoleFormat.number(Double(e.time.nanoseconds) / 1e9, decimals: 3)
        var text = "fw \(firmwareTime) s  \(e.kind)"
        switch e.kind {
        case .stateChanged: text += ": \(e.previousState) → \(e.state)"
        case .commandAccepted: text += ": \(e.command)"
        case .commandRefused: text += ": \(e.command): \(e.refusal)"
        default: break
        }
        if e.reason != .none { text += " (\(e.reason))" }
        if e.value != 0 { text += " [\(ConsoleFormat.number(e.value))]" }
        return (text, severity)
    }
}
