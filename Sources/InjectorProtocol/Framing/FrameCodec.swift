/// Turns frames into wire bytes and back (docs/protocol.md, "Overview of a frame").
/// Encoding writes into the caller's buffer; decoding reads the caller's buffer.
/// Neither allocates.
public enum FrameCodec {
    /// Encodes `frame` as COBS bytes followed by the `00` delimiter into `destination`,
    /// which must hold `WireFormat.maxWireSize` bytes. Returns the bytes written.
    @discardableResult
    public static func encode(_ frame: Frame, into destination: UnsafeMutableRawBufferPointer) -> Int {
        precondition(destination.count >= WireFormat.maxWireSize, "destination smaller than one wire frame")
        return withUnsafeTemporaryAllocation(byteCount: WireFormat.maxFrameSize, alignment: 8) { raw in
            let length = writeFrame(frame, into: raw)
            let encoded = COBS.encode(UnsafeRawBufferPointer(rebasing: raw[0..<length]), into: destination)
            precondition(encoded <= WireFormat.maxEncodedSize, "encoded frame exceeds the maximum")
            destination[encoded] = WireFormat.delimiter
            return encoded + 1
        }
    }

    /// Appends the wire bytes of `frame` to `bytes`; allocation-free once `bytes` has
    /// capacity (a reused array).
    public static func encode(_ frame: Frame, appendingTo bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: WireFormat.maxWireSize, alignment: 8) { raw in
            let count = encode(frame, into: raw)
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[0..<count]))
        }
    }

    /// The wire bytes of one frame, for tests and documents.
    public static func wireBytes(_ frame: Frame) -> [UInt8] {
        var bytes: [UInt8] = []
        encode(frame, appendingTo: &bytes)
        return bytes
    }

    /// Header, payload and checksum (before COBS) into `raw`; returns the length.
    public static func writeFrame(_ frame: Frame, into raw: UnsafeMutableRawBufferPointer) -> Int {
        precondition(raw.count >= WireFormat.maxFrameSize, "frame buffer too small")
        precondition(frame.flags.rawValue & FrameFlags.reservedMask == 0, "reserved flag bits set")
        var w = WireWriter(raw)
        w.u8(frame.version)
        w.u8(frame.message.type.rawValue)
        w.u8(frame.flags.rawValue)
        w.u16(frame.sequence.rawValue)
        w.u16(frame.acknowledgement.rawValue)
        PayloadEncoding.write(frame.message, to: &w)
        let payloadLength = w.offset - WireFormat.headerSize
        precondition(payloadLength <= WireFormat.maxPayloadSize, "payload exceeds the maximum")
        let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<w.offset]))
        w.u32(crc)
        return w.offset
    }

    /// Decodes one frame from its COBS bytes (without the delimiter), in place: the
    /// buffer's first `count` bytes are overwritten by the decoded frame.
    public static func decode(encodedInPlace buffer: UnsafeMutableRawBufferPointer,
                              count: Int) -> Result<Frame, FrameError> {
        guard count <= WireFormat.maxEncodedSize else { return .failure(.oversize) }
        guard let length = COBS.decodeInPlace(buffer, count: count), length >= WireFormat.minFrameSize else {
            return .failure(.badEncoding)
        }
        return parseFrame(UnsafeRawBufferPointer(rebasing: buffer[0..<length]))
    }

    /// Checks and parses a decoded frame (header, payload, checksum).
    public static func parseFrame(_ raw: UnsafeRawBufferPointer) -> Result<Frame, FrameError> {
        guard raw.count >= WireFormat.minFrameSize, raw.count <= WireFormat.maxFrameSize else {
            return .failure(.badEncoding)
        }
        let bodyLength = raw.count - WireFormat.checksumSize
        let body = UnsafeRawBufferPointer(rebasing: raw[0..<bodyLength])
        var trailer = WireReader(raw, at: bodyLength)
        guard CRC32C.checksum(body) == trailer.u32() else { return .failure(.checksumMismatch) }
        var r = WireReader(body)
        let version = r.u8()
        let typeByte = r.u8()
        let flags = r.u8()
        let sequence = SequenceNumber(r.u16())
        let acknowledgement = SequenceNumber(r.u16())
        let type = MessageType(rawValue: typeByte)
        guard version == WireFormat.protocolVersion || type?.isVersionIndependent == true else {
            return .failure(.versionMismatch)
        }
        guard let type else { return .failure(.unknownType) }
        guard flags & FrameFlags.reservedMask == 0 else { return .failure(.reservedFlags) }
        let payload = UnsafeRawBufferPointer(rebasing: body[WireFormat.headerSize..<bodyLength])
        switch PayloadDecoding.read(type, payload) {
        case .success(let message):
            return .success(Frame(message, sequence: sequence, acknowledgement: acknowledgement,
                                  flags: FrameFlags(rawValue: flags), version: version))
        case .failure(let error):
            return .failure(error)
        }
    }

    /// Decodes wire bytes holding exactly one frame, with or without its delimiter.
    public static func decode(wire bytes: [UInt8]) -> Result<Frame, FrameError> {
        var encoded = bytes
        if encoded.last == WireFormat.delimiter { encoded.removeLast() }
        guard encoded.count <= WireFormat.maxEncodedSize else { return .failure(.oversize) }
        return encoded.withUnsafeMutableBytes { decode(encodedInPlace: $0, count: $0.count) }
    }
}
