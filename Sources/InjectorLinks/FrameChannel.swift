import InjectorCore
import InjectorProtocol

/// Frames over a byte link: queues encoded frames into one reusable buffer and
/// writes them in a single call; reads into a reusable buffer and decodes. After
/// construction it allocates nothing.
public final class FrameChannel: @unchecked Sendable {
    public let link: any ByteLink
    private var decoder = StreamDecoder()
    private let readBuffer: UnsafeMutableRawBufferPointer
    private let writeBuffer: UnsafeMutableRawBufferPointer
    private var pending = 0
    /// Frames dropped because the write buffer was full (the caller sends faster than it flushes).
    public private(set) var framesNotQueued: UInt64 = 0

    /// Bytes one `receive` reads at most: 53 of the largest frames, a tick's worth of
    /// a 1 kHz peer many times over; a longer backlog takes further reads.
    public static let readBufferSize = 4096
    /// Frames of the largest size that fit between two flushes by default: a tick
    /// queues a handful (the firmware's outbox holds at most 32, and one SimActuators),
    /// so a caller that flushes every tick never reaches 64; one that does is counted
    /// in `framesNotQueued`.
    public static let defaultWriteCapacity = 64

    /// `writeCapacity` frames of the largest size fit between two flushes.
    public init(link: any ByteLink, writeCapacity frames: Int = FrameChannel.defaultWriteCapacity) {
        precondition(frames > 0, "room for at least one frame")
        self.link = link
        readBuffer = .allocate(byteCount: Self.readBufferSize, alignment: 8)
        writeBuffer = .allocate(byteCount: frames * WireFormat.maxWireSize, alignment: 8)
    }

    deinit {
        readBuffer.deallocate()
        writeBuffer.deallocate()
    }

    public var statistics: ReceiveStatistics { decoder.statistics }

    /// Encodes `frame` into the write buffer; returns `false` (and counts) if it is full.
    @discardableResult
    public func queue(_ frame: Frame) -> Bool {
        guard writeBuffer.count - pending >= WireFormat.maxWireSize else {
            framesNotQueued += 1
            return false
        }
        pending += FrameCodec.encode(frame, into: UnsafeMutableRawBufferPointer(rebasing: writeBuffer[pending...]))
        return true
    }

    /// Writes everything queued. On failure the queued bytes are dropped: a partial
    /// frame is harmless, the receiver resynchronises at the next delimiter.
    public func flush(timeout: Interval = .milliseconds(100)) throws(LinkError) {
        guard pending > 0 else { return }
        defer { pending = 0 }
        try link.write(UnsafeRawBufferPointer(rebasing: writeBuffer[0..<pending]), timeout: timeout)
    }

    /// One read (waiting up to `timeout`), delivering each decoded frame; returns the bytes read.
    @discardableResult
    public func receive(timeout: Interval, _ deliver: (Frame) -> Void) throws(LinkError) -> Int {
        let count = try link.read(into: readBuffer, timeout: timeout)
        if count > 0 { decoder.feed(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]), deliver) }
        return count
    }
}
