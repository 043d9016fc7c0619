/// The kind of an event. One byte on the wire; raw values are stable.
public enum EventKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case stateChanged = 1
    case faultLatched = 2
    case hazardDetected = 3
    case limitReached = 4
    case commandAccepted = 5
    case commandRefused = 6
    case capTightened = 7
    case rateChanged = 8
    case warning = 9
    case cementMixed = 10
    /// The configured value a geometry check compared with (`value`), raised right after
    /// the `hazardDetected` event of the same reason, whose `value` is the measured one.
    case geometryConfigured = 11

    public var description: String {
        switch self {
        case .stateChanged: "state-changed"
        case .faultLatched: "fault-latched"
        case .hazardDetected: "hazard-detected"
        case .limitReached: "limit-reached"
        case .commandAccepted: "command-accepted"
        case .commandRefused: "command-refused"
        case .capTightened: "cap-tightened"
        case .rateChanged: "rate-changed"
        case .warning: "warning"
        case .cementMixed: "cement-mixed"
        case .geometryConfigured: "geometry-configured"
        }
    }
}

/// One entry of the controller's flight record: a fixed-layout value with no
/// references, so raising one never allocates.
public struct ControllerEvent: Equatable, Sendable, CustomStringConvertible {
    public var time: Instant
    public var kind: EventKind
    public var reason: Reason
    /// The state before the event (equal to `state` unless the state changed).
    public var previousState: InjectorState
    /// The state after the event.
    public var state: InjectorState
    public var command: CommandCode
    public var refusal: Refusal
    /// A number that goes with the event: the volume for a cap, the pressure for a
    /// pressure limit, the flow for a rate change; 0 when it has none.
    public var value: Double

    public init(time: Instant, kind: EventKind, reason: Reason = .none,
                previousState: InjectorState, state: InjectorState,
                command: CommandCode = .none, refusal: Refusal = .none, value: Double = 0) {
        self.time = time
        self.kind = kind
        self.reason = reason
        self.previousState = previousState
        self.state = state
        self.command = command
        self.refusal = refusal
        self.value = value
    }

    public var description: String {
        var text = "\(time) \(kind)"
        switch kind {
        case .stateChanged: text += " \(previousState) → \(state)"
        case .commandAccepted: text += " \(command)"
        case .commandRefused: text += " \(command): \(refusal)"
        default: break
        }
        if reason != .none { text += " (\(reason))" }
        if value != 0 { text += " [\(Microliters.formatted(value))]" }
        return text
    }
}

/// A fixed-capacity list of the events of one tick. It never allocates; if a tick
/// raises more than `capacity` events the excess is counted in `dropped` (and the
/// telemetry), never silently lost.
public struct EventBatch: Sendable, Sequence {
    public static let capacity = 8
    @usableFromInline var storage: InlineArray<8, ControllerEvent>
    public private(set) var count: Int = 0
    public private(set) var dropped: Int = 0

    public init() {
        storage = InlineArray(repeating: ControllerEvent(
            time: .origin, kind: .warning, previousState: .idle, state: .idle))
    }

    public mutating func append(_ event: ControllerEvent) {
        guard count < Self.capacity else { dropped += 1; return }
        storage[count] = event
        count += 1
    }

    /// Empties the batch for the next tick without touching its storage.
    public mutating func removeAll() {
        count = 0
        dropped = 0
    }

    public var isEmpty: Bool { count == 0 }

    public subscript(index: Int) -> ControllerEvent {
        precondition(index >= 0 && index < count, "event index out of range")
        return storage[index]
    }

    public struct Iterator: IteratorProtocol {
        let batch: EventBatch
        var index = 0
        public mutating func next() -> ControllerEvent? {
            guard index < batch.count else { return nil }
            defer { index += 1 }
            return batch[index]
        }
    }

    public func makeIterator() -> Iterator { Iterator(batch: self) }
}
