/// A count of motor (micro)steps. Positive is forward: plunger into the syringe.
public struct Steps: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var count: Int64
    @inlinable public init(_ count: Int64) { self.count = count }
    @inlinable public static var zero: Steps { Steps(0) }
    @inlinable public static func + (a: Steps, b: Steps) -> Steps { Steps(a.count &+ b.count) }
    @inlinable public static func - (a: Steps, b: Steps) -> Steps { Steps(a.count &- b.count) }
    @inlinable public static func < (a: Steps, b: Steps) -> Bool { a.count < b.count }
    public var description: String { "\(count) steps" }
}

/// A signed step rate. Positive drives the plunger forward (injects), negative backs it off.
public struct StepsPerSecond: Quantity {
    public var rawValue: Double
    @inlinable public init(rawValue: Double) { self.rawValue = rawValue }
    @inlinable public init(_ value: Double) { self.rawValue = value }
    public static let unitSymbol = "steps/s"
}
