/// What a stream decoder has seen since it started. Every dropped frame is counted
/// under exactly one reason.
public struct ReceiveStatistics: Hashable, Sendable {
    public var framesDecoded: UInt64 = 0
    public var oversizeFrames: UInt64 = 0
    /// Not valid COBS or too short to hold a header and a checksum.
    public var badEncodings: UInt64 = 0
    public var checksumFailures: UInt64 = 0
    public var versionMismatches: UInt64 = 0
    public var unknownTypes: UInt64 = 0
    /// Reserved flags, wrong payload length or a field out of range.
    public var malformedPayloads: UInt64 = 0
    /// Frames missing from the peer's unreliable frame counter (lost, or dropped here).
    public var sequenceGaps: UInt64 = 0

    public init() {}

    /// Frames that arrived but were not decoded.
    public var framesDropped: UInt64 {
        oversizeFrames + badEncodings + checksumFailures + versionMismatches + unknownTypes + malformedPayloads
    }

    /// Adds another decoder's counts (a link reopened gets a fresh decoder).
    public static func += (total: inout ReceiveStatistics, more: ReceiveStatistics) {
        total.framesDecoded += more.framesDecoded
        total.oversizeFrames += more.oversizeFrames
        total.badEncodings += more.badEncodings
        total.checksumFailures += more.checksumFailures
        total.versionMismatches += more.versionMismatches
        total.unknownTypes += more.unknownTypes
        total.malformedPayloads += more.malformedPayloads
        total.sequenceGaps += more.sequenceGaps
    }

    mutating func count(_ error: FrameError) {
        switch error {
        case .oversize: oversizeFrames += 1
        case .badEncoding: badEncodings += 1
        case .checksumMismatch: checksumFailures += 1
        case .versionMismatch: versionMismatches += 1
        case .unknownType: unknownTypes += 1
        case .reservedFlags, .payloadLength, .fieldOutOfRange: malformedPayloads += 1
        }
    }
}
