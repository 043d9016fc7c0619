import InjectorCore

/// A bidirectional byte stream to the other side of the protocol: a serial port, a
/// pseudo-terminal, a socket. Frames are the protocol's business; a link moves bytes.
///
/// One thread reads and one thread writes at a time; `close()` must not race either.
public protocol ByteLink: AnyObject, Sendable {
    /// What the link is connected to, for messages ("/dev/ttyUSB0", "/dev/pts/4").
    var name: String { get }

    /// Waits up to `timeout` for bytes and reads as many as are available, up to
    /// `buffer.count`. Returns 0 if none arrived in time.
    func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Interval) throws(LinkError) -> Int

    /// Writes all of `bytes`, waiting at most `timeout` for the link to take them
    /// (a peer that stops reading must not stall a control loop forever).
    func write(_ bytes: UnsafeRawBufferPointer, timeout: Interval) throws(LinkError)

    /// Releases the device. Further reads and writes throw `.closed`.
    func close()
}

extension ByteLink {
    /// Writes an array's bytes (convenience for tests and tools).
    public func write(_ bytes: [UInt8], timeout: Interval = .seconds(1)) throws(LinkError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(LinkError) in try write(raw, timeout: timeout) }
        }
        try result.get()
    }
}
