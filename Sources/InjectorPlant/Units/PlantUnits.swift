import InjectorCore

/// The consistency index K of a power-law fluid, in Pa·sⁿ: the shear stress at a shear
/// rate of 1 s⁻¹. For a Newtonian fluid (n = 1) it is the viscosity in Pa·s.
public struct PascalSecondsToTheN: Quantity {
    public var rawValue: Double
    @inlinable public init(rawValue: Double) { self.rawValue = rawValue }
    @inlinable public init(_ value: Double) { self.rawValue = value }
    public static let unitSymbol = "Pa·sⁿ"
}

/// The intrinsic permeability of a porous medium, in m² (trabecular bone: 10⁻¹¹–10⁻⁸ m²).
public struct SquareMeters: Quantity {
    public var rawValue: Double
    @inlinable public init(rawValue: Double) { self.rawValue = rawValue }
    @inlinable public init(_ value: Double) { self.rawValue = value }
    public static let unitSymbol = "m²"
}
