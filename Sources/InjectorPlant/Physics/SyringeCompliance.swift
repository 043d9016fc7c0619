import InjectorCore

/// Syringe barrel, plunger seal, cement and tubing store volume under pressure.
///
/// The plunger displaces volume faster than the needle lets it out; the difference is
/// stored and sets the syringe pressure, p = V_stored / C. Stored volume keeps flowing
/// after the motor stops, until the screw is backed off. Backing off further than the
/// stored volume pulls the seal away from the cement: the pressure stops at a small
/// suction floor and the rest is a gap that forward travel must close first.
///
/// Air mixed into the cement (`entrainedAir`, its volume at atmospheric pressure)
/// is a second, nonlinear store: by Boyle's law it shrinks to V₀·P₀/(P₀ + p), so the
/// stored volume at gauge pressure p is C·p + V₀·p/(P₀ + p). At low pressure the gas
/// dominates (100 µL of air adds 0.98 µL/kPa at 0 kPa, 0.0083 µL/kPa at 1 MPa), and
/// all of it comes back out of the needle as after-flow when the plunger stops.
public struct SyringeCompliance: Equatable, Sendable {
    /// Volume stored per unit pressure.
    public var compliance: MicrolitersPerKilopascal
    /// The lowest (gauge) pressure backing off can produce, a small suction.
    public var suctionFloor: Kilopascals
    /// Air in the syringe's cement, as its volume at atmospheric pressure (0: none).
    public var entrainedAir: Microliters
    /// Atmospheric pressure, absolute: what the air's volume is given at.
    public static let atmosphere = Kilopascals(101.325)

    /// Defaults (estimates): C = 0.05 µL/kPa — a 10 mL polypropylene barrel (wall ~1 mm,
    /// E ~1.5 GPa) holding ~5 mL swells by 2pr/(Et) ≈ 1 % per MPa, ~50 µL/MPa, before the
    /// seal and trapped air add more; suction floor −10 kPa.
    public init(compliance: MicrolitersPerKilopascal = MicrolitersPerKilopascal(0.05),
                suctionFloor: Kilopascals = Kilopascals(-10), entrainedAir: Microliters = .zero) {
        precondition(compliance.rawValue > 0, "compliance must be positive")
        precondition(suctionFloor.rawValue <= 0, "the suction floor is a gauge pressure at or below zero")
        precondition(entrainedAir.rawValue >= 0, "entrained air is a volume at or above zero")
        self.compliance = compliance
        self.suctionFloor = suctionFloor
        self.entrainedAir = entrainedAir
    }

    /// Syringe pressure for a stored volume (negative when the plunger has backed off).
    public func pressure(stored: Microliters) -> Kilopascals {
        pressure(stored: stored, kilopascalsPerMicroliter: 1 / compliance.rawValue)
    }

    /// The same with 1/C worked out once by a caller that asks every step.
    @inline(__always)
    public func pressure(stored: Microliters, kilopascalsPerMicroliter: Double) -> Kilopascals {
        guard entrainedAir.rawValue > 0, stored.rawValue > 0 else {
            return Kilopascals(max(stored.rawValue * kilopascalsPerMicroliter, suctionFloor.rawValue))
        }
        return Kilopascals(Self.pressureWithAir(stored: stored.rawValue, compliance: compliance.rawValue,
                                                air: entrainedAir.rawValue, atmosphere: Self.atmosphere.rawValue))
    }

    /// The positive root of C·p² + (C·P₀ + V₀ − s)·p − s·P₀ = 0, which is
    /// s = C·p + V₀·p/(P₀ + p) solved for p (any consistent units).
    @inline(__always)
    static func pressureWithAir(stored s: Double, compliance c: Double, air v: Double, atmosphere p0: Double) -> Double {
        let b = c * p0 + v - s
        let discriminant = b * b + 4 * c * s * p0
        // −b + √(b² + 4cs·P₀) loses digits when b > 0 and large; the conjugate form does not.
        return b > 0 ? 2 * s * p0 / (b + discriminant.squareRoot()) : (discriminant.squareRoot() - b) / (2 * c)
    }

    /// The gap between seal and cement once backing off has passed the suction floor.
    public func gap(stored: Microliters) -> Microliters {
        Microliters(max(0, suctionFloor.rawValue * compliance.rawValue - stored.rawValue))
    }

    /// Volume stored at a pressure (the inverse of `pressure(stored:)` above the floor).
    public func stored(at pressure: Kilopascals) -> Microliters {
        guard entrainedAir.rawValue > 0, pressure.rawValue > 0 else { return compliance * pressure }
        let p = pressure.rawValue
        return Microliters(compliance.rawValue * p + entrainedAir.rawValue * p / (Self.atmosphere.rawValue + p))
    }
}
