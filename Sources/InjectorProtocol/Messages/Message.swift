import InjectorCore

/// Everything that can travel in one frame. Every case is a plain value, so a
/// message is built, encoded and decoded without allocating.
public enum Message: Equatable, Sendable {
    case identifyRequest
    case identifyResponse(FirmwareIdentity)
    case heartbeat(Heartbeat)
    case command(HostCommand)
    /// A Command whose argument is out of range; received only, answered Nak cause 4.
    case invalidCommand(InvalidCommand)
    case ack(CommandCode)
    case nak(CommandNak)
    case telemetry(TelemetryReport)
    case event(ControllerEvent)
    case status(StatusReport)
    case simSensors(SimulatedSensors)
    case simActuators(SimulatedActuators)

    public var type: MessageType {
        switch self {
        case .identifyRequest: .identifyRequest
        case .identifyResponse: .identifyResponse
        case .heartbeat: .heartbeat
        case .command, .invalidCommand: .command
        case .ack: .ack
        case .nak: .nak
        case .telemetry: .telemetry
        case .event: .event
        case .status: .status
        case .simSensors: .simSensors
        case .simActuators: .simActuators
        }
    }
}

/// One frame: the header's numbers and a message.
public struct Frame: Equatable, Sendable {
    /// The header's version byte; always `WireFormat.protocolVersion` when sending,
    /// except in tests that check how a receiver treats other versions.
    public var version: UInt8
    public var flags: FrameFlags
    public var sequence: SequenceNumber
    public var acknowledgement: SequenceNumber
    public var message: Message

    public init(_ message: Message, sequence: SequenceNumber, acknowledgement: SequenceNumber = SequenceNumber(0),
                flags: FrameFlags = [], version: UInt8 = WireFormat.protocolVersion) {
        self.version = version
        self.flags = flags
        self.sequence = sequence
        self.acknowledgement = acknowledgement
        self.message = message
    }
}
