/// A straight-line calibration from millivolts to a physical unit:
/// `value = (millivolts - zeroMillivolts) * unitsPerMillivolt`.
///
/// A 0.5–4.5 V ratiometric transducer for 0–10 MPa has `zeroMillivolts = 500` and
/// `unitsPerMillivolt = 10 000 kPa / 4000 mV = 2.5`.
public struct LinearCalibration: Equatable, Sendable {
    public var zeroMillivolts: Double
    public var unitsPerMillivolt: Double

    public init(zeroMillivolts: Double, unitsPerMillivolt: Double) {
        self.zeroMillivolts = zeroMillivolts
        self.unitsPerMillivolt = unitsPerMillivolt
    }

    /// From two measured points (for a bench calibration).
    public init(millivolts a: Double, value va: Double, millivolts b: Double, value vb: Double) {
        precondition(a != b, "two different voltages are needed")
        unitsPerMillivolt = (vb - va) / (b - a)
        zeroMillivolts = a - va / unitsPerMillivolt
    }

    @inlinable public func value(millivolts: Double) -> Double { (millivolts - zeroMillivolts) * unitsPerMillivolt }
}
