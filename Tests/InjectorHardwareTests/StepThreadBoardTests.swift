#if canImport(Glibc)
import Glibc
#endif
import InjectorConfigFile
import InjectorCore
import InjectorFirmware
import InjectorHardware
import InjectorLinks
import InjectorProtocol
import Synchronization
import Testing

@Suite(.serialized) struct StepThreadBoardTests {
    /// The board loop of `FirmwareLoopTests`, priming from the host, then an e-stop:
    /// the STEP rising edges on the fake chip, the position, and the edges after the stop.
    static func primeAndStop(stepThread: StepThread.Options?) throws -> (edges: Int, position: Steps, afterStop: Int) {
        let configuration = try shippedConfiguration()
        let sysfs = TemporaryDirectory()
        defer { sysfs.destroy() }
        let (fake, hardware) = try FakeGPIO.openTestBoard(sysfs: sysfs)
        fake.state.withLock { $0.inputs = [5: .low, 6: .low, 13: .high, 19: .high, 26: .high, 20: .high, 21: .high] }
        let io = BoardIO(hardware: hardware, maxStepsPerTick: 30, stepThread: stepThread)
        #expect((io.startStepThread() != nil) == (stepThread != nil))
        let (firmwareSide, hostSide) = try UnixSocketLink.pair()
        let loop = FirmwareLoop(configuration: configuration, io: io,
                                links: TrafficLinks(shared: FrameChannel(link: firmwareSide)),
                                firmwareVersion: FirmwareVersion(major: 0, minor: 1, patch: 0),
                                telemetryPeriod: .milliseconds(10), logger: FirmwareLoopTests.quiet)
        let peer = HostAndSimulator(link: hostSide, expectedHash: ConfigurationFingerprint.hash(configuration.configuration))
        var now = Instant(nanoseconds: 1_000_000_000)
        var ticks = 0
        func edges() -> Int { fake.state.withLock { $0.setLog.filter { $0.0 == 17 && $0.1 == .high }.count } }
        func step() throws {
            now = now + configuration.configuration.tickRate.period
            ticks += 1
            sysfs.write("iio:device0/in_voltage0_raw", "\(2700 + [-10, 5, 10, -5][ticks % 4])\n")
            try peer.send(at: now)
            loop.tick(at: now)
            // The thread's steps are due in the past of CLOCK_MONOTONIC: they go out at
            // once; waiting for them keeps the run the same from tick to tick.
            for _ in 0..<10_000 where (io.stepThread?.queue.pending ?? 0) > 0 { usleep(50) }
            try peer.receive(at: now)
        }
        peer.host.connect(at: now)
        for _ in 0..<5 { try step() }
        try peer.host.send(.prime, at: now)
        for _ in 0..<300 { try step() }
        #expect(loop.controller.state == .priming)
        fake.state.withLock { $0.inputs[5] = .high }   // e-stop
        try step()
        #expect(loop.controller.state == .eStopped)
        let atStop = edges()
        let position = io.stepPosition
        for _ in 0..<20 { try step() }
        loop.shutDown(at: now)
        return (atStop, position, edges() - atStop)
    }

    @Test func theStepThreadIssuesTheSameStepsAsTheBurst() throws {
        let burst = try Self.primeAndStop(stepThread: nil)
        let threaded = try Self.primeAndStop(stepThread: StepThread.Options(priority: nil, spin: .zero))
        #expect(burst.edges > 100)
        #expect(threaded.edges == burst.edges)
        #expect(threaded.position == burst.position)
        #expect(threaded.position.count == Int64(threaded.edges))
        #expect(burst.afterStop == 0 && threaded.afterStop == 0)
    }
}
