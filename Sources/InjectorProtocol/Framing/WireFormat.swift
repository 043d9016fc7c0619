/// The fixed sizes and constants of the wire format (docs/protocol.md, "Overview").
public enum WireFormat {
    /// The protocol version this code speaks; the first header byte.
    public static let protocolVersion: UInt8 = 1
    /// Version, type, flags, seq (u16), ack (u16).
    public static let headerSize = 7
    /// CRC-32C, little-endian, after the payload.
    public static let checksumSize = 4
    /// The longest payload of any message (a configureProcedure command is 37).
    public static let maxPayloadSize = 64
    /// Header, payload and checksum before COBS encoding.
    public static let maxFrameSize = headerSize + maxPayloadSize + checksumSize
    /// COBS adds one byte to any frame shorter than 254 bytes.
    public static let maxEncodedSize = maxFrameSize + 1
    /// An encoded frame plus its `00` delimiter: the most one frame takes on the wire.
    public static let maxWireSize = maxEncodedSize + 1
    /// The only byte COBS never emits inside a frame.
    public static let delimiter: UInt8 = 0
    /// The smallest decoded frame: a header and a checksum, no payload.
    public static let minFrameSize = headerSize + checksumSize
}
