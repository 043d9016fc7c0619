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
}
