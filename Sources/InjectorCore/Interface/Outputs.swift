/// Whether the stepper driver's power stage is enabled. The ENABLE line is wired so
/// that a released or floating line means `.disabled`.
public enum DriverEnable: UInt8, Sendable, CaseIterable {
    case disabled = 0
    case enabled = 1
}

/// The buzzer / lamp output.
public enum AlarmLevel: UInt8, Sendable, CaseIterable, Comparable {
    case off = 0
    /// Attention: paused, waiting for the operator.
    case notice = 1
    /// A hazard stop, fault or e-stop.
    case alarm = 2

    public static func < (a: AlarmLevel, b: AlarmLevel) -> Bool { a.rawValue < b.rawValue }
}

/// What the controller asks of the actuators this tick, and what it reports.
///
/// The events raised in the same tick are not copied in here: they stay in the
/// controller (`InjectionController.events`) until its next step. A batch holds eight
/// events, and copying it out every tick, almost always empty, was a fifth of a tick.
public struct ControllerOutputs: Sendable {
    /// Signed step rate: positive injects, negative backs the plunger off.
    public var stepRate: StepsPerSecond
    public var driver: DriverEnable
    public var alarm: AlarmLevel
    /// The answer to this tick's host command, if there was one.
    public var reply: CommandReply?
    public var telemetry: TelemetrySnapshot

    @inlinable public var isMovingForward: Bool { stepRate.rawValue > 0 }
}
