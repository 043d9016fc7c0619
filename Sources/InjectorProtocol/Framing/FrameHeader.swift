/// The message type byte (docs/protocol.md, "Message types"). Raw values are stable.
public enum MessageType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case identifyRequest = 0x01
    case identifyResponse = 0x02
    case heartbeat = 0x03
    case command = 0x10
    case ack = 0x11
    case nak = 0x12
    case telemetry = 0x20
    case event = 0x21
    case status = 0x22
    case simSensors = 0x30
    case simActuators = 0x31

    /// Command and Event are numbered by the reliable counter, acknowledged and resent.
    public var isReliable: Bool { self == .command || self == .event }

    /// Identify frames are accepted at any version: their layout is frozen.
    public var isVersionIndependent: Bool { self == .identifyRequest || self == .identifyResponse }

    /// Whose traffic this is. The one rule by which a link that carries both is split
    /// (docs/protocol.md, "Sharing a link").
    public var traffic: Traffic { self == .simSensors || self == .simActuators ? .simulation : .host }

    public var description: String {
        switch self {
        case .identifyRequest: "identify-request"
        case .identifyResponse: "identify-response"
        case .heartbeat: "heartbeat"
        case .command: "command"
        case .ack: "ack"
        case .nak: "nak"
        case .telemetry: "telemetry"
        case .event: "event"
        case .status: "status"
        case .simSensors: "sim-sensors"
        case .simActuators: "sim-actuators"
        }
    }
}

/// The two kinds of traffic that may share one link.
public enum Traffic: Sendable, Hashable {
    /// The host protocol: the session between a host and the firmware (identify,
    /// heartbeats, commands and their answers, telemetry, events).
    case host
    /// The simulation I/O between a simulator and the firmware it stands in the
    /// hardware for: SimSensors and SimActuators, numbered on their own frame counter.
    case simulation
}

/// The header's flag byte. Only bit 0 is defined; the rest must be zero.
public struct FrameFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// This frame repeats an earlier one with the same sequence number.
    public static let retransmission = FrameFlags(rawValue: 1 << 0)
    /// Bits a receiver must see as zero.
    public static let reservedMask: UInt8 = 0xFE
}

/// A 16-bit sequence number that wraps; compared by serial-number arithmetic.
public struct SequenceNumber: Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    @inlinable public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    @inlinable public var next: SequenceNumber { SequenceNumber(rawValue &+ 1) }
    @inlinable public var previous: SequenceNumber { SequenceNumber(rawValue &- 1) }

    /// How far `self` is ahead of `other`, in 0 ..< 32768, or `nil` if it is behind.
    @inlinable public func distance(after other: SequenceNumber) -> Int? {
        let d = rawValue &- other.rawValue
        return d < 0x8000 ? Int(d) : nil
    }

    public var description: String { "#\(rawValue)" }
}
