import InjectorCore

/// SimSensors: what a simulator's sensors read, sent to a firmware running against it.
public struct SimulatedSensors: Equatable, Sendable {
    public var sampleTime: Instant
    public var pressure: Kilopascals
    public var pressureStatus: SampleStatus
    /// `nil` when no plunger-position sensor is fitted.
    public var plungerPosition: Microliters?
    /// Meaningful only when a plunger sensor is fitted; `.missing` otherwise.
    public var plungerStatus: SampleStatus
    /// The pressure twin (a plunger load cell) when the simulated rig has one; `nil`
    /// otherwise, and then the frame is 5 bytes shorter.
    public var pressureTwin: Kilopascals?
    /// Meaningful only with a twin; `.missing` otherwise.
    public var pressureTwinStatus: SampleStatus
    public var switches: SwitchInputs

    /// Values are rounded to the wire's resolution (1 Pa, 1 nL) here, so that what the
    /// simulator holds is exactly what the firmware receives.
    public init(sampleTime: Instant, pressure: Kilopascals, pressureStatus: SampleStatus = .valid,
                plungerPosition: Microliters? = nil, plungerStatus: SampleStatus = .valid,
                pressureTwin: Kilopascals? = nil, pressureTwinStatus: SampleStatus = .valid,
                switches: SwitchInputs = SwitchInputs()) {
        self.sampleTime = sampleTime
        self.pressure = Kilopascals(Milli.quantized(pressure.rawValue))
        self.pressureStatus = pressureStatus
        self.plungerPosition = plungerPosition.map { Microliters(Milli.quantized($0.rawValue)) }
        self.plungerStatus = plungerPosition == nil ? .missing : plungerStatus
        self.pressureTwin = pressureTwin.map { Kilopascals(Milli.quantized($0.rawValue)) }
        self.pressureTwinStatus = pressureTwin == nil ? .missing : pressureTwinStatus
        self.switches = switches
    }

    /// The pressure reading as the controller's inputs want it.
    public var pressureSample: SensorSample<Kilopascals> {
        SensorSample(value: pressure, sampledAt: sampleTime, status: pressureStatus)
    }

    /// The twin's reading, or `nil` when none is fitted.
    public var pressureTwinSample: SensorSample<Kilopascals>? {
        pressureTwin.map { SensorSample(value: $0, sampledAt: sampleTime, status: pressureTwinStatus) }
    }

    /// The plunger reading, or `nil` when the sensor is not fitted.
    public var plungerSample: SensorSample<Microliters>? {
        plungerPosition.map { SensorSample(value: $0, sampledAt: sampleTime, status: plungerStatus) }
    }
}

/// SimActuators: what the firmware drives, sent to the simulator's plant model.
/// Exact values (`i64`, `f64`) so that a lockstep replay is bit-identical.
public struct SimulatedActuators: Equatable, Sendable {
    public var time: Instant
    public var stepPosition: Steps
    public var stepRate: StepsPerSecond
    public var driver: DriverEnable
    public var alarm: AlarmLevel

    public init(time: Instant, stepPosition: Steps, stepRate: StepsPerSecond,
                driver: DriverEnable, alarm: AlarmLevel) {
        self.time = time
        self.stepPosition = stepPosition
        self.stepRate = stepRate
        self.driver = driver
        self.alarm = alarm
    }
}
