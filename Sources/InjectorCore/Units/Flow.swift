/// A volumetric flow in microlitres per second (4 mL/min ≈ 66.7 µL/s).
public struct MicrolitersPerSecond: Quantity {
    public var rawValue: Double
    @inlinable public init(rawValue: Double) { self.rawValue = rawValue }
    @inlinable public init(_ value: Double) { self.rawValue = value }
    public static let unitSymbol = "µL/s"

    @inlinable public static func millilitersPerMinute(_ v: Double) -> MicrolitersPerSecond {
        MicrolitersPerSecond(v * 1000 / 60)
    }
    /// The volume this flow moves in `interval`.
    @inlinable public func volume(over interval: Interval) -> Microliters {
        Microliters(rawValue * interval.seconds)
    }
    /// The same flow in cubic metres per second, for the physical model.
    @inlinable public var cubicMetersPerSecond: Double { rawValue * 1e-9 }
}

/// A rate of change of flow, used for ramps (µL/s²).
public struct MicrolitersPerSecondSquared: Quantity {
    public var rawValue: Double
    @inlinable public init(rawValue: Double) { self.rawValue = rawValue }
    @inlinable public init(_ value: Double) { self.rawValue = value }
    public static let unitSymbol = "µL/s²"
}

/// System compliance: volume stored per unit of pressure (µL/kPa).
public struct MicrolitersPerKilopascal: Quantity {
    public var rawValue: Double
    @inlinable public init(rawValue: Double) { self.rawValue = rawValue }
    @inlinable public init(_ value: Double) { self.rawValue = value }
    public static let unitSymbol = "µL/kPa"

    @inlinable public static func * (c: MicrolitersPerKilopascal, p: Kilopascals) -> Microliters {
        Microliters(c.rawValue * p.rawValue)
    }
}

/// Stiffness of what the plunger pushes against: pressure rise per volume displaced
/// (kPa/µL), the inverse of a compliance. A needle blocked by set cement shows the
/// syringe's own stiffness (1 / 0.05 µL/kPa = 20 kPa/µL); cement flowing into bone far less.
public struct KilopascalsPerMicroliter: Quantity {
    public var rawValue: Double
    @inlinable public init(rawValue: Double) { self.rawValue = rawValue }
    @inlinable public init(_ value: Double) { self.rawValue = value }
    public static let unitSymbol = "kPa/µL"
}
