import InjectorCore
import InjectorProtocol
import Testing

@Suite struct StreamDecoderTests {
    func heartbeat(_ n: UInt16) -> Frame {
        Frame(.heartbeat(Heartbeat(time: Instant(nanoseconds: Int64(n) * 1_000_000))), sequence: SequenceNumber(n))
    }

    func decodeAll(_ bytes: [UInt8], into decoder: inout StreamDecoder) -> [Frame] {
        var frames: [Frame] = []
        decoder.feed(bytes) { frames.append($0) }
        return frames
    }

    @Test func joinsMidStreamAndResynchronisesAtTheNextDelimiter() {
        let first = FrameCodec.wireBytes(heartbeat(1))
        let second = FrameCodec.wireBytes(heartbeat(2))
        var decoder = StreamDecoder()
        // Start in the middle of the first frame, as a receiver opening a busy port does.
        let frames = decodeAll(Array(first.dropFirst(5)) + second, into: &decoder)
        #expect(frames == [heartbeat(2)])
        #expect(decoder.statistics.framesDecoded == 1)
        #expect(decoder.statistics.framesDropped == 1)
    }

    @Test func countsEachKindOfBadFrame() {
        var decoder = StreamDecoder()
        var stream: [UInt8] = []
        stream += [UInt8](repeating: 0x41, count: 300) + [0]           // oversize
        var badCRC = FrameCodec.wireBytes(heartbeat(3))
        badCRC[4] ^= 0x01                                              // crc failure (payload bit)
        stream += badCRC
        stream += [0x02, 0x01, 0]                                      // too short
        stream += wire(version: 2, type: 0x03, payload: [UInt8](repeating: 1, count: 12)) // version
        stream += wire(version: 1, type: 0x7F, payload: [])           // unknown type
        stream += wire(version: 1, type: 0x03, payload: [1, 2, 3])     // payload length
        stream += wire(version: 1, type: 0x11, payload: [0x63])        // ack of an unknown command
        stream += wire(version: 1, type: 0x03, flags: 0x80, payload: [UInt8](repeating: 1, count: 12)) // reserved flag
        stream += [0, 0, 0]                                            // empty frames: ignored
        stream += FrameCodec.wireBytes(heartbeat(4))
        let frames = decodeAll(stream, into: &decoder)
        let s = decoder.statistics
        #expect(frames == [heartbeat(4)])
        #expect(s.oversizeFrames == 1)
        #expect(s.checksumFailures == 1)
        #expect(s.badEncodings == 1)
        #expect(s.versionMismatches == 1)
        #expect(s.unknownTypes == 1)
        #expect(s.malformedPayloads == 3)
        #expect(s.framesDropped == 8)
    }

    @Test func acceptsIdentifyFramesOfAnyVersion() {
        var decoder = StreamDecoder()
        let frames = decodeAll(wire(version: 9, type: 0x01, payload: []), into: &decoder)
        #expect(frames.count == 1 && frames.first?.version == 9)
    }

    @Test func countsSequenceGapsOfUnreliableFramesOnly() {
        var decoder = StreamDecoder()
        var stream: [UInt8] = []
        for n: UInt16 in [10, 11, 14, 15] { stream += FrameCodec.wireBytes(heartbeat(n)) }
        // Events have their own numbering; a jump there is the session's business.
        let event = ControllerEvent(time: .origin, kind: .warning, previousState: .idle, state: .idle)
        stream += FrameCodec.wireBytes(Frame(.event(event), sequence: SequenceNumber(500)))
        stream += FrameCodec.wireBytes(heartbeat(16))
        _ = decodeAll(stream, into: &decoder)
        #expect(decoder.statistics.sequenceGaps == 2)
    }

    /// On a link shared by a host session and a simulator, each numbers its frames on
    /// its own counter: interleaving them is no gap, a missing frame of either is one.
    @Test func hostAndSimulationFramesAreCountedOnTheirOwnCounters() {
        var decoder = StreamDecoder()
        var stream: [UInt8] = []
        let sensors = SimulatedSensors(sampleTime: .origin, pressure: Kilopascals(10))
        func simSensors(_ n: UInt16) -> [UInt8] {
            FrameCodec.wireBytes(Frame(.simSensors(sensors), sequence: SequenceNumber(n)))
        }
        stream += simSensors(900) + FrameCodec.wireBytes(heartbeat(3)) + simSensors(901)
        stream += FrameCodec.wireBytes(heartbeat(4)) + simSensors(902) + simSensors(903)
        _ = decodeAll(stream, into: &decoder)
        #expect(decoder.statistics.sequenceGaps == 0)
        // One SimSensors lost (905 after 903) and two heartbeats (7 after 4).
        _ = decodeAll(simSensors(905) + FrameCodec.wireBytes(heartbeat(7)), into: &decoder)
        #expect(decoder.statistics.sequenceGaps == 3)
    }

    @Test func byteWiseAndChunkedFeedingAgree() {
        var factory = MessageFactory(seed: 42)
        var stream: [UInt8] = []
        for _ in 0..<200 { stream += FrameCodec.wireBytes(factory.anyFrame()) + [0x13, 0x37, 0] }
        var chunked = StreamDecoder()
        let a = decodeAll(stream, into: &chunked)
        var byteWise = StreamDecoder()
        let b = stream.compactMap { byteWise.push($0) }
        #expect(a.count == 200 && a == b)
        #expect(chunked.statistics == byteWise.statistics)
    }

    /// A frame with a valid checksum over arbitrary header and payload bytes.
    func wire(version: UInt8, type: UInt8, flags: UInt8 = 0, payload: [UInt8]) -> [UInt8] {
        var raw: [UInt8] = [version, type, flags, 1, 0, 0, 0] + payload
        let crc = raw.withUnsafeBytes { CRC32C.checksum($0) }
        raw += [UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 24)]
        var out = [UInt8](repeating: 0, count: raw.count + 2)
        let n = raw.withUnsafeBytes { src in out.withUnsafeMutableBytes { COBS.encode(src, into: $0) } }
        return Array(out[0..<n]) + [0]
    }
}
