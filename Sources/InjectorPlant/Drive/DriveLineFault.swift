import InjectorCore

/// A fault of the wires between the firmware's step generator and the stepper driver
/// (hazards H11 and H12): the driver does what its lines say, not what the firmware
/// counted. The firmware's step count stays the commanded one, so only an independent
/// witness of the plunger (the position sensor) can see the difference.
public enum DriveLineFault: Equatable, Sendable {
    /// The STEP line toggles by itself (a shorted or oscillating driver input) at this
    /// rate: while ENABLE is on the driver steps forward whatever was commanded (H11).
    /// Forward, the direction of harm; continuous, as missed steps are.
    case stepLineToggling(stepsPerSecond: Double)
    /// The DIR line's polarity is inverted (miswired, a wrong driver setting): every
    /// commanded step turns the screw the other way (H12).
    case directionInverted
}

/// A drive-line fault from a time on (to the end of the run).
public struct TimedDriveLineFault: Equatable, Sendable {
    public var kind: DriveLineFault
    public var from: Instant

    public init(_ kind: DriveLineFault, from: Instant) {
        self.kind = kind
        self.from = from
    }
}
