import InjectorCore

/// The Telemetry payload: the snapshot fields an engineer needs to follow a run,
/// in the wire's resolution (0.001 of the core's units; intervals in whole ms).
///
/// Build one with `init(snapshot:)`; its values are already rounded to the wire, so
/// a report survives encode → decode unchanged.
public struct TelemetryReport: Equatable, Sendable {
    public var time: Instant
    public var state: InjectorState
    public var relief: ReliefPhase
    public var stateReason: Reason
    public var driver: DriverEnable
    public var alarm: AlarmLevel
    public var switches: SwitchInputs
    public var hazards: HazardFlags
    /// Net steps; the wire carries the low 32 bits' worth, saturated.
    public var stepPosition: Steps
    public var pressure: Kilopascals
    public var delivered: Microliters
    public var committed: Microliters
    public var cap: Microliters
    /// `nil` when no independent plunger sensor is fitted.
    public var plungerPosition: Microliters?
    public var commandedFlow: MicrolitersPerSecond
    public var stepRate: StepsPerSecond
    /// `nil` until cement mixing is recorded.
    public var timeSinceMixing: Interval?
    /// `nil` if the host was never heard.
    public var hostSilence: Interval?
    public var releaseCycles: UInt16
    public var eventsDropped: UInt16

    public init(time: Instant, state: InjectorState, relief: ReliefPhase, stateReason: Reason,
                driver: DriverEnable, alarm: AlarmLevel, switches: SwitchInputs, hazards: HazardFlags,
                stepPosition: Steps, pressure: Kilopascals, delivered: Microliters, committed: Microliters,
                cap: Microliters, plungerPosition: Microliters?, commandedFlow: MicrolitersPerSecond,
                stepRate: StepsPerSecond, timeSinceMixing: Interval?, hostSilence: Interval?,
                releaseCycles: UInt16, eventsDropped: UInt16) {
        self.time = time
        self.state = state
        self.relief = relief
        self.stateReason = stateReason
        self.driver = driver
        self.alarm = alarm
        self.switches = switches
        self.hazards = hazards
        self.stepPosition = stepPosition
        self.pressure = pressure
        self.delivered = delivered
        self.committed = committed
        self.cap = cap
        self.plungerPosition = plungerPosition
        self.commandedFlow = commandedFlow
        self.stepRate = stepRate
        self.timeSinceMixing = timeSinceMixing
        self.hostSilence = hostSilence
        self.releaseCycles = releaseCycles
        self.eventsDropped = eventsDropped
    }

    /// The report of one controller snapshot, rounded to the wire's resolution.
    public init(snapshot s: TelemetrySnapshot) {
        self.init(
            time: s.time, state: s.state, relief: s.relief, stateReason: s.stateReason,
            driver: s.driver, alarm: s.alarm, switches: SwitchInputs(bits: s.switchBits & 0x7F),
            hazards: s.hazards.intersection(HazardFlags(rawValue: TelemetryLayout.hazardMask)),
            stepPosition: Steps(Int64(Saturating.i32(s.stepPosition.count))),
            pressure: Kilopascals(Milli.quantized(s.pressure.rawValue)),
            delivered: Microliters(Milli.quantized(s.delivered.rawValue)),
            committed: Microliters(Milli.quantized(s.committed.rawValue)),
            cap: Microliters(Milli.quantized(s.cap.rawValue)),
            plungerPosition: s.plungerPosition.rawValue.isNaN
                ? nil : Microliters(Milli.quantized(s.plungerPosition.rawValue)),
            commandedFlow: MicrolitersPerSecond(Milli.quantized(s.commandedFlow.rawValue)),
            stepRate: StepsPerSecond(Milli.quantized(s.stepRate.rawValue)),
            timeSinceMixing: Saturating.interval(milliseconds: Saturating.milliseconds(s.timeSinceMixing)),
            hostSilence: Saturating.interval(milliseconds: Saturating.milliseconds(s.hostSilence)),
            releaseCycles: Saturating.u16(s.releaseCycles),
            eventsDropped: Saturating.u16(s.eventsDropped))
    }
}

/// Field layout constants of the Telemetry payload.
enum TelemetryLayout {
    static let payloadSize = 59
    /// HazardFlags bits 0–10 are defined (docs/protocol.yaml, `flags: HazardFlags`).
    static let hazardMask: UInt16 = 0x0FFF
}
