/// Whether a digital input is asserted. The hardware edge maps wiring to this
/// (a normally-closed e-stop reads `.active` when its wire is cut).
public enum Activation: UInt8, Sendable, CaseIterable {
    case inactive = 0
    case active = 1

    @inlinable public var isActive: Bool { self == .active }
}

/// The physical switches, as seen this tick.
public struct SwitchInputs: Equatable, Sendable {
    /// Emergency stop. Latches the controller; only `localReset` clears it.
    public var eStop: Activation
    /// Injection enable: foot pedal or dead-man switch, held to inject.
    public var enable: Activation
    /// Observer's button: cement front reached the posterior quarter.
    public var posteriorQuarterStop: Activation
    /// Observer's button: a leak is seen on fluoroscopy.
    public var leakSeenStop: Activation
    /// Plunger at the end of its forward travel (syringe empty).
    public var forwardEndOfTravel: Activation
    /// Plunger fully withdrawn.
    public var rearEndOfTravel: Activation
    /// Reset button on the device; the only way out of an e-stop.
    public var localReset: Activation

    public init(eStop: Activation = .inactive, enable: Activation = .inactive,
                posteriorQuarterStop: Activation = .inactive, leakSeenStop: Activation = .inactive,
                forwardEndOfTravel: Activation = .inactive, rearEndOfTravel: Activation = .inactive,
                localReset: Activation = .inactive) {
        self.eStop = eStop
        self.enable = enable
        self.posteriorQuarterStop = posteriorQuarterStop
        self.leakSeenStop = leakSeenStop
        self.forwardEndOfTravel = forwardEndOfTravel
        self.rearEndOfTravel = rearEndOfTravel
        self.localReset = localReset
    }

    /// All switches as bits (bit 0 e-stop … bit 6 local reset), for telemetry.
    @inlinable public var bits: UInt8 {
        eStop.rawValue | enable.rawValue << 1 | posteriorQuarterStop.rawValue << 2
            | leakSeenStop.rawValue << 3 | forwardEndOfTravel.rawValue << 4
            | rearEndOfTravel.rawValue << 5 | localReset.rawValue << 6
    }

    @inlinable public init(bits: UInt8) {
        func bit(_ n: UInt8) -> Activation { (bits >> n) & 1 == 1 ? .active : .inactive }
        self.init(eStop: bit(0), enable: bit(1), posteriorQuarterStop: bit(2), leakSeenStop: bit(3),
                  forwardEndOfTravel: bit(4), rearEndOfTravel: bit(5), localReset: bit(6))
    }
}

/// How a sensor sample arrived.
public enum SampleStatus: UInt8, Sendable, CaseIterable {
    case valid = 0
    /// The driver has no sample (not yet read, or the read failed transiently).
    case missing = 1
    /// The driver reported an error (bus error, ADC saturation flag).
    case error = 2
}

/// One reading of a sensor, with the time it was taken (not the time it was used).
public struct SensorSample<Value: Quantity>: Equatable, Sendable {
    public var value: Value
    public var sampledAt: Instant
    public var status: SampleStatus

    @inlinable public init(value: Value, sampledAt: Instant, status: SampleStatus = .valid) {
        self.value = value
        self.sampledAt = sampledAt
        self.status = status
    }
}

/// Everything the controller sees in one tick. Time is an input like any other.
public struct ControllerInputs: Equatable, Sendable {
    /// The time of this tick.
    public var now: Instant
    /// Net steps issued to the driver so far (forward positive), from the step generator.
    public var stepPosition: Steps
    /// Syringe pressure.
    public var pressure: SensorSample<Kilopascals>
    /// Independent plunger position as displaced volume from syringe zero, if fitted.
    public var plungerPosition: SensorSample<Microliters>?
    /// A second, independent measurement of syringe pressure, if fitted: a load cell
    /// under the plunger (force / plunger area) beside the outlet transducer.
    public var pressureTwin: SensorSample<Kilopascals>?
    public var switches: SwitchInputs
    /// At most one host command per tick; the firmware queues the rest.
    public var command: HostCommand?
    /// When the host was last heard from (any valid frame); `nil` if never.
    public var hostLastHeard: Instant?

    public init(now: Instant, stepPosition: Steps, pressure: SensorSample<Kilopascals>,
                plungerPosition: SensorSample<Microliters>? = nil, pressureTwin: SensorSample<Kilopascals>? = nil,
                switches: SwitchInputs = SwitchInputs(), command: HostCommand? = nil, hostLastHeard: Instant? = nil) {
        self.now = now
        self.stepPosition = stepPosition
        self.pressure = pressure
        self.plungerPosition = plungerPosition
        self.pressureTwin = pressureTwin
        self.switches = switches
        self.command = command
        self.hostLastHeard = hostLastHeard
    }
}
