import InjectorCore

/// Where the cement front is along the vertebral body's depth: 0 at the anterior
/// cortex, 1 at the posterior wall.
///
/// The needle tip sits at `tipPosition`; the posterior edge of the cement advances as
///
///     x(V) = x_tip + (1 − x_tip) · (V / V_wall)^e
///
/// where V_wall is the filled volume at which the front reaches the posterior wall and
/// e the shape exponent (1/3 a free sphere, 1/2 a disc confined by the end-plates, 1 a
/// slab filling the anterior body first). The real front is anisotropic and follows
/// fracture lines; this keeps the one number the observer acts on, "front passed the
/// posterior quarter", measurable and tied to volume.
public struct CementFrontGeometry: Equatable, Sendable {
    /// Needle-tip depth as a fraction of the body's depth from the anterior cortex.
    public var tipPosition: Double
    /// Filled volume at which the front reaches the posterior wall.
    public var volumeToPosteriorWall: Microliters
    /// e in the growth law above.
    public var shapeExponent: Double

    /// Defaults (estimates): tip in the anterior third (0.3); posterior wall reached at
    /// 8 mL, 30 % of a ~27 mL lumbar body (brief: cement/body 14–20 %, range 10–30 %);
    /// e = 1, the anterior body filling first. The posterior quarter (0.75) is then
    /// reached at ~5.1 mL, just above the brief's 4.4 mL typical level.
    public init(tipPosition: Double = 0.3, volumeToPosteriorWall: Microliters = .milliliters(8),
                shapeExponent: Double = 1) {
        precondition(tipPosition >= 0 && tipPosition < 1, "the tip lies inside the body")
        precondition(volumeToPosteriorWall.rawValue > 0 && shapeExponent > 0, "front geometry must be positive")
        self.tipPosition = tipPosition
        self.volumeToPosteriorWall = volumeToPosteriorWall
        self.shapeExponent = shapeExponent
    }

    /// Front position (0…1) for a filled volume.
    public func position(filled: Microliters) -> Double {
        position(wallShare: filled / volumeToPosteriorWall)
    }

    /// Front position (0…1) for the filled volume as a share of `volumeToPosteriorWall`
    /// (a plant stepping every millisecond multiplies by 1/V_wall once worked out).
    @inline(__always) public func position(wallShare: Double) -> Double {
        let share = min(1, max(0, wallShare))
        let spread = shapeExponent == 1 ? share : Libm.pow(share, shapeExponent)
        return tipPosition + (1 - tipPosition) * spread
    }

    /// The filled volume at which the front reaches `position` (the inverse of `position(filled:)`).
    public func volume(toReach position: Double) -> Microliters {
        precondition(position >= 0 && position <= 1, "front position is a fraction of the depth")
        guard position > tipPosition else { return .zero }
        return volumeToPosteriorWall * Libm.pow((position - tipPosition) / (1 - tipPosition), 1 / shapeExponent)
    }

    /// The posterior quarter of the body begins here; the observer stops when the front passes it.
    public static let posteriorQuarter = 0.75
}
