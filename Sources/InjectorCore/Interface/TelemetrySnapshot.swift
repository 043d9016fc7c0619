/// Hazard and health flags, one bit each, for telemetry.
public struct HazardFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    @inlinable public static var pressureSlowdown: HazardFlags { HazardFlags(rawValue: 1 << 0) }
    @inlinable public static var pressureAboveOcclusionThreshold: HazardFlags { HazardFlags(rawValue: 1 << 1) }
    @inlinable public static var consistencyCheckRunning: HazardFlags { HazardFlags(rawValue: 1 << 2) }
    @inlinable public static var consistencyCheckPassed: HazardFlags { HazardFlags(rawValue: 1 << 3) }
    @inlinable public static var hostLinkLost: HazardFlags { HazardFlags(rawValue: 1 << 4) }
    @inlinable public static var pressureSensorUnhealthy: HazardFlags { HazardFlags(rawValue: 1 << 5) }
    @inlinable public static var positionSensorUnhealthy: HazardFlags { HazardFlags(rawValue: 1 << 6) }
    @inlinable public static var workingTimeWarning: HazardFlags { HazardFlags(rawValue: 1 << 7) }
    @inlinable public static var capApproaching: HazardFlags { HazardFlags(rawValue: 1 << 8) }
    @inlinable public static var leakWatchArmed: HazardFlags { HazardFlags(rawValue: 1 << 9) }
    /// The final guard has zeroed a forward rate at least once since start: a path above
    /// let through what it should not (a software fault, never expected).
    @inlinable public static var motionGuardTripped: HazardFlags { HazardFlags(rawValue: 1 << 10) }
    /// The stepper driver's fault or stall output is asserted this tick.
    @inlinable public static var driverFault: HazardFlags { HazardFlags(rawValue: 1 << 11) }
}

/// Everything an engineer needs to reconstruct a run, taken every tick.
/// Fixed layout, plain values: copying one never allocates.
public struct TelemetrySnapshot: Equatable, Sendable {
    public var time: Instant
    public var tick: UInt64
    public var state: InjectorState
    public var relief: ReliefPhase
    /// Why the controller is paused, complete or faulted; `.none` otherwise.
    public var stateReason: Reason
    public var stepPosition: Steps
    /// Net plunger displacement since priming ended.
    public var displaced: Microliters
    /// Cement estimated to have left the needle (never decreases).
    public var delivered: Microliters
    /// Volume stored in system compliance at the current pressure.
    public var stored: Microliters
    /// The most that can end up delivered if the plunger stops now (the peak displacement).
    public var committed: Microliters
    /// The active volume cap.
    public var cap: Microliters
    public var pressure: Kilopascals
    /// The independent plunger reading as displacement since priming; NaN if none.
    public var plungerPosition: Microliters
    /// The flow the controller is commanding (signed).
    public var commandedFlow: MicrolitersPerSecond
    /// The operator's target flow.
    public var targetFlow: MicrolitersPerSecond
    public var stepRate: StepsPerSecond
    public var driver: DriverEnable
    public var alarm: AlarmLevel
    public var switchBits: UInt8
    public var hazards: HazardFlags
    public var releaseCycles: UInt32
    /// Time since cement mixing started; negative if not recorded.
    public var timeSinceMixing: Interval
    /// Time since the host was last heard; negative if never.
    public var hostSilence: Interval
    /// Events that did not fit in a tick's batch, since start.
    public var eventsDropped: UInt32
    /// Ticks on which the final motion guard zeroed a forward rate, since start.
    public var guardTrips: UInt32
    /// Committed in this level across its plans, and in the session across its levels.
    public var levelCommitted: Microliters
    public var sessionCommitted: Microliters

    /// Volume still allowed before the cap.
    @inlinable public var remaining: Microliters { Swift.max(.zero, cap - committed) }
}
