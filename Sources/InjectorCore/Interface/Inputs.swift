/// Whether a digital input is asserted. The hardware edge maps wiring to this
/// (a normally-closed e-stop reads `.active` when its wire is cut).
public enum Activation: UInt8, Sendable, CaseIterable {
    case inactive = 0
    case active = 1

    @inlinable public var isActive: Bool { self == .active }
}

/// The device's switches: the one list of them. Board files, scenarios, telemetry bits
/// and the controller all name a switch by this; the raw value is its telemetry bit.
public enum Switch: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Emergency stop. Latches the controller; only `localReset` clears it.
    case eStop = 0
    /// Injection enable: foot pedal or dead-man switch, held to inject.
    case enable = 1
    /// Observer's button: cement front reached the posterior quarter.
    case posteriorQuarterStop = 2
    /// Observer's button: a leak is seen on fluoroscopy.
    case leakSeenStop = 3
    /// Plunger at the end of its forward travel (syringe empty).
    case forwardEndOfTravel = 4
    /// Plunger fully withdrawn.
    case rearEndOfTravel = 5
    /// Reset button on the device; the only way out of an e-stop.
    case localReset = 6
    /// The device's new-level key switch: turned while idle or complete, it lets the
    /// host's next plan start a new vertebral level (see `VolumeLedger`).
    case newLevel = 7

    /// The name in board files, scenarios and logs (the case name).
    public var name: String {
        switch self {
        case .eStop: "eStop"
        case .enable: "enable"
        case .posteriorQuarterStop: "posteriorQuarterStop"
        case .leakSeenStop: "leakSeenStop"
        case .forwardEndOfTravel: "forwardEndOfTravel"
        case .rearEndOfTravel: "rearEndOfTravel"
        case .localReset: "localReset"
        case .newLevel: "newLevel"
        }
    }

    /// The switch with this name, if any.
    public init?(name: String) {
        guard let s = Switch.allCases.first(where: { $0.name == name }) else { return nil }
        self = s
    }

    public var description: String { name }
}

/// The physical switches, as seen this tick: one bit per `Switch` (bit n is the
/// switch whose raw value is n), so copying them is a byte.
public struct SwitchInputs: Equatable, Sendable {
    /// All switches as bits (bit 0 e-stop … bit 7 new level), as in telemetry.
    public var bits: UInt8

    @inlinable public init(bits: UInt8) { self.bits = bits }

    @inlinable public subscript(_ s: Switch) -> Activation {
        get { (bits >> s.rawValue) & 1 == 1 ? .active : .inactive }
        set { bits = (bits & ~(1 << s.rawValue)) | (newValue.rawValue << s.rawValue) }
    }

    public init(eStop: Activation = .inactive, enable: Activation = .inactive,
                posteriorQuarterStop: Activation = .inactive, leakSeenStop: Activation = .inactive,
                forwardEndOfTravel: Activation = .inactive, rearEndOfTravel: Activation = .inactive,
                localReset: Activation = .inactive, newLevel: Activation = .inactive) {
        bits = 0
        self[.eStop] = eStop
        self[.enable] = enable
        self[.posteriorQuarterStop] = posteriorQuarterStop
        self[.leakSeenStop] = leakSeenStop
        self[.forwardEndOfTravel] = forwardEndOfTravel
        self[.rearEndOfTravel] = rearEndOfTravel
        self[.localReset] = localReset
        self[.newLevel] = newLevel
    }

    // Named accessors for readability at call sites; the bits are the state.
    @inlinable public var eStop: Activation { get { self[.eStop] } set { self[.eStop] = newValue } }
    @inlinable public var enable: Activation { get { self[.enable] } set { self[.enable] = newValue } }
    @inlinable public var posteriorQuarterStop: Activation {
        get { self[.posteriorQuarterStop] } set { self[.posteriorQuarterStop] = newValue }
    }
    @inlinable public var leakSeenStop: Activation { get { self[.leakSeenStop] } set { self[.leakSeenStop] = newValue } }
    @inlinable public var forwardEndOfTravel: Activation {
        get { self[.forwardEndOfTravel] } set { self[.forwardEndOfTravel] = newValue }
    }
    @inlinable public var rearEndOfTravel: Activation {
        get { self[.rearEndOfTravel] } set { self[.rearEndOfTravel] = newValue }
    }
    @inlinable public var localReset: Activation { get { self[.localReset] } set { self[.localReset] = newValue } }
    @inlinable public var newLevel: Activation { get { self[.newLevel] } set { self[.newLevel] = newValue } }
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
    /// The bore of the syringe in the barrel clamp, if a clamp sensor is fitted (as
    /// syringe infusion pumps have): checked against `syringe.innerDiameter` before
    /// priming and arming.
    public var syringeBore: SensorSample<Millimeters>?
    public var switches: SwitchInputs
    /// At most one host command per tick; the firmware queues the rest.
    public var command: HostCommand?
    /// When the host was last heard from (any valid frame); `nil` if never.
    public var hostLastHeard: Instant?
    /// The stepper driver's own fault or stall output, if wired (DRV8825 nFAULT,
    /// TMC2209 DIAG): the motor's load as a witness that does not share the pressure
    /// sensors' errors (issue 9 finding 5). `.inactive` where none is wired.
    public var driverFault: Activation

    @inlinable public init(now: Instant, stepPosition: Steps, pressure: SensorSample<Kilopascals>,
                plungerPosition: SensorSample<Microliters>? = nil, pressureTwin: SensorSample<Kilopascals>? = nil,
                switches: SwitchInputs = SwitchInputs(), command: HostCommand? = nil, hostLastHeard: Instant? = nil,
                syringeBore: SensorSample<Millimeters>? = nil, driverFault: Activation = .inactive) {
        self.now = now
        self.stepPosition = stepPosition
        self.pressure = pressure
        self.plungerPosition = plungerPosition
        self.pressureTwin = pressureTwin
        self.syringeBore = syringeBore
        self.switches = switches
        self.command = command
        self.hostLastHeard = hostLastHeard
        self.driverFault = driverFault
    }
}
