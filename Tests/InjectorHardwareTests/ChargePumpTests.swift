import InjectorCore
import InjectorFirmware
@testable import InjectorHardware
import InjectorLinks
import InjectorProtocol
import Testing

/// The charge pump gets one edge per healthy tick and none otherwise, so the
/// monostable on the driver board times out (and disables the driver in hardware)
/// whenever the loop stops being healthy or stops altogether.
@Suite struct ChargePumpTests {
    static let pumpLine: UInt32 = 25
    static let boardYAML = BoardTests.boardYAML.replacingOccurrences(
        "  buzzer: { line: 23, polarity: activeHigh }\n",
        "  buzzer: { line: 23, polarity: activeHigh }\n  chargePump: { line: 25 }\n")

    /// The pump line's levels as the fake saw them set (after its request at low).
    static func pumpLevels(_ fake: FakeGPIO) -> [PinState] {
        fake.state.withLock { $0.setLog.filter { $0.0 == pumpLine }.map(\.1) }
    }

    @Test func theBoardFileWiresItAndRefusesItOnAUsedLine() throws {
        let board = try BoardConfigurationFile.parse(yaml: Self.boardYAML)
        #expect(board.chargePump == Self.pumpLine)
        let clash = Self.boardYAML.replacingOccurrences("chargePump: { line: 25 }", "chargePump: { line: 22 }")
        do {
            _ = try BoardConfigurationFile.parse(yaml: clash)
            Issue.record("a charge pump on ENABLE's line was accepted")
        } catch {
            #expect(error.problems.contains("outputs.chargePump.line: line 22 is already used by outputs.enable.line"))
        }
    }

    @Test func itIsRequestedLowAfterEnableAndReleasedAtShutdown() throws {
        let fake = FakeGPIO()
        let dir = Self.iio()
        defer { dir.destroy() }
        let board = try BoardConfigurationFile.parse(yaml: Self.boardYAML)
        let hardware = try BoardHardware.open(board, calls: fake.calls, iioRoot: dir.path, backgroundSampling: false)
        let requests = fake.state.withLock { $0.requests }
        #expect(requests.first?.offset == board.enable)
        #expect(requests.first { $0.offset == Self.pumpLine } == FakeGPIO.Request(
            offset: Self.pumpLine, consumer: "injector-test", output: true, initial: .low))
        hardware.shutDown()
        #expect(fake.state.withLock { $0.released.contains(Self.pumpLine) })
    }

    @Test func healthyTicksToggleItAndFailingOutputsStopIt() throws {
        let fake = FakeGPIO()
        let dir = Self.iio()
        defer { dir.destroy() }
        let board = try BoardConfigurationFile.parse(yaml: Self.boardYAML)
        let hardware = try BoardHardware.open(board, calls: fake.calls, iioRoot: dir.path, backgroundSampling: false)
        fake.state.withLock { $0.inputs = [5: .low, 6: .high, 13: .high, 19: .high, 26: .high, 20: .high, 21: .high] }
        let io = BoardIO(hardware: hardware, maxStepsPerTick: 30)
        let loop = FirmwareLoop(configuration: try shippedConfiguration(), io: io,
                                links: TrafficLinks(host: nil, simulation: nil),
                                firmwareVersion: FirmwareVersion(major: 0, minor: 1, patch: 0),
                                telemetryPeriod: .milliseconds(10), logger: FirmwareLoopTests.quiet)
        var runner = FirmwareRunner(timer: TickTimer(period: .milliseconds(1), clock: FakeClock()))
        #expect(runner.run(loop, maxTicks: 50) == .tickLimit)
        let healthy = Self.pumpLevels(fake)
        #expect(healthy.count == 50)
        #expect(zip(healthy, healthy.dropFirst()).allSatisfy { $0 != $1 })   // an edge every tick
        #expect(healthy.first == .high)                                      // the first edge rises from the request's low

        // ENABLE writes fail: no tick is healthy, so the pump goes still.
        fake.state.withLock { $0.failingSets = [board.enable] }
        _ = runner.run(loop, maxTicks: 5)
        #expect(Self.pumpLevels(fake).count == 50)
        #expect(hardware.chargePump?.edges == 50)

        // A stopped loop never beats it again.
        fake.state.withLock { $0.failingSets = [] }
        loop.shutDown(at: Instant(nanoseconds: 1_000_000_000))
        io.tickWasHealthy()
        #expect(Self.pumpLevels(fake).count == 50)
    }

    @Test func aFailedToggleIsCountedAndLeavesTheLevel() {
        let line = FakeOutputLine("pump")
        let pump = ChargePump(line: line)
        pump.beat()
        line.failAfter = 1
        pump.beat()
        line.failAfter = nil
        pump.beat()
        #expect(line.levels == [.high, .low])
        #expect(pump.edges == 2 && pump.failures == 1)
    }

    static func iio() -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        dir.write("iio:device0/in_voltage0_raw", "2700\n")
        dir.write("iio:device0/in_voltage0_scale", "0.1875\n")
        return dir
    }
}
