#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import InjectorHardware
import Testing

/// The repository root (hardware/boards lives there).
let repositoryRoot: String = {
    var path = #filePath
    for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
    return path
}()

@Suite struct BoardTests {
    static let boardYAML = """
        name: test board
        gpio:
          label: fake-chip
          chip: gpiochip0
          lineNames: GPIO<n>
          consumer: injector-test
        outputs:
          step: { line: 17 }
          direction: { line: 27, forwardLevel: high }
          enable: { line: 22, polarity: activeLow }
          buzzer: { line: 23, polarity: activeHigh }
        stepPulse:
          minimumWidth: 2 µs
        inputs:
          eStop: { line: 5, contact: normallyClosed, closedLevel: low, bias: pullUp }
          enable: { line: 6, contact: normallyOpen, closedLevel: low, bias: pullUp }
          posteriorQuarterStop: { line: 13, contact: normallyOpen, closedLevel: low }
          leakSeenStop: { line: 19, contact: normallyOpen, closedLevel: low }
          forwardEndOfTravel: { line: 26, contact: normallyOpen, closedLevel: low }
          rearEndOfTravel: { line: 20, contact: normallyOpen, closedLevel: low }
          localReset: { line: 21, contact: normallyOpen, closedLevel: low }
        pressure:
          device: iio:device0
          channel: 0
          scale: device
          zeroMillivolts: 500
          kilopascalsPerMillivolt: 2.5
          rawMinimum: -32000
          rawMaximum: 32000
        """

    @Test func shippedBoardFilesLoad() throws {
        for name in ["rpi4-drv8825-ads1115.yaml", "rpi4-tmc2209-ads1115-pot.yaml",
                     "rpi5-drv8825-ads1115.yaml", "rpi5-tmc2209-ads1115-pot.yaml"] {
            let board = try BoardConfigurationFile.load(path: "\(repositoryRoot)/hardware/boards/\(name)")
            #expect(board.inputs[.eStop]?.wiring.contact == .normallyClosed)
            #expect(board.enablePolarity == .activeLow)
        }
    }

    @Test func unknownKeysAndUnsafeWiringAreRejectedTogether() {
        var yaml = Self.boardYAML.replacingOccurrences("enable: { line: 22, polarity: activeLow }",
                                                         "enable: { line: 22, polarty: activeLow }")
        yaml = yaml.replacingOccurrences("eStop: { line: 5, contact: normallyClosed",
                                         "eStop: { line: 5, contact: normallyOpen")
        yaml += "\nextra: 1\n"
        do {
            _ = try BoardConfigurationFile.parse(yaml: yaml)
            Issue.record("expected problems")
        } catch {
            let text = error.problems.joined(separator: "\n")
            #expect(text.contains("outputs.enable.polarty: unknown key"))
            #expect(text.contains("extra: unknown key"))
        }
        // Wiring checks run once the keys are right.
        let unsafe = Self.boardYAML.replacingOccurrences("eStop: { line: 5, contact: normallyClosed",
                                                         "eStop: { line: 5, contact: normallyOpen")
            .replacingOccurrences("leakSeenStop: { line: 19", "leakSeenStop: { line: 13")
        do {
            _ = try BoardConfigurationFile.parse(yaml: unsafe)
            Issue.record("expected problems")
        } catch {
            let text = error.problems.joined(separator: "\n")
            #expect(text.contains("inputs.eStop.contact: must be normallyClosed"))
            #expect(text.contains("inputs.leakSeenStop.line: line 13 is already used by inputs.posteriorQuarterStop.line"))
        }
    }

    @Test func openingRequestsEnableFirstAtDisabledAndShutDownReleasesEverything() throws {
        let sysfs = TemporaryDirectory()
        defer { sysfs.destroy() }
        sysfs.write("iio:device0/in_voltage0_raw", "4000\n")
        sysfs.write("iio:device0/in_voltage0_scale", "0.187500000\n")
        let fake = FakeGPIO()
        let board = try BoardConfigurationFile.parse(yaml: Self.boardYAML)
        let hardware = try BoardHardware.open(board, calls: fake.calls, iioRoot: sysfs.path, backgroundSampling: false)
        let requests = fake.state.withLock { $0.requests }
        #expect(requests.first == FakeGPIO.Request(offset: 22, consumer: "injector-test", output: true, initial: .high))
        #expect(requests.count == 4 + 7)
        #expect(requests.first { $0.offset == 5 }?.bias == .pullUp)

        // E-stop wire intact (low) and pedal pressed (low): inactive / active.
        fake.state.withLock { $0.inputs = [5: .low, 6: .low, 13: .high, 19: .high, 26: .high, 20: .high, 21: .high] }
        var switches = hardware.switches.read()
        #expect(switches.eStop == .inactive && switches.enable == .active && switches.leakSeenStop == .inactive)
        // Cut e-stop wire: the pull-up reads high → active. A failed read of a stop input → active.
        fake.state.withLock { $0.inputs[5] = .high; $0.failingReads = [19, 6] }
        switches = hardware.switches.read()
        #expect(switches.eStop == .active)
        #expect(switches.leakSeenStop == .active)
        #expect(switches.enable == .inactive)
        #expect(hardware.switches.readFailures == 2)

        // 4000 counts × 0.1875 mV = 750 mV → (750 − 500) × 2.5 = 625 kPa.
        let p = hardware.pressure.sample(at: Instant(nanoseconds: 5))
        #expect(p.status == .valid && p.value == Kilopascals(625))

        try hardware.driver.set(.enabled)
        #expect(fake.state.withLock { $0.levels[22] } == .low)
        hardware.shutDown()
        let s = fake.state.withLock { $0 }
        #expect(s.levels[22] == .high)
        #expect(Set(s.released) == Set([22, 17, 27, 23, 5, 6, 13, 19, 26, 20, 21]))
    }

    @Test func aFailedRequestReleasesWhatWasAlreadyRequested() throws {
        let fake = FakeGPIO()
        fake.requestFailure = (5, EBUSY)
        let board = try BoardConfigurationFile.parse(yaml: Self.boardYAML)
        #expect(throws: HardwareError.self) { _ = try BoardHardware.open(board, calls: fake.calls, backgroundSampling: false) }
        let released = Set(fake.state.withLock { $0.released })
        #expect(released == Set([22, 17, 27, 23]))
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
