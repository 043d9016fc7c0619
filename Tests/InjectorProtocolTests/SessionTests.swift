import InjectorCore
import InjectorProtocol
import Testing

@Suite struct SessionTests {
    @Test func handshakeConnectsAMatchingFirmware() {
        var h = SessionHarness()
        h.connect()
        #expect(h.host.isConnected)
        #expect(h.firmware.hasSession)
        #expect(h.hostNotices.first == .identified(FirmwareIdentity(
            firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0), configurationHash: SessionHarness.hash,
            tickRate: Hertz(1000), firstEventSequence: SequenceNumber(1))))
    }

    @Test func hostRefusesAFirmwareWithAnotherConfiguration() {
        var h = SessionHarness(
            firmware: FirmwareEndpoint(firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0),
                                       configurationHash: 0xBAD, tickRate: Hertz(1000)),
            host: HostEndpoint(expectedConfigurationHash: SessionHarness.hash))
        h.connect()
        #expect(h.host.state == .refused(.configurationHash(firmware: 0xBAD, expected: SessionHarness.hash)))
        #expect(throws: HostEndpoint.SendError.notConnected) { try h.host.send(.arm, at: h.now) }
        h.run(milliseconds: 300)
        #expect(!h.framesToFirmware.contains { if case .command = $0.message { true } else { false } })
    }

    @Test func hostRefusesAFirmwareOfAnotherProtocolVersion() {
        var host = HostEndpoint(expectedConfigurationHash: 1)
        host.connect(at: .origin)
        let request = host.nextOutgoing()!
        var identity = ExampleFrames.identity
        identity.protocolVersion = 2
        identity.configurationHash = 1
        // Identify frames are read at any version; the payload says which the firmware speaks.
        let wire = FrameCodec.wireBytes(Frame(.identifyResponse(identity), sequence: SequenceNumber(0),
                                              acknowledgement: request.sequence, version: 2))
        guard case .success(let response) = FrameCodec.decode(wire: wire) else {
            Issue.record("identify response of version 2 not decoded")
            return
        }
        host.receive(response, at: .origin)
        #expect(host.state == .refused(.protocolVersion(firmware: 2, host: 1)))
    }

    @Test func commandsAreAnsweredInOrder() throws {
        var h = SessionHarness()
        h.connect()
        for command: HostCommand in [.cementMixed, .prime, .arm, .start, .queryStatus] {
            try h.host.send(command, at: h.now)
        }
        h.run(milliseconds: 10)
        #expect(h.applied == [.cementMixed, .prime, .arm, .start, .queryStatus])
        #expect(h.replies == [.accepted(.cementMixed), .accepted(.prime), .accepted(.arm),
                              .refused(.start, .enableNotHeld), .accepted(.queryStatus)])
    }

    @Test func aCommandWhoseAnswerIsLostIsAppliedOnceAndAnsweredAgain() throws {
        var h = SessionHarness()
        h.connect()
        var lostReplies = 0
        h.dropToHost = { frame in
            if case .ack = frame.message, lostReplies < 2 { lostReplies += 1; return true }
            return false
        }
        try h.host.send(.prime, at: h.now)
        h.run(milliseconds: 200)
        #expect(h.applied == [.prime])
        #expect(h.replies == [.accepted(.prime)])
        #expect(h.firmware.counters.duplicateCommands == 2)
        #expect(h.host.counters.commandRetransmissions == 2)
    }

    @Test func aLostCommandIsResentAndAppliedOnce() throws {
        var h = SessionHarness()
        h.connect()
        var lost = false
        h.dropToFirmware = { frame in
            if case .command = frame.message, !lost { lost = true; return true }
            return false
        }
        try h.host.send(.arm, at: h.now)
        h.run(milliseconds: 100)
        #expect(h.applied == [.arm])
        #expect(h.replies == [.accepted(.arm)])
    }

    @Test func retransmissionIsBoundedThenTheHostIdentifiesAgain() throws {
        var h = SessionHarness()
        h.connect()
        h.dropToFirmware = { if case .command = $0.message { true } else { false } }
        try h.host.send(.release, at: h.now)
        try h.host.send(.queryStatus, at: h.now)
        h.run(milliseconds: 400)
        let sent = h.framesToFirmware.filter { if case .command = $0.message { true } else { false } }
        #expect(sent.count == 1 + h.host.timing.maxRetransmissions)
        #expect(h.hostNotices.contains(.commandFailed(.release, .undelivered)))
        #expect(h.hostNotices.contains(.commandFailed(.queryStatus, .undelivered)))
        #expect(h.applied.isEmpty)
        #expect(h.host.isConnected, "identified again after giving up")
    }

    @Test func aRestartedFirmwareMakesTheHostIdentifyAgain() throws {
        var h = SessionHarness()
        h.connect()
        try h.host.send(.prime, at: h.now)
        h.run(milliseconds: 5)
        h.firmware = FirmwareEndpoint(firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0),
                                      configurationHash: SessionHarness.hash, tickRate: Hertz(1000))
        try h.host.send(.arm, at: h.now)
        h.run(milliseconds: 20)
        #expect(h.hostNotices.contains(.commandFailed(.arm, .sessionLost)))
        #expect(h.host.isConnected)
        #expect(h.applied == [.prime], "nothing applied by the restarted firmware without a session")
        try h.host.send(.arm, at: h.now)
        h.run(milliseconds: 5)
        #expect(h.applied == [.prime, .arm])
    }

    @Test func eventsArriveOnceAndInOrderOverALossyLink() {
        var h = SessionHarness()
        var rng = SplitMix64(seed: 99)
        h.dropToHost = { _ in Int.random(in: 0..<100, using: &rng) < 30 }
        var rng2 = SplitMix64(seed: 100)
        h.dropToFirmware = { _ in Int.random(in: 0..<100, using: &rng2) < 30 }
        h.connect()
        h.run(milliseconds: 200)
        var raised: [ControllerEvent] = []
        for i in 0..<300 {
            let event = ControllerEvent(time: h.now, kind: .warning, previousState: .idle, state: .idle,
                                        value: Double(i))
            if h.firmware.raise(event) { raised.append(event) }
            // 50 events a second: far above a real procedure's rate.
            h.run(milliseconds: 20)
        }
        h.dropToHost = { _ in false }
        h.dropToFirmware = { _ in false }
        h.run(milliseconds: 2000)
        #expect(raised.count == 300)
        #expect(h.events == raised)
        #expect(h.firmware.unacknowledgedEvents == 0)
        #expect(h.firmware.counters.eventRetransmissions > 0, "the loss must have forced resends")
    }

    @Test func theEventQueueIsBoundedAndCountsOverflow() {
        var firmware = FirmwareEndpoint(firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0),
                                        configurationHash: 1, tickRate: Hertz(1000))
        let event = ControllerEvent(time: .origin, kind: .warning, previousState: .idle, state: .idle)
        var accepted = 0
        for _ in 0..<70 where firmware.raise(event) { accepted += 1 }
        #expect(accepted == FirmwareEndpoint.eventQueueCapacity)
        #expect(firmware.counters.eventsOverflowed == 6)
    }

    @Test func eventsRaisedBeforeAHostConnectsAreDeliveredAfterwards() {
        var h = SessionHarness()
        let events = (0..<10).map { ControllerEvent(time: .origin, kind: .faultLatched, reason: .pressureStale,
                                                    previousState: .idle, state: .faulted, value: Double($0)) }
        for e in events { h.firmware.raise(e) }
        h.run(milliseconds: 50)
        #expect(h.events.isEmpty)
        h.connect()
        h.run(milliseconds: 50)
        #expect(h.events == events)
    }

    @Test func heartbeatsFlowBothWaysAndSilenceIsDetectedWithinTheTimeout() {
        var h = SessionHarness()
        h.connect()
        h.run(milliseconds: 1000)
        let beatsToHost = h.framesToHost.filter { if case .heartbeat = $0.message { true } else { false } }.count
        let beatsToFirmware = h.framesToFirmware.filter { if case .heartbeat = $0.message { true } else { false } }.count
        #expect((9...12).contains(beatsToHost))
        #expect((9...13).contains(beatsToFirmware))
        // Cut the cable.
        h.dropToHost = { _ in true }
        h.dropToFirmware = { _ in true }
        let cut = h.now
        var firmwareLost: Instant?
        var hostLost: Instant?
        for _ in 0..<1000 {
            h.tick()
            if firmwareLost == nil, h.firmwareNotices.contains(.hostLinkLost) { firmwareLost = h.now }
            if hostLost == nil, h.hostNotices.contains(.linkLost) { hostLost = h.now }
        }
        let timeout = h.firmware.timing.linkTimeout
        #expect(firmwareLost.map { $0 - cut <= timeout } == true)
        #expect(hostLost.map { $0 - cut <= timeout } == true)
        #expect(!h.firmware.isHostLinkUp)
        #expect(h.firmware.hostLastHeard.map { cut - $0 <= .milliseconds(100) } == true)
    }

    /// On a link the simulator shares with the host, the simulator's SimSensors keep
    /// flowing after the host falls silent: they must not keep the host link alive.
    @Test func simulatorFramesDoNotKeepASilentHostAlive() {
        var h = SessionHarness()
        h.connect()
        h.run(milliseconds: 200)
        h.dropToFirmware = { _ in true }   // the host says nothing more
        let silent = h.now
        var lostAt: Instant?
        for i in 0..<1000 {
            h.tick()
            let sensors = SimulatedSensors(sampleTime: h.now, pressure: Kilopascals(100))
            h.firmware.receive(Frame(.simSensors(sensors), sequence: SequenceNumber(UInt16(i))), at: h.now)
            if lostAt == nil, h.firmwareNotices.contains(.hostLinkLost) { lostAt = h.now }
        }
        #expect(lostAt.map { $0 - silent <= h.firmware.timing.linkTimeout + .milliseconds(1) } == true)
        #expect(h.firmware.hostLastHeard.map { silent - $0 <= .milliseconds(100) } == true)
        // A SimSensors handed to the host session by mistake is counted, never used.
        #expect(h.firmware.counters.unexpectedMessages == 1000)
    }

    @Test func theHostLinkComesBackAfterACut() {
        var h = SessionHarness()
        h.connect()
        h.dropToHost = { _ in true }
        h.dropToFirmware = { _ in true }
        h.run(milliseconds: 700)
        h.dropToHost = { _ in false }
        h.dropToFirmware = { _ in false }
        h.run(milliseconds: 300)
        #expect(h.firmwareNotices.contains(.hostLinkRestored))
        #expect(h.host.isConnected)
        #expect(h.firmware.isHostLinkUp)
    }
}
