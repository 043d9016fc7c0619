/// Why a received frame was dropped. Each is counted by the stream decoder; none
/// carries data, so reporting one never allocates.
public enum FrameError: Error, Hashable, Sendable, CaseIterable {
    /// More than `WireFormat.maxEncodedSize` bytes without a delimiter.
    case oversize
    /// Not valid COBS, or shorter than a header and a checksum.
    case badEncoding
    case checksumMismatch
    /// A version other than ours on a message whose layout is not frozen.
    case versionMismatch
    case unknownType
    /// A reserved flag bit is set.
    case reservedFlags
    /// The payload length does not match the message type (or command code).
    case payloadLength
    /// A field is outside its documented range (an undefined enum value, a NaN…).
    case fieldOutOfRange
}
