import InjectorCore

/// Syringe barrel, plunger seal, cement and tubing store volume under pressure.
///
/// The plunger displaces volume faster than the needle lets it out; the difference is
/// stored and sets the syringe pressure, p = V_stored / C. Stored volume keeps flowing
/// after the motor stops, until the screw is backed off. Backing off further than the
/// stored volume pulls the seal away from the cement: the pressure stops at a small
/// suction floor and the rest is a gap that forward travel must close first.
public struct SyringeCompliance: Equatable, Sendable {
    /// Volume stored per unit pressure.
    public var compliance: MicrolitersPerKilopascal
    /// The lowest (gauge) pressure backing off can produce, a small suction.
    public var suctionFloor: Kilopascals

    /// Defaults (estimates): C = 0.05 µL/kPa — a 10 mL polypropylene barrel (wall ~1 mm,
    /// E ~1.5 GPa) holding ~5 mL swells by 2pr/(Et) ≈ 1 % per MPa, ~50 µL/MPa, before the
    /// seal and trapped air add more; suction floor −10 kPa.
    public init(compliance: MicrolitersPerKilopascal = MicrolitersPerKilopascal(0.05),
                suctionFloor: Kilopascals = Kilopascals(-10)) {
        precondition(compliance.rawValue > 0, "compliance must be positive")
        precondition(suctionFloor.rawValue <= 0, "the suction floor is a gauge pressure at or below zero")
        self.compliance = compliance
        self.suctionFloor = suctionFloor
    }

    /// Syringe pressure for a stored volume (negative when the plunger has backed off).
    public func pressure(stored: Microliters) -> Kilopascals {
        pressure(stored: stored, kilopascalsPerMicroliter: 1 / compliance.rawValue)
    }

    /// The same with 1/C worked out once by a caller that asks every step.
    @inline(__always)
    public func pressure(stored: Microliters, kilopascalsPerMicroliter: Double) -> Kilopascals {
        Kilopascals(max(stored.rawValue * kilopascalsPerMicroliter, suctionFloor.rawValue))
    }

    /// The gap between seal and cement once backing off has passed the suction floor.
    public func gap(stored: Microliters) -> Microliters {
        Microliters(max(0, suctionFloor.rawValue * compliance.rawValue - stored.rawValue))
    }

    /// Volume stored at a pressure (the inverse of `pressure(stored:)` above the floor).
    public func stored(at pressure: Kilopascals) -> Microliters { compliance * pressure }
}
