import InjectorCore

/// From `from` on, the motor loses `lostFraction` of the steps it is given (a stall,
/// too little current, a step rate past the pull-out torque). The driver still counts
/// them, so commanded and actual positions part: what the plunger-position sensor is for.
public struct MissedStepFault: Equatable, Sendable {
    public var from: Instant
    /// Share of the commanded steps that do not turn the screw, 0…1.
    public var lostFraction: Double

    public init(from: Instant, lostFraction: Double) {
        precondition(lostFraction >= 0 && lostFraction <= 1, "lost fraction is a share of the steps")
        self.from = from
        self.lostFraction = lostFraction
    }
}
