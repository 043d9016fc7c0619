/// A gauge pressure in kilopascals (1 MPa = 1000 kPa; 1 mmHg ≈ 0.1333 kPa).
public struct Kilopascals: Quantity {
    public var rawValue: Double
    @inlinable public init(rawValue: Double) { self.rawValue = rawValue }
    @inlinable public init(_ value: Double) { self.rawValue = value }
    public static let unitSymbol = "kPa"

    @inlinable public static func megapascals(_ MPa: Double) -> Kilopascals { Kilopascals(MPa * 1000) }
    @inlinable public var pascals: Double { rawValue * 1000 }
    @inlinable public init(pascals: Double) { self.rawValue = pascals / 1000 }
}

/// A force in newtons, as a load cell under the plunger measures it.
public struct Newtons: Quantity {
    public var rawValue: Double
    @inlinable public init(rawValue: Double) { self.rawValue = rawValue }
    @inlinable public init(_ value: Double) { self.rawValue = value }
    public static let unitSymbol = "N"
}
