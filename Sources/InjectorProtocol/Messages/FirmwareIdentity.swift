import InjectorCore

/// A firmware build's version, major.minor.patch.
public struct FirmwareVersion: Hashable, Sendable, CustomStringConvertible {
    public var major: UInt8
    public var minor: UInt8
    public var patch: UInt8
    public init(major: UInt8, minor: UInt8, patch: UInt8) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }
    public var description: String { "\(major).\(minor).\(patch)" }
}

/// The IdentifyResponse payload: what the host checks before it sends any command.
public struct FirmwareIdentity: Hashable, Sendable {
    /// Allowed tick rates in millihertz on the wire (100 Hz – 10 kHz).
    public static let tickRateMilliHzRange: ClosedRange<UInt32> = 100_000...10_000_000

    public var protocolVersion: UInt8
    public var firmwareVersion: FirmwareVersion
    /// A hash of the active configuration; the host compares it with the one it expects.
    public var configurationHash: UInt64
    public var tickRateMilliHz: UInt32
    /// The oldest event not yet acknowledged, or the next event's number.
    public var firstEventSequence: SequenceNumber

    public init(protocolVersion: UInt8 = WireFormat.protocolVersion, firmwareVersion: FirmwareVersion,
                configurationHash: UInt64, tickRate: Hertz, firstEventSequence: SequenceNumber) {
        let milliHz = (tickRate.rawValue * 1000).rounded()
        precondition(milliHz >= Double(Self.tickRateMilliHzRange.lowerBound)
                     && milliHz <= Double(Self.tickRateMilliHzRange.upperBound),
                     "tick rate outside 100 Hz – 10 kHz; validate the configuration first")
        self.protocolVersion = protocolVersion
        self.firmwareVersion = firmwareVersion
        self.configurationHash = configurationHash
        self.tickRateMilliHz = UInt32(milliHz)
        self.firstEventSequence = firstEventSequence
    }

    public var tickRate: Hertz { Hertz(Double(tickRateMilliHz) / 1000) }
}

/// The Heartbeat payload, sent both ways every heartbeat period.
public struct Heartbeat: Hashable, Sendable {
    /// The sender's monotonic clock when it sent the frame.
    public var time: Instant
    /// Frames the sender's decoder has dropped since start (saturating), so each side
    /// can see the quality of the link in the other direction.
    public var framesDropped: UInt32

    public init(time: Instant, framesDropped: UInt32 = 0) {
        self.time = time
        self.framesDropped = framesDropped
    }
}

/// Why the firmware did not apply a command (the Nak payload's `cause`).
public enum NakCause: Hashable, Sendable {
    /// The controller refused it, for this reason.
    case refused(Refusal)
    /// The sequence number was neither the next one nor a retransmission.
    case outOfSequence
    /// No IdentifyRequest since the firmware started: the host must identify first.
    case noSession
    /// An argument is outside its wire range: the field at this offset of the Command
    /// payload (1 … 36). Not applied; resending the same command gets the same answer.
    case invalidArgument(field: UInt8)
    /// The firmware's command pipeline is full, or the command follows a gap: not
    /// applied; resend it later.
    case busy

    var wireCause: UInt8 {
        switch self {
        case .refused: 1
        case .outOfSequence: 2
        case .noSession: 3
        case .invalidArgument: 4
        case .busy: 5
        }
    }
}

/// The Nak payload: which command was not applied, and why.
public struct CommandNak: Hashable, Sendable {
    public var command: CommandCode
    public var cause: NakCause
    public init(command: CommandCode, cause: NakCause) {
        self.command = command
        self.cause = cause
    }
}
