import InjectorCore
import InjectorProtocol
import Testing

/// The firmware's answers under abuse: a host that stops reading, commands out of
/// range, bursts of commands (docs/protocol.md, "Command", "Nak", "Event").
@Suite struct SessionRecoveryTests {
    static func event(_ i: Int, at now: Instant) -> ControllerEvent {
        ControllerEvent(time: now, kind: .warning, previousState: .idle, state: .idle, value: Double(i))
    }

    /// A host that stops reading for 10 s, still heartbeating its last acknowledgement,
    /// gets every event once it reads again: any host frame restarts the delivery.
    @Test func eventDeliveryResumesAfterTheHostStopsReading() throws {
        // The host's own link timeout is long: it does not identify again, it only reads again.
        var h = SessionHarness(
            firmware: SessionHarness().firmware,
            host: HostEndpoint(expectedConfigurationHash: SessionHarness.hash,
                               timing: LinkTiming(linkTimeout: .seconds(60))))
        h.connect()
        var raised: [ControllerEvent] = []
        h.dropToHost = { _ in true }
        for i in 0..<5 {
            raised.append(Self.event(i, at: h.now))
            h.firmware.raise(raised.last!)
            h.run(milliseconds: 2000)
        }
        #expect(h.events.isEmpty)
        #expect(h.firmware.counters.eventDeliveryStalls >= 1)
        h.dropToHost = { _ in false }
        h.run(milliseconds: 300)
        raised.append(Self.event(5, at: h.now))
        h.firmware.raise(raised.last!)
        try h.host.send(.queryStatus, at: h.now)
        h.run(milliseconds: 300)
        #expect(h.events == raised, "\(h.events.count) of \(raised.count) events after the host read again")
        #expect(h.firmware.unacknowledgedEvents == 0)
    }

    /// A host endpoint identified with a matching firmware, talking to no one.
    static func connectedHost(at now: Instant) -> HostEndpoint {
        var host = HostEndpoint(expectedConfigurationHash: SessionHarness.hash)
        host.connect(at: now)
        let request = host.nextOutgoing()!
        host.receive(Frame(.identifyResponse(FirmwareIdentity(
            firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0), configurationHash: SessionHarness.hash,
            tickRate: Hertz(1000), firstEventSequence: SequenceNumber(1))),
            sequence: SequenceNumber(0), acknowledgement: request.sequence), at: now)
        return host
    }

    /// A firmware endpoint in a session, fed raw bytes as a host that ignores the
    /// one-outstanding rule would write them; the controller accepts every command.
    struct BareFirmware {
        var endpoint = SessionHarness().firmware
        var now = Instant(nanoseconds: 1_000_000_000)
        var answers: [UInt16: [Message]] = [:]
        var applied: [HostCommand] = []

        init() {
            endpoint.receive(Frame(.identifyRequest, sequence: SequenceNumber(0)), at: now)
            _ = endpoint.nextNotice()
        }

        mutating func write(_ bytes: [UInt8]) {
            var frames: [Frame] = []
            var decoder = StreamDecoder()
            decoder.feed(bytes) { frames.append($0) }
            for frame in frames { endpoint.receive(frame, at: now) }
        }

        /// One firmware tick: at most one command to the controller, as `FirmwareLoop` does.
        mutating func tick() {
            now = now + .milliseconds(1)
            var command: HostCommand?
            while let notice = endpoint.nextNotice() { if case .command(let c) = notice { command = c } }
            if let command {
                applied.append(command)
                endpoint.reply(.accepted(command.code), at: now)
            }
            endpoint.poll(at: now)
            while let frame = endpoint.nextOutgoing() {
                switch frame.message {
                case .ack, .nak: answers[frame.acknowledgement.rawValue, default: []].append(frame.message)
                default: break
                }
            }
        }
    }

    /// 2 000 commands written back to back, none waiting for its answer: each gets
    /// exactly one answer, an Ack for those the pipeline took and a Nak "busy" for the rest.
    @Test func everyCommandOfABurstIsAnsweredOnce() {
        var f = BareFirmware()
        let burst = 2000
        var bytes: [UInt8] = []
        for i in 1...burst {
            bytes += FrameCodec.wireBytes(Frame(.command(.queryStatus), sequence: SequenceNumber(UInt16(i))))
        }
        f.write(bytes)
        for _ in 0..<500 { f.tick() }
        let once = (1...burst).filter { f.answers[UInt16($0)]?.count == 1 }.count
        let acks = f.answers.values.flatMap { $0 }.filter { $0 == .ack(.queryStatus) }.count
        let busy = f.answers.values.flatMap { $0 }
            .filter { $0 == .nak(CommandNak(command: .queryStatus, cause: .busy)) }.count
        #expect(once == burst, "\(once) of \(burst) commands answered exactly once")
        #expect(f.answers.count == burst)
        // One with the controller, the pipeline's worth behind it.
        let taken = 1 + FirmwareEndpoint.commandPipelineCapacity
        #expect(acks == taken)
        #expect(busy == burst - taken)
        #expect(f.endpoint.counters.busyCommands == UInt64(busy))
        #expect(f.endpoint.counters.unansweredCommands == 0)
        #expect(f.applied.count == taken)
    }

    /// A host told "busy" keeps the command outstanding and resends it on its timer.
    @Test func aBusyCommandIsResentAndApplied() throws {
        let now = Instant(nanoseconds: 1_000_000_000)
        var host = SessionRecoveryTests.connectedHost(at: now)
        try host.send(.arm, at: now)
        let sent = host.nextOutgoing()!
        host.receive(Frame(.nak(CommandNak(command: .arm, cause: .busy)), sequence: SequenceNumber(1),
                           acknowledgement: sent.sequence), at: now)
        #expect(host.counters.busyAnswers == 1)
        #expect(host.pendingCommands == 1, "still outstanding after busy")
        host.poll(at: now + host.timing.retransmitTimeout)
        var resent: Frame?
        while let frame = host.nextOutgoing() { if case .command = frame.message { resent = frame } }
        #expect(resent?.sequence == sent.sequence && resent?.flags == .retransmission)
    }
}

