/// Splits a byte stream into frames at `00` delimiters and decodes each one.
///
/// It joins a stream anywhere: bytes before the first delimiter form a partial frame
/// that fails its checks and is counted. A frame longer than the maximum is dropped
/// as soon as it overflows, and everything up to the next delimiter with it, so
/// garbage costs at most the frame it hit. The buffer is allocated once, here; after
/// that decoding never allocates.
public struct StreamDecoder: ~Copyable {
    private let buffer: UnsafeMutableRawBufferPointer
    private var count = 0
    private var discarding = false
    /// The last unreliable frame number seen, per traffic: the host session and the
    /// simulation I/O number their frames independently, even on one link.
    private var lastHostSequence: SequenceNumber?
    private var lastSimulationSequence: SequenceNumber?
    public private(set) var statistics = ReceiveStatistics()

    public init() {
        buffer = .allocate(byteCount: WireFormat.maxEncodedSize, alignment: 8)
    }

    deinit { buffer.deallocate() }

    /// Feeds one byte; returns a frame when this byte completes a valid one.
    public mutating func push(_ byte: UInt8) -> Frame? {
        guard byte == WireFormat.delimiter else {
            if discarding { return nil }
            if count == WireFormat.maxEncodedSize {
                statistics.count(.oversize)
                discarding = true
                count = 0
                return nil
            }
            buffer[count] = byte
            count += 1
            return nil
        }
        return finishFrame()
    }

    /// Feeds a chunk, calling `deliver` for each valid frame in order.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ deliver: (Frame) -> Void) {
        var i = 0
        let n = bytes.count
        while i < n {
            // Copy the run up to the next delimiter in one go: the common case is a
            // whole frame per run.
            var end = i
            while end < n && bytes[end] != WireFormat.delimiter { end += 1 }
            let run = end - i
            if run > 0 && !discarding {
                if count + run > WireFormat.maxEncodedSize {
                    statistics.count(.oversize)
                    discarding = true
                    count = 0
                } else {
                    (buffer.baseAddress! + count).copyMemory(from: bytes.baseAddress! + i, byteCount: run)
                    count += run
                }
            }
            if end < n, let frame = finishFrame() { deliver(frame) }
            i = end + 1
        }
    }

    /// Feeds a chunk held in an array.
    public mutating func feed(_ bytes: [UInt8], _ deliver: (Frame) -> Void) {
        bytes.withUnsafeBytes { feed($0, deliver) }
    }

    /// Called at a delimiter: decode what was collected and start afresh.
    private mutating func finishFrame() -> Frame? {
        defer { count = 0; discarding = false }
        if discarding || count == 0 { return nil }
        switch FrameCodec.decode(encodedInPlace: buffer, count: count) {
        case .success(let frame):
            statistics.framesDecoded += 1
            noteSequence(of: frame)
            return frame
        case .failure(let error):
            statistics.count(error)
            return nil
        }
    }

    /// Counts frames missing from the peer's unreliable counters (one for the host
    /// session, one for the simulation I/O). Reliable messages (commands, events) have
    /// their own numbering, checked by the session.
    private mutating func noteSequence(of frame: Frame) {
        let type = frame.message.type
        guard !type.isReliable else { return }
        switch type.traffic {
        case .host: statistics.sequenceGaps += Self.gap(to: frame.sequence, after: &lastHostSequence)
        case .simulation: statistics.sequenceGaps += Self.gap(to: frame.sequence, after: &lastSimulationSequence)
        }
    }

    /// Frames missing between `last` and `sequence`; `sequence` becomes the last.
    private static func gap(to sequence: SequenceNumber, after last: inout SequenceNumber?) -> UInt64 {
        defer { last = sequence }
        guard let previous = last, let ahead = sequence.distance(after: previous), ahead > 1 else { return 0 }
        return UInt64(ahead - 1)
    }
}
