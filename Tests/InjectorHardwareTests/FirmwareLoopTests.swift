import InjectorConfigFile
import InjectorCore
import InjectorFirmware
import InjectorHardware
import InjectorLinks
import InjectorProtocol
import Logging
import Testing

/// The shipped configuration.
func shippedConfiguration() throws -> ValidatedConfiguration {
    try ConfigurationFile.load(path: "\(repositoryRoot)/hardware/configs/lumbar-10ml-11g.yaml")
}

/// The other end of the firmware's link, in the test's thread: a host endpoint that
/// also plays the simulator (a FirmwarePort: SimSensors out, SimActuators in), over a
/// real socket pair, the two split as the firmware splits them (`TrafficLinks`).
final class HostAndSimulator {
    var host: HostEndpoint
    var port = FirmwarePort()
    let channel: FrameChannel
    let links: TrafficLinks
    var switches = SwitchInputs(enable: .active)
    var pressure = Kilopascals(20)
    /// A live transducer's noise, a few kPa either way: a reading frozen within
    /// `faults.pressureStuckBand` while the plunger pushes is a stuck sensor, priming too.
    static let dither: [Double] = [-2, 1, 2, -1]
    private var sent = 0
    var actuators: [SimulatedActuators] = []
    var events: [ControllerEvent] = []
    var replies: [CommandReply] = []
    var telemetry: [TelemetryReport] = []
    var statuses: [(StatusReport, SequenceNumber)] = []
    var identified: FirmwareIdentity?
    var refused: IdentityMismatch?

    init(link: any ByteLink, expectedHash: UInt64) {
        host = HostEndpoint(expectedConfigurationHash: expectedHash)
        channel = FrameChannel(link: link)
        links = TrafficLinks(shared: channel)
    }

    /// Before the firmware's tick: send what is due, and (once identified, so that the
    /// firmware waits without inputs first) this tick's sensors.
    func send(at now: Instant) throws {
        host.poll(at: now)
        if host.isConnected {
            let reading = pressure + Kilopascals(Self.dither[sent % Self.dither.count])
            sent += 1
            links.queue(port.frame(for: SimulatedSensors(sampleTime: now, pressure: reading, switches: switches)))
        }
        while let f = host.nextOutgoing() { links.queue(f) }
        try channel.flush()
    }

    /// After the firmware's tick: take what it sent.
    func receive(at now: Instant) throws {
        links.receive(host: { host.receive($0, at: now) }, simulation: { frame in
            if let a = port.receive(frame) { actuators.append(a) }
        }, failed: { error, _ in Issue.record("read: \(error)") })
        while let notice = host.nextNotice() {
            switch notice {
            case .identified(let id): identified = id
            case .refused(let why): refused = why
            case .reply(let r, _): replies.append(r)
            case .event(let e, _): events.append(e)
            case .telemetry(let t): telemetry.append(t)
            case .status(let s, let answering): statuses.append((s, answering))
            case .commandFailed, .linkLost: break
            }
        }
    }
}

@Suite(.serialized) struct FirmwareLoopTests {
    static let quiet: Logger = {
        var l = Logger(label: "test.firmware")
        l.logLevel = .critical
        return l
    }()

    /// A firmware loop on simulated IO and a host with its simulator, over one socket pair.
    static func loopOverOneLink(_ configuration: ValidatedConfiguration) throws
        -> (FirmwareLoop, SimulatedIO, HostAndSimulator) {
        let (firmwareSide, hostSide) = try UnixSocketLink.pair()
        let io = SimulatedIO(port: SimulatorPort(), clock: .simulator, maxStepsPerTick: 30)
        let loop = FirmwareLoop(configuration: configuration, io: io,
                                links: TrafficLinks(shared: FrameChannel(link: firmwareSide)), simulator: io.port,
                                firmwareVersion: FirmwareVersion(major: 0, minor: 1, patch: 0),
                                telemetryPeriod: .milliseconds(10), logger: Self.quiet)
        let peer = HostAndSimulator(link: hostSide, expectedHash: ConfigurationFingerprint.hash(configuration.configuration))
        return (loop, io, peer)
    }

