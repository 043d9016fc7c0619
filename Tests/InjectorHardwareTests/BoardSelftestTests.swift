import InjectorCore
import InjectorFirmware
@testable import InjectorHardware
import Testing

/// The selftest reads everything, toggles an output only on `y`, and never drives
/// ENABLE to "enabled" unless the enable question is answered with exactly `yes`.
@Suite struct BoardSelftestTests {
    final class Terminal {
        var answers: [String?]
        var questions: [String] = []
        var lines: [String] = []
        init(_ answers: [String?]) { self.answers = answers }
    }

    static func selftest(_ terminal: Terminal) -> BoardSelftest {
        BoardSelftest(toggles: 2, holdSeconds: 0.01, enableSeconds: 0.1,
                      ask: { q in
                          terminal.questions.append(q)
                          return terminal.answers.isEmpty ? nil : terminal.answers.removeFirst()
                      },
                      say: { terminal.lines.append($0) }, pause: { _ in }, now: { Instant(nanoseconds: 1_000_000) })
    }

    static func open(_ fake: FakeGPIO, _ dir: TemporaryDirectory) throws -> BoardHardware {
        let board = try BoardConfigurationFile.parse(yaml: ChargePumpTests.boardYAML)
        return try BoardHardware.open(board, calls: fake.calls, iioRoot: dir.path, backgroundSampling: false)
    }

    /// The levels ENABLE (line 22, active low) was set to after its request.
    static func enableLevels(_ fake: FakeGPIO) -> [PinState] {
        fake.state.withLock { $0.setLog.filter { $0.0 == 22 }.map(\.1) }
    }

    @Test func endOfInputReadsEverythingAndMovesNothing() throws {
        let fake = FakeGPIO()
        let dir = ChargePumpTests.iio()
        defer { dir.destroy() }
        let hardware = try Self.open(fake, dir)
        defer { hardware.shutDown() }
        let terminal = Terminal([])
        let report = Self.selftest(terminal).run(hardware)
        // 7 switches + driver fault? (none in this board) + the pressure sensor.
        #expect(terminal.lines.filter { $0.hasPrefix("input ") }.count == 7)
        #expect(terminal.lines.contains { $0.hasPrefix("sensor pressure") && $0.contains("valid") })
        #expect(terminal.questions.count == 5)   // STEP, DIR, BUZZER, CHARGE_PUMP, ENABLE
        #expect(fake.state.withLock { $0.setLog.isEmpty })
        #expect(report == SelftestReport(checks: 8, failures: 0, toggled: 0, driverEnabled: false))
        #expect(terminal.lines.last == "selftest: 8 checks, 0 failed, 0 outputs toggled, driver never enabled")
    }

    @Test func aConfirmedOutputTogglesAndReturnsToItsLevel() throws {
        let fake = FakeGPIO()
        let dir = ChargePumpTests.iio()
        defer { dir.destroy() }
        let hardware = try Self.open(fake, dir)
        defer { hardware.shutDown() }
        let report = Self.selftest(Terminal(["y", "n", "", "no"])).run(hardware)
        let step = fake.state.withLock { $0.setLog.filter { $0.0 == 17 }.map(\.1) }
        #expect(step == [.high, .low, .high, .low])
        #expect(fake.state.withLock { $0.setLog.allSatisfy { $0.0 == 17 } })
        #expect(report.toggled == 1 && !report.driverEnabled)
    }

    @Test func onlyATypedYesEnablesTheDriverAndItEndsDisabled() throws {
        let fake = FakeGPIO()
        let dir = ChargePumpTests.iio()
        defer { dir.destroy() }
        let hardware = try Self.open(fake, dir)
        defer { hardware.shutDown() }
        let report = Self.selftest(Terminal(["n", "n", "n", "n", " YES "])).run(hardware)
        #expect(Self.enableLevels(fake) == [.low, .high])      // enabled, then disabled again
        #expect(report.driverEnabled)
        // The gate needs the charge pump running while the driver is enabled: 100 edges in 0.1 s.
        #expect(hardware.chargePump?.edges == 100)
    }

    /// Any answers at all, as long as the last question is not answered `yes`: ENABLE
    /// is never driven to "enabled". Every word at every position (169 runs).
    @Test func noAnswerButYesEverEnablesTheDriver() throws {
        let words: [String?] = ["y", "n", "", "Y", "ye", "yes please", "yess", "no", "1", "true", nil, "ok", "enable"]
        let dir = ChargePumpTests.iio()
        defer { dir.destroy() }
        for k in words.indices {
            for last in words.indices {
                let fake = FakeGPIO()
                let hardware = try Self.open(fake, dir)
                let answers = (0..<4).map { words[(k + $0) % words.count] } + [words[last]]
                let report = Self.selftest(Terminal(answers)).run(hardware)
                hardware.shutDown()
                #expect(!Self.enableLevels(fake).contains(.low), "answers \(answers)")
                #expect(!report.driverEnabled)
            }
        }
    }
}
