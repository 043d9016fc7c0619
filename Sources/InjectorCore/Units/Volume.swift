/// A volume of cement in microlitres. One microlitre is one cubic millimetre.
public struct Microliters: Quantity {
    public var rawValue: Double
    @inlinable public init(rawValue: Double) { self.rawValue = rawValue }
    @inlinable public init(_ value: Double) { self.rawValue = value }
    public static let unitSymbol = "µL"

    /// A volume given in millilitres (1 mL = 1000 µL).
    @inlinable public static func milliliters(_ mL: Double) -> Microliters { Microliters(mL * 1000) }
    @inlinable public var milliliters: Double { rawValue / 1000 }
    /// The same volume in cubic metres, for the physical model.
    @inlinable public var cubicMeters: Double { rawValue * 1e-9 }
}
