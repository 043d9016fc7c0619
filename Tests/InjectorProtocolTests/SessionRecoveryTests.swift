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
        var host = HostEndpoint(expectedConfigurationHash: SessionHarness.hash)
        host.connect(at: now)
        let request = host.nextOutgoing()!
        host.receive(Frame(.identifyResponse(FirmwareIdentity(
            firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0), configurationHash: SessionHarness.hash,
            tickRate: Hertz(1000), firstEventSequence: SequenceNumber(1))),
            sequence: SequenceNumber(0), acknowledgement: request.sequence), at: now)
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
