/// A physical quantity stored in one fixed unit.
///
/// Every quantity that crosses a module boundary is one of these types, so that a
/// volume can never be passed where a pressure is expected and the unit is part of
/// the name (`Microliters`, `Kilopascals`). Arithmetic between like quantities is
/// free; scaling takes a plain `Double` factor.
public protocol Quantity: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The magnitude in this type's unit (for example microlitres for `Microliters`).
    var rawValue: Double { get }
    init(rawValue: Double)
    /// The unit's symbol, used in descriptions and reports.
    static var unitSymbol: String { get }
}

extension Quantity {
    @inlinable public static var zero: Self { Self(rawValue: 0) }

    @inlinable public static func + (a: Self, b: Self) -> Self { Self(rawValue: a.rawValue + b.rawValue) }
    @inlinable public static func - (a: Self, b: Self) -> Self { Self(rawValue: a.rawValue - b.rawValue) }
    @inlinable public static func += (a: inout Self, b: Self) { a = a + b }
    @inlinable public static func -= (a: inout Self, b: Self) { a = a - b }
    @inlinable public static prefix func - (a: Self) -> Self { Self(rawValue: -a.rawValue) }
    @inlinable public static func * (a: Self, k: Double) -> Self { Self(rawValue: a.rawValue * k) }
    @inlinable public static func * (k: Double, a: Self) -> Self { Self(rawValue: a.rawValue * k) }
    @inlinable public static func / (a: Self, k: Double) -> Self { Self(rawValue: a.rawValue / k) }
    /// The dimensionless ratio of two like quantities.
    @inlinable public static func / (a: Self, b: Self) -> Double { a.rawValue / b.rawValue }
    @inlinable public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    @inlinable public var magnitude: Self { Self(rawValue: Swift.abs(rawValue)) }
    @inlinable public var isFinite: Bool { rawValue.isFinite }

    /// This value limited to `range`.
    @inlinable public func clamped(to range: ClosedRange<Self>) -> Self {
        Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }

    public var description: String { "\(Self.formatted(rawValue)) \(Self.unitSymbol)" }

    /// Formats without Foundation: up to three decimals, trailing zeros dropped.
    static func formatted(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let scaled = (value * 1000).rounded()
        let negative = scaled < 0
        let thousandths = Int64(Swift.abs(scaled))
        let whole = thousandths / 1000
        var fraction = thousandths % 1000
        var text = (negative ? "-" : "") + String(whole)
        if fraction != 0 {
            var digits = 3
            while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
            let f = String(fraction)
            text += "." + String(repeating: "0", count: digits - f.count) + f
        }
        return text
    }
}
