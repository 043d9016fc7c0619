#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import InjectorHardware
import Testing

@Suite struct GPIOTests {
    @Test func realChipOpenFailsWithAClearErrorOnThisMachine() throws {
        // This machine has no GPIO chip: the real libgpiod path must fail, and say why.
        guard GPIOChip.listChips().isEmpty else { return }
        do {
            _ = try GPIOChip.open("gpiochip0")
            Issue.record("opened a chip that does not exist")
        } catch {
            #expect(error.kind == .notFound)
            #expect(error.description.contains("gpiochip0"))
            #expect(error.description.contains("no /dev/gpiochip*"))
            #expect(error.description.contains("--sim-link"))
        }
        // The API the build found matches the library it runs with (1.6.x or 2.x).
        #expect(GPIOCalls.libgpiod.apiVersion() == (GPIOCalls.libraryVersion.hasPrefix("1.") ? 1 : 2))
    }

    @Test func missingChipListsTheChipsThatExist() {
        let dev = TemporaryDirectory()
        defer { dev.destroy() }
        dev.write("gpiochip0", "")
        dev.write("gpiochip1", "")
        let fake = FakeGPIO()
        fake.openFailure = ENOENT
        do {
            _ = try GPIOChip.open("gpiochip4", calls: fake.calls, devDirectory: dev.path)
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .notFound)
            #expect(error.advice.contains("gpiochip0, gpiochip1"))
        }
    }

    @Test func permissionErrorNamesTheGroupAndTheUdevRule() {
        let fake = FakeGPIO()
        fake.openFailure = EACCES
        do {
            _ = try GPIOChip.open("gpiochip0", calls: fake.calls)
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .permissionDenied)
            #expect(error.advice.contains("gpio"))
            #expect(error.advice.contains("hardware/udev/60-injector-gpio.rules"))
        }
    }

    @Test func anUnsupportedChipSaysWhichLibraryRefusedIt() {
        let fake = FakeGPIO()
        fake.api = 2
        fake.openFailure = ENOTSUP
        do {
            _ = try GPIOChip.open("gpiochip0", calls: fake.calls)
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .unsupported)
            #expect(error.advice.contains("libgpiod v2"))
        }
    }

    @Test func busyLineSaysWhoToAsk() throws {
        let fake = FakeGPIO()
        fake.requestFailure = (17, EBUSY)
        let chip = try GPIOChip.open("gpiochip0", calls: fake.calls)
        do {
            _ = try chip.requestOutput(17, role: "STEP", consumer: "t", initial: .low)
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .busy)
            #expect(error.device == "gpiochip0 line 17 (STEP)")
            #expect(error.advice.contains("gpioinfo"))
        }
    }

    @Test func offsetPastTheChipIsAConfigurationError() throws {
        let chip = try GPIOChip.open("gpiochip0", calls: FakeGPIO(lines: 8).calls)
        #expect(throws: HardwareError.self) { _ = try chip.requestInput(8, role: "eStop", consumer: "t", bias: .asIs) }
    }

    @Test func outputIsDrivenToItsDefaultAtRequestAndReleasedOnce() throws {
        let fake = FakeGPIO()
        do {
            let chip = try GPIOChip.open("gpiochip0", calls: fake.calls)
            let line = try chip.requestOutput(22, role: "ENABLE", consumer: "injector", initial: .high)
            #expect(line.lastSet == .high)
            try line.set(.low)
            #expect(fake.state.withLock { $0.levels[22] } == .low)
            line.release()
            line.release()
            #expect(throws: HardwareError.self) { try line.set(.high) }
        }
        let s = fake.state.withLock { $0 }
        #expect(s.requests == [FakeGPIO.Request(offset: 22, consumer: "injector", output: true, initial: .high)])
        #expect(s.released == [22])
        #expect(s.chipClosed)
    }

    @Test func normallyClosedEStopReadsActiveWhenOpenOrCut() {
        let nc = SwitchWiring(contact: .normallyClosed, closedLevel: .low)
        #expect(nc.activation(of: .low) == .inactive)   // contact closed: at rest
        #expect(nc.activation(of: .high) == .active)    // pressed, or the wire cut (pull-up)
        let no = SwitchWiring(contact: .normallyOpen, closedLevel: .low)
        #expect(no.activation(of: .low) == .active)
        #expect(no.activation(of: .high) == .inactive)
        let noHigh = SwitchWiring(contact: .normallyOpen, closedLevel: .high)
        #expect(noHigh.activation(of: .high) == .active)
    }

    @Test func driverEnableAndAlarmFollowTheirPolarity() throws {
        let en = FakeOutputLine("EN")
        try DriverEnableOutput(line: en, polarity: .activeLow).set(.enabled)
        try DriverEnableOutput(line: en, polarity: .activeLow).set(.disabled)
        #expect(en.levels == [.low, .high])
        let buzzer = FakeOutputLine("BUZ")
        let alarm = AlarmOutput(line: buzzer, polarity: .activeHigh, noticePeriod: .seconds(1), noticeOn: .milliseconds(100))
        try alarm.set(.alarm, at: Instant(nanoseconds: 500_000_000))
        try alarm.set(.notice, at: Instant(nanoseconds: 1_050_000_000))
        try alarm.set(.notice, at: Instant(nanoseconds: 1_500_000_000))
        try alarm.set(.off, at: Instant(nanoseconds: 2_000_000_000))
        #expect(buzzer.levels == [.high, .high, .low, .low])
    }
}
