/// A point on the controller's monotonic time line, in nanoseconds since an
/// arbitrary origin. The core never reads a clock: every tick is handed `now`.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64
    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    @inlinable public static var origin: Instant { Instant(nanoseconds: 0) }

    @inlinable public static func + (t: Instant, d: Interval) -> Instant {
        Instant(nanoseconds: t.nanoseconds &+ d.nanoseconds)
    }
    @inlinable public static func - (t: Instant, d: Interval) -> Instant {
        Instant(nanoseconds: t.nanoseconds &- d.nanoseconds)
    }
    @inlinable public static func - (a: Instant, b: Instant) -> Interval {
        Interval(nanoseconds: a.nanoseconds &- b.nanoseconds)
    }
    @inlinable public static func < (a: Instant, b: Instant) -> Bool { a.nanoseconds < b.nanoseconds }
    public var description: String { "t=\(Microliters.formatted(Double(nanoseconds) / 1e9)) s" }
}

/// A span of time in nanoseconds.
public struct Interval: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64
    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    @inlinable public static func seconds(_ s: Double) -> Interval { Interval(nanoseconds: Int64((s * 1e9).rounded())) }
    @inlinable public static func milliseconds(_ ms: Double) -> Interval { Interval(nanoseconds: Int64((ms * 1e6).rounded())) }
    @inlinable public static func microseconds(_ us: Int64) -> Interval { Interval(nanoseconds: us * 1000) }
    @inlinable public static func minutes(_ m: Double) -> Interval { .seconds(m * 60) }
    @inlinable public static var zero: Interval { Interval(nanoseconds: 0) }

    @inlinable public var seconds: Double { Double(nanoseconds) / 1e9 }
    @inlinable public var milliseconds: Double { Double(nanoseconds) / 1e6 }

    @inlinable public static func + (a: Interval, b: Interval) -> Interval { Interval(nanoseconds: a.nanoseconds &+ b.nanoseconds) }
    @inlinable public static func - (a: Interval, b: Interval) -> Interval { Interval(nanoseconds: a.nanoseconds &- b.nanoseconds) }
    @inlinable public static func * (a: Interval, k: Int64) -> Interval { Interval(nanoseconds: a.nanoseconds &* k) }
    @inlinable public static func < (a: Interval, b: Interval) -> Bool { a.nanoseconds < b.nanoseconds }
    public var description: String { "\(Microliters.formatted(seconds)) s" }
}

/// A tick rate in hertz.
public struct Hertz: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Double
    @inlinable public init(_ value: Double) { self.rawValue = value }
    @inlinable public static func < (a: Hertz, b: Hertz) -> Bool { a.rawValue < b.rawValue }
    /// The period of one cycle.
    @inlinable public var period: Interval { Interval(nanoseconds: Int64((1e9 / rawValue).rounded())) }
    public var description: String { "\(Microliters.formatted(rawValue)) Hz" }
}
