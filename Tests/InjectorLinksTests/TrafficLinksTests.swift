import InjectorCore
import InjectorLinks
import InjectorProtocol
import Testing

/// The one place a link is split by traffic: what reaches the host session and what
/// the simulator's port, on a shared link and on two.
@Suite struct TrafficLinksTests {
    static let sensors = SimulatedSensors(sampleTime: .origin, pressure: Kilopascals(40))
    static let actuators = SimulatedActuators(time: .origin, stepPosition: Steps(12), stepRate: .zero,
                                              driver: .disabled, alarm: .off)
    /// One frame of every kind a link carries, host and simulation interleaved.
    static let mixed: [Frame] = [
        Frame(.identifyRequest, sequence: SequenceNumber(0)),
        Frame(.simSensors(sensors), sequence: SequenceNumber(0)),
        Frame(.heartbeat(Heartbeat(time: .origin)), sequence: SequenceNumber(1)),
        Frame(.simActuators(actuators), sequence: SequenceNumber(0)),
        Frame(.command(.prime), sequence: SequenceNumber(1)),
        Frame(.simSensors(sensors), sequence: SequenceNumber(1)),
    ]

    /// Sends `frames` into `link` and returns what `receiving` handed to each side.
    func deliver(_ frames: [Frame], through link: any ByteLink,
                 to receiving: TrafficLinks) throws -> (host: [MessageType], simulation: [MessageType]) {
        let sender = FrameChannel(link: link)
        for frame in frames { sender.queue(frame) }
        try sender.flush()
        var host: [MessageType] = [], simulation: [MessageType] = []
        for _ in 0..<20 where host.count + simulation.count < frames.count {
            receiving.receive(host: { host.append($0.message.type) }, simulation: { simulation.append($0.message.type) },
                              failed: { error, _ in Issue.record("read: \(error)") })
        }
        return (host, simulation)
    }

    @Test func aSharedLinkHandsSimulationFramesOnlyToTheSimulatorAndHostFramesOnlyToTheHost() throws {
        let (near, far) = try UnixSocketLink.pair()
        let links = TrafficLinks(shared: FrameChannel(link: near))
        #expect(links.isShared)
        let got = try deliver(Self.mixed, through: far, to: links)
        #expect(got.host == [.identifyRequest, .heartbeat, .command])
        #expect(got.simulation == [.simSensors, .simActuators, .simSensors])
        #expect(links.misrouted == TrafficLinks.Misrouted())
    }

    @Test func onTwoLinksTrafficOnTheWrongOneIsCountedAndDropped() throws {
        let (hostNear, hostFar) = try UnixSocketLink.pair()
        let (simNear, simFar) = try UnixSocketLink.pair()
        let links = TrafficLinks(host: FrameChannel(link: hostNear), simulation: FrameChannel(link: simNear))
        #expect(!links.isShared)
        let onHost = try deliver(Self.mixed, through: hostFar, to: links)
        #expect(onHost.host == [.identifyRequest, .heartbeat, .command] && onHost.simulation.isEmpty)
        #expect(links.misrouted.simulationOnHostLink == 3)
        let onSim = try deliver(Self.mixed, through: simFar, to: links)
        #expect(onSim.simulation == [.simSensors, .simActuators, .simSensors] && onSim.host.isEmpty)
        #expect(links.misrouted.hostOnSimulationLink == 3)
    }

    @Test func aFrameIsSentOnTheLinkThatCarriesItsTraffic() throws {
        let (hostNear, hostFar) = try UnixSocketLink.pair()
        let (simNear, simFar) = try UnixSocketLink.pair()
        let sending = TrafficLinks(host: FrameChannel(link: hostNear), simulation: FrameChannel(link: simNear))
        for frame in Self.mixed { #expect(sending.queue(frame)) }
        sending.flush { error, role in Issue.record("\(role): \(error)") }
        let hostSide = FrameChannel(link: hostFar), simSide = FrameChannel(link: simFar)
        var onHost: [MessageType] = [], onSim: [MessageType] = []
        for _ in 0..<20 where onHost.count + onSim.count < Self.mixed.count {
            try hostSide.receive(timeout: .milliseconds(10)) { onHost.append($0.message.type) }
            try simSide.receive(timeout: .milliseconds(10)) { onSim.append($0.message.type) }
        }
        #expect(onHost == [.identifyRequest, .heartbeat, .command])
        #expect(onSim == [.simSensors, .simActuators, .simSensors])
        // No link for a traffic: its frames are not sent.
        let hostOnly = TrafficLinks(host: FrameChannel(link: hostNear), simulation: nil)
        #expect(!hostOnly.queue(Self.mixed[1]))
    }
}
