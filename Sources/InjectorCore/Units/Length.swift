/// A length in millimetres (syringe bore, lead-screw pitch, needle length).
public struct Millimeters: Quantity {
    public var rawValue: Double
    @inlinable public init(rawValue: Double) { self.rawValue = rawValue }
    @inlinable public init(_ value: Double) { self.rawValue = value }
    public static let unitSymbol = "mm"

    @inlinable public var meters: Double { rawValue / 1000 }

    /// The area of a circle of this diameter, in square millimetres.
    @inlinable public var circleAreaSquareMillimeters: Double {
        Double.pi * rawValue * rawValue / 4
    }
}

/// A temperature in degrees Celsius.
public struct Celsius: Quantity {
    public var rawValue: Double
    @inlinable public init(rawValue: Double) { self.rawValue = rawValue }
    @inlinable public init(_ value: Double) { self.rawValue = value }
    public static let unitSymbol = "°C"
}
