#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import InjectorFirmware
import InjectorHardware
import InjectorProtocol
import Testing

/// A load cell on a second ADC channel as the transducer's twin: the board file names
/// it, the board opens and reads it, the firmware hands it to the controller, and a
/// configuration that counts on a twin the board lacks is refused before any line is
/// requested.
@Suite struct PressureTwinBoardTests {
    static let twinSection = """

        pressureTwin:
          device: iio:device0
          channel: 2
          scale: device
          zeroMillivolts: 0
          kilopascalsPerMillivolt: 1.25
          rawMinimum: -32000
          rawMaximum: 32000
          sampleInterval: 12 ms
        """

    @Test func theTwinChannelIsReadInKilopascalsBesideTheTransducer() throws {
        let sysfs = TemporaryDirectory()
        defer { sysfs.destroy() }
        sysfs.write("iio:device0/in_voltage0_raw", "4000\n")
        sysfs.write("iio:device0/in_voltage0_scale", "0.187500000\n")
        sysfs.write("iio:device0/in_voltage2_raw", "2700\n")
        sysfs.write("iio:device0/in_voltage2_scale", "0.187500000\n")
        let board = try BoardConfigurationFile.parse(yaml: BoardTests.boardYAML + Self.twinSection)
        #expect(board.pressureTwin?.channel == 2)
        let hardware = try BoardHardware.open(board, calls: FakeGPIO().calls, iioRoot: sysfs.path,
                                              backgroundSampling: false)
        defer { hardware.shutDown() }
        let io = BoardIO(hardware: hardware, maxStepsPerTick: 20)
        let sensed = try #require(io.readInputs(at: Instant(nanoseconds: 5)))
        // 4000 × 0.1875 mV = 750 mV → (750 − 500) × 2.5 = 625 kPa; 2700 × 0.1875 = 506.25 mV × 1.25 = 632.8 kPa.
        #expect(sensed.pressure.value == Kilopascals(625))
        let twin = try #require(sensed.pressureTwin)
        #expect(twin.status == .valid && abs(twin.value.rawValue - 632.8125) < 1e-9)
    }

    @Test func aBadTwinSectionIsNamed() {
        let yaml = BoardTests.boardYAML + Self.twinSection.replacingOccurrences("channel: 2", "channel: 99")
        do {
            _ = try BoardConfigurationFile.parse(yaml: yaml)
            Issue.record("expected a problem")
        } catch {
            #expect(error.problems.contains("pressureTwin.channel: 0–63"))
        }
    }

    @Test func aConfigurationCountingOnAMissingSensorIsRefusedAndAnUnusedOneIsWarned() throws {
        let bare = try BoardConfigurationFile.parse(yaml: BoardTests.boardYAML)
        let twinned = try BoardConfigurationFile.parse(yaml: BoardTests.boardYAML + Self.twinSection)
        var c = InjectorConfiguration()
        #expect(SensorFit(c, board: bare) == SensorFit(c, board: bare))
        #expect(SensorFit(c, board: bare).errors.isEmpty && SensorFit(c, board: bare).warnings.isEmpty)
        c.pressureTwinFitted = true
        let missing = SensorFit(c, board: bare)
        #expect(missing.errors == ["pressureTwinFitted is true in the configuration, but the board file has no `pressureTwin` channel"])
        #expect(SensorFit(c, board: twinned).errors.isEmpty)
        c.pressureTwinFitted = false
        let unused = SensorFit(c, board: twinned)
        #expect(unused.errors.isEmpty && unused.warnings.count == 1)
        c.positionSensorFitted = true
        #expect(SensorFit(c, board: bare).errors.first?.hasPrefix("positionSensorFitted is true") == true)
    }
}

@Suite struct SimulatedTwinTests {
    /// Over the simulation link the twin arrives in SimSensors' longer form and reaches
    /// the controller's inputs with the sample's time; without it there is no twin.
    @Test func aSimulatedTwinReachesTheInputs() throws {
        let io = SimulatedIO(port: SimulatorPort(), clock: .simulator, maxStepsPerTick: 20)
        func receive(_ sensors: SimulatedSensors, at now: Instant) {
            io.port.receive(Frame(.simSensors(sensors), sequence: SequenceNumber(0)), at: now)
        }
        receive(SimulatedSensors(sampleTime: Instant(nanoseconds: 7_000_000), pressure: Kilopascals(800),
                                 pressureTwin: Kilopascals(830), pressureTwinStatus: .valid),
                at: Instant(nanoseconds: 7_100_000))
        let twin = try #require(io.readInputs(at: Instant(nanoseconds: 7_100_000))?.pressureTwin)
        #expect(twin == SensorSample(value: Kilopascals(830), sampledAt: Instant(nanoseconds: 7_000_000)))
        receive(SimulatedSensors(sampleTime: Instant(nanoseconds: 8_000_000), pressure: Kilopascals(800)),
                at: Instant(nanoseconds: 8_000_000))
        #expect(io.readInputs(at: Instant(nanoseconds: 8_000_000))?.pressureTwin == nil)
    }
}
