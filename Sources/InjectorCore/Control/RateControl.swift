/// The share of the target flow allowed at `pressure`: 1 below the slowdown start,
/// falling linearly to `minimumFraction` at the limit, 0 at or above the limit.
@inlinable
public func pressureSlowdownFactor(pressure: Kilopascals, limit: Kilopascals,
                                   startFraction: Double, minimumFraction: Double) -> Double {
    let start = limit * startFraction
    if pressure <= start { return 1 }
    if pressure >= limit { return 0 }
    let progress = (pressure - start) / (limit - start)
    return 1 - progress * (1 - minimumFraction)
}

/// The forward flow the plunger is commanded, ramped toward a target.
///
/// Speeding up is limited by the configured acceleration; slowing down is immediate,
/// because a lower flow is always the safe direction.
public struct RateController: Equatable, Sendable {
    public private(set) var flow: MicrolitersPerSecond = .zero
    public let acceleration: MicrolitersPerSecondSquared

    public init(acceleration: MicrolitersPerSecondSquared) {
        precondition(acceleration.rawValue > 0, "acceleration must be positive")
        self.acceleration = acceleration
    }

    /// Advances one tick toward `target`, never beyond `ceiling` (a flow that would
    /// overrun the cap or the bolus within this tick).
    public mutating func advance(toward target: MicrolitersPerSecond, ceiling: MicrolitersPerSecond,
                                 over dt: Interval) -> MicrolitersPerSecond {
        let wanted = Swift.max(.zero, Swift.min(target, ceiling))
        let rampLimit = flow + MicrolitersPerSecond(acceleration.rawValue * dt.seconds)
        flow = Swift.min(wanted, rampLimit)
        return flow
    }

    /// Stop at once.
    public mutating func halt() { flow = .zero }
}