/// An argument outside its wire range gets a Nak naming the field, at once.
@Suite struct InvalidArgumentTests {
    /// The wire bytes of a Command whose payload is `payload` (code first), as a host
    /// with a faulty encoder would write them.
    static func rawCommand(sequence: UInt16, payload: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = [WireFormat.protocolVersion, MessageType.command.rawValue, 0,
                              UInt8(sequence & 0xFF), UInt8(sequence >> 8), 0, 0] + payload
        let crc = frame.withUnsafeBytes { CRC32C.checksum($0) }
        frame += [UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 24)]
        var wire = [UInt8](repeating: 0, count: frame.count + 2)
        let n = frame.withUnsafeBytes { src in wire.withUnsafeMutableBytes { COBS.encode(src, into: $0) } }
        return Array(wire[0..<n]) + [0]
    }

    static func f64(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }

    static func plan(fill: Double) -> [UInt8] {
        [CommandCode.configureProcedure.rawValue, 3, 1, 2, 2] + f64(30_000) + f64(0.25) + f64(fill) + f64(1500)
    }

    @Test(arguments: [
        (plan(fill: 1.5), UInt8(21), CommandCode.configureProcedure),
        ([CommandCode.setRate.rawValue] + f64(.nan), UInt8(1), CommandCode.setRate),
        ([CommandCode.tightenCap.rawValue] + f64(-1), UInt8(1), CommandCode.tightenCap),
        ([CommandCode.stop.rawValue, 7], UInt8(1), CommandCode.stop),
    ])
    func anArgumentOutOfRangeIsNakedWithItsField(payload: [UInt8], field: UInt8, code: CommandCode) {
        var f = SessionRecoveryTests.BareFirmware()
        f.write(Self.rawCommand(sequence: 1, payload: payload))
        f.tick()
        let nak = Message.nak(CommandNak(command: code, cause: .invalidArgument(field: field)))
        #expect(f.answers[1] == [nak])
        #expect(f.applied.isEmpty)
        #expect(f.endpoint.counters.invalidCommands == 1)
        // Resent (its answer lost): the same answer again, still nothing applied.
        f.write(Self.rawCommand(sequence: 1, payload: payload))
        f.tick()
        #expect(f.answers[1] == [nak, nak])
        // The next command is taken as usual.
        f.write(Self.rawCommand(sequence: 2, payload: [CommandCode.queryStatus.rawValue]))
        for _ in 0..<3 { f.tick() }
        #expect(f.answers[2] == [.ack(.queryStatus)])
    }

    /// The offsets a Nak names are the definition's configureProcedure field offsets.
    @Test func planFieldOffsetsAreTheDefinitions() throws {
        let spec = try ProtocolDefinitionTests.definition()
        let fields = try #require(spec.commands.first { $0.name == "configureProcedure" }?.fields)
        let offset = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.offset) })
        typealias F = CommandArguments.PlanField
        let code: [(String, UInt8)] = [
            ("levelRegion", F.levelRegion), ("levelNumber", F.levelNumber), ("approach", F.approach),
            ("capacityKind", F.capacityKind), ("capacityVolumeUL", F.capacityVolume),
            ("anteriorFraction", F.anteriorFraction), ("fillFractionLimit", F.fillFractionLimit),
            ("perPedicleCapUL", F.perPedicleCap)]
        for (name, value) in code { #expect(offset[name] == Int(value), "\(name)") }
        #expect(code.count == fields.count)
    }

    @Test func theHostReportsTheFieldAndGoesOn() throws {
        let now = Instant(nanoseconds: 1_000_000_000)
        var host = SessionRecoveryTests.connectedHost(at: now)
        try host.send(.setRate(MicrolitersPerSecond(50)), at: now)
        try host.send(.arm, at: now)
        let sent = host.nextOutgoing()!
        host.receive(Frame(.nak(CommandNak(command: .setRate, cause: .invalidArgument(field: 1))),
                           sequence: SequenceNumber(1), acknowledgement: sent.sequence), at: now)
        var notices: [HostEndpoint.Notice] = []
        while let n = host.nextNotice() { notices.append(n) }
        #expect(notices.contains(.commandFailed(.setRate(MicrolitersPerSecond(50)), .invalidArgument(field: 1))))
        let next = host.nextOutgoing()
        #expect(next?.message == .command(.arm))
    }
}