    @Test func hardwareInTheLoopOverOneLinkPrimesAndStopsOnEStopWithinOneTick() throws {
        let configuration = try shippedConfiguration()
        let (loop, io, peer) = try Self.loopOverOneLink(configuration)
        var now = Instant(nanoseconds: 1_000_000_000)
        let tick = configuration.configuration.tickRate.period
        func step() throws {
            now = now + tick
            try peer.send(at: now)
            loop.tick(at: now)
            try peer.receive(at: now)
        }

        peer.host.connect(at: now)
        for _ in 0..<5 { try step() }
        #expect(peer.refused == nil)
        #expect(peer.identified?.configurationHash == ConfigurationFingerprint.hash(configuration.configuration))
        #expect(loop.counters.ticksWithoutInputs >= 1)   // before the first SimSensors

        try peer.host.send(.prime, at: now)
        for _ in 0..<300 { try step() }
        #expect(peer.replies == [.accepted(.prime)])
        #expect(loop.controller.state == .priming)
        let moving = try #require(peer.actuators.last)
        #expect(moving.driver == .enabled)
        #expect(moving.stepRate.rawValue > 0)
        #expect(moving.stepPosition.count > 100)
        #expect(moving.stepPosition == io.stepPosition)
        #expect(peer.telemetry.count >= 25)

        // E-stop: the very next SimActuators has no forward motion.
        peer.switches.eStop = .active
        let before = peer.actuators.count
        try step()
        let stopped = try #require(peer.actuators.dropFirst(before).first)
        #expect(stopped.stepRate.rawValue <= 0)
        #expect(loop.controller.state == .eStopped)
        for _ in 0..<20 { try step() }
        #expect(peer.events.contains { $0.kind == .stateChanged && $0.state == .eStopped })

        // Shutdown: a last report with the driver disabled.
        loop.shutDown(at: now + tick)
        try peer.receive(at: now + tick)
        #expect(peer.actuators.last?.driver == .disabled)
        #expect(peer.actuators.last?.stepRate == .zero)
        #expect(loop.counters.hostWriteErrors == 0 && loop.counters.hostReadErrors == 0)

        // The shared link was split by type: no SimSensors reached the host session and
        // no host frame the simulator's port, on either side.
        #expect(io.port.counters.sensorsReceived > 300 && io.port.counters.unexpectedMessages == 0)
        #expect(loop.endpoint.counters.unexpectedMessages == 0)
        #expect(peer.host.counters.unexpectedMessages == 0 && peer.port.counters.unexpectedMessages == 0)
        #expect(peer.port.counters.actuatorsReceived == UInt64(peer.actuators.count))
        #expect(loop.links.misrouted == TrafficLinks.Misrouted() && peer.links.misrouted == TrafficLinks.Misrouted())
        // Each side numbers its own frames: interleaved on one link, no gap either way.
        #expect(peer.channel.statistics.sequenceGaps == 0)
        #expect(loop.links.host?.statistics.sequenceGaps == 0)
    }

    /// queryStatus is answered by its Ack and one Status naming the query's `seq`.
    @Test func queryStatusGetsAStatusAfterItsAck() throws {
        let configuration = try shippedConfiguration()
        let (loop, _, peer) = try Self.loopOverOneLink(configuration)
        var now = Instant(nanoseconds: 1_000_000_000)
        peer.host.connect(at: now)
        for _ in 0..<20 {
            now = now + configuration.configuration.tickRate.period
            try peer.send(at: now)
            loop.tick(at: now)
            try peer.receive(at: now)
            if peer.identified != nil, peer.host.pendingCommands == 0, peer.replies.isEmpty {
                try peer.host.send(.queryStatus, at: now)
            }
        }
        #expect(peer.replies == [.accepted(.queryStatus)])
        #expect(peer.statuses.count == 1)
        let status = try #require(peer.statuses.first)
        #expect(status.1 == SequenceNumber(1), "answers the first command of the session")
        #expect(status.0.state == .idle && status.0.committed == .zero)
        #expect(status.0.cap == loop.lastOutputs.map { StatusReport(snapshot: $0.telemetry).cap })
    }

