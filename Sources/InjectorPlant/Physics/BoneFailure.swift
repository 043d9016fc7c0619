import InjectorCore

/// Hydraulic fracture of the trabecular bed: when the cement at the needle tip pushes
/// harder than the bone holds, the bed splits and the cement opens a cleft, a new path
/// through the body with far less resistance than the intact bed.
///
/// Above `pressure` at the tip the body's resistance G falls, for good, to
/// `resistanceShare` of the intact bed's. Defaults: 3 MPa (estimate from the published
/// in-vivo maximum of 3.2 MPa, Krebs 2005, which the syringe reaches only when the tip
/// holds about that: pressures far above it are not seen because bone gives way);
/// share 0.1 (estimate: a cleft of a few millimetres against the bed's pores).
public struct BoneFailure: Equatable, Sendable {
    public var pressure: Kilopascals
    public var resistanceShare: Double

    public init(pressure: Kilopascals = .megapascals(3), resistanceShare: Double = 0.1) {
        precondition(pressure.rawValue > 0, "bone fails at a positive pressure")
        precondition(resistanceShare > 0 && resistanceShare <= 1, "a cleft lowers the resistance by a share in (0, 1]")
        self.pressure = pressure
        self.resistanceShare = resistanceShare
    }
}
