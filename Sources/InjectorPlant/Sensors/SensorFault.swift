import InjectorCore

/// A sensor failure injected at a time, optionally ending at another.
public struct SensorFault<Value: Quantity>: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The reading freezes at its value when the fault begins; time stamps keep
        /// advancing and the status stays valid: a sensor that lies.
        case stuck
        /// An offset that grows at this rate per second from the fault's start.
        case drift(perSecond: Value)
        /// No new samples: status `.missing`, the last value with its old time stamp.
        case dropout
        /// Extra Gaussian noise of this standard deviation.
        case noiseBurst(standardDeviation: Value)
        /// The reading jumps to this value (a broken wire, a saturated ADC).
        case outOfRange(Value)
    }

    public var kind: Kind
    public var from: Instant
    /// `nil`: the fault lasts to the end of the run.
    public var until: Instant?

    public init(_ kind: Kind, from: Instant, until: Instant? = nil) {
        precondition(until.map { $0 > from } ?? true, "a fault must end after it starts")
        self.kind = kind
        self.from = from
        self.until = until
    }

    public func isActive(at now: Instant) -> Bool { faultWindow(from: from, until: until, contains: now) }
}

/// A digital input (pedal, stop button, end switch) stuck at one level from a time on,
/// whatever the operator does. The runner applies it to the one switch it names.
public struct StuckInputFault: Equatable, Sendable {
    public var level: Activation
    public var from: Instant
    public var until: Instant?

    public init(level: Activation, from: Instant, until: Instant? = nil) {
        self.level = level
        self.from = from
        self.until = until
    }

    /// What the controller reads when the switch is really at `actual`.
    public func apply(to actual: Activation, at now: Instant) -> Activation {
        faultWindow(from: from, until: until, contains: now) ? level : actual
    }
}

/// Whether `now` falls in a fault's window [from, until), open-ended when `until` is nil.
func faultWindow(from: Instant, until: Instant?, contains now: Instant) -> Bool {
    now >= from && until.map { now < $0 } ?? true
}