    @Test func separateSimulatorLinkCarriesSensorsAndActuatorsOnly() throws {
        let configuration = try shippedConfiguration()
        let (fwSim, simSide) = try UnixSocketLink.pair()
        let (fwHost, hostSide) = try UnixSocketLink.pair()
        let io = SimulatedIO(port: SimulatorPort(), clock: .firmware, maxStepsPerTick: 30)
        let loop = FirmwareLoop(configuration: configuration, io: io,
                                links: TrafficLinks(host: FrameChannel(link: fwHost), simulation: FrameChannel(link: fwSim)),
                                simulator: io.port, firmwareVersion: FirmwareVersion(major: 0, minor: 1, patch: 0),
                                telemetryPeriod: .milliseconds(5), logger: Self.quiet)
        let sim = FrameChannel(link: simSide)
        let host = HostAndSimulator(link: hostSide, expectedHash: ConfigurationFingerprint.hash(configuration.configuration))
        var now = Instant(nanoseconds: 5_000_000_000)
        host.host.connect(at: now)
        var actuators: [SimulatedActuators] = []
        for i in 0..<200 {
            now = now + .milliseconds(1)
            sim.queue(Frame(.simSensors(SimulatedSensors(sampleTime: Instant(nanoseconds: Int64(i)), pressure: Kilopascals(10),
                                                         switches: SwitchInputs(enable: .active))),
                            sequence: SequenceNumber(UInt16(i))))
            try sim.flush()
            try host.send(at: now)
            loop.tick(at: now)
            try host.receive(at: now)
            try sim.receive(timeout: .zero) { f in if case .simActuators(let a) = f.message { actuators.append(a) } }
        }
        #expect(io.port.counters.sensorsReceived == 200)         // the host's SimSensors are ignored
        #expect(loop.links.misrouted.simulationOnHostLink > 150)
        #expect(actuators.count == 200)
        #expect(actuators.allSatisfy { $0.driver == .disabled })   // idle: nothing moves
        #expect(host.identified != nil)
        #expect(host.actuators.isEmpty)                          // nothing simulated on the host link
        #expect(host.telemetry.count >= 35)
        #expect(loop.controller.state == .idle)
        #expect(loop.links.misrouted.hostOnSimulationLink == 0)
        #expect(loop.endpoint.counters.unexpectedMessages == 0)
    }

    @Test func boardLoopKeepsTheDriverDisabledWhenIdleAndReleasesOnShutdown() throws {
        let configuration = try shippedConfiguration()
        let sysfs = TemporaryDirectory()
        defer { sysfs.destroy() }
        let (fake, hardware) = try FakeGPIO.openTestBoard(sysfs: sysfs)
        fake.state.withLock { $0.inputs = [5: .low, 6: .high, 13: .high, 19: .high, 26: .high, 20: .high, 21: .high] }
        let loop = FirmwareLoop(configuration: configuration, io: BoardIO(hardware: hardware, maxStepsPerTick: 30),
                                links: TrafficLinks(host: nil, simulation: nil), firmwareVersion: FirmwareVersion(major: 0, minor: 1, patch: 0),
                                telemetryPeriod: .milliseconds(10), logger: Self.quiet)
        var now = Instant(nanoseconds: 1_000_000)
        for _ in 0..<100 {
            now = now + .milliseconds(1)
            loop.tick(at: now)
        }
        let s = fake.state.withLock { $0 }
        #expect(s.setLog.allSatisfy { $0.0 != 22 || $0.1 == .high })   // ENABLE (active-low) never enabled
        #expect(s.setLog.allSatisfy { $0.0 != 17 })                     // no STEP pulse
        #expect(loop.controller.state == .idle)
        // The e-stop wire is cut: e-stopped on that tick, the alarm sounds.
        fake.state.withLock { $0.inputs[5] = .high }
        loop.tick(at: now + .milliseconds(1))
        #expect(loop.controller.state == .eStopped)
        #expect(fake.state.withLock { $0.levels[23] } == .high)
        loop.shutDown(at: now + .milliseconds(2))
        #expect(Set(fake.state.withLock { $0.released }).count == 11)
        #expect(fake.state.withLock { $0.levels[22] } == .high)
    }

    @Test func configurationHashIsStableAndSensitive() throws {
        let configuration = try shippedConfiguration().configuration
        let hash = ConfigurationFingerprint.hash(configuration)
        #expect(hash == ConfigurationFingerprint.hash(configuration))
        var changed = configuration
        changed.pressure.limit = Kilopascals(3499.999)
        #expect(ConfigurationFingerprint.hash(changed) != hash)
        let text = ConfigurationFingerprint.canonicalText(configuration)
        #expect(text.contains("syringe.innerDiameter.rawValue=14.5\n"))
        #expect(text.contains("procedure.anteriorCapacity.fromBody.bodyVolume.rawValue=30000.0\n"))
    }
}
