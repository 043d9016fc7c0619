import InjectorCore

/// The electrical level of a digital line. An enum, not a `Bool`: a reader cannot
/// mistake "high" for "active" when the wiring inverts it.
public enum PinState: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case low = 0
    case high = 1

    /// The other level.
    @inlinable public var inverted: PinState { self == .low ? .high : .low }

    public var description: String { self == .low ? "low" : "high" }
}

/// Which level of an output means "on" (the driver's ENABLE is active-low on A4988,
/// DRV8825 and TMC2209: low enables the power stage).
public enum Polarity: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case activeHigh = 0
    case activeLow = 1

    /// The level that means "on".
    @inlinable public var activeLevel: PinState { self == .activeHigh ? .high : .low }
    /// The level that means "off".
    @inlinable public var inactiveLevel: PinState { activeLevel.inverted }

    @inlinable public func level(active: Bool) -> PinState { active ? activeLevel : inactiveLevel }

    public var description: String { self == .activeHigh ? "active-high" : "active-low" }
}

/// How a switch's contact is built.
public enum Contact: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Closed when pressed (pedal, buttons, end-of-travel switches).
    case normallyOpen = 0
    /// Closed at rest, open when pressed — and open when its wire is cut, which is
    /// why an e-stop is built this way: a broken wire reads as "stop".
    case normallyClosed = 1

    public var description: String { self == .normallyOpen ? "normally-open" : "normally-closed" }
}

/// A switch's wiring: its contact and the level the input reads when the contact is
/// closed (with a pull-up to 3.3 V and the contact to ground, a closed contact reads
/// `.low`; an open contact or a cut wire reads `.high`).
public struct SwitchWiring: Equatable, Sendable {
    public var contact: Contact
    public var closedLevel: PinState

    public init(contact: Contact, closedLevel: PinState = .low) {
        self.contact = contact
        self.closedLevel = closedLevel
    }

    /// What a level means. Normally-open: closed → active. Normally-closed: open
    /// (pressed, or the wire cut) → active.
    @inlinable public func activation(of level: PinState) -> Activation {
        let closed = level == closedLevel
        switch contact {
        case .normallyOpen: return closed ? .active : .inactive
        case .normallyClosed: return closed ? .inactive : .active
        }
    }
}
