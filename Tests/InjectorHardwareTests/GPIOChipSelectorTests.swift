#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
@testable import InjectorHardware
import Testing

/// The chip found by its label, not its number, and the kernel's line names checked:
/// the Pi 5 kernels before 6.6.45, where gpiochip0 is the SoC's 32-line bank and the
/// header is gpiochip4 [pinctrl-rp1], are the case this guards.
@Suite struct GPIOChipSelectorTests {
    /// A /dev with `fake.chipLabels` as empty files, so `listChips` sees them.
    static func devices(_ fake: FakeGPIO) -> TemporaryDirectory {
        let dev = TemporaryDirectory()
        for chip in fake.chipLabels { dev.write(chip.name, "") }
        return dev
    }

    static func oldPi5Kernel() -> FakeGPIO {
        let fake = FakeGPIO()
        fake.chipLabels = [("gpiochip0", "gpio-brcmstb@107d508500"), ("gpiochip1", "gpio-brcmstb@107d508700"),
                           ("gpiochip2", "gpio-brcmstb@107d517c00"), ("gpiochip3", "gpio-brcmstb@107d517c20"),
                           ("gpiochip4", "pinctrl-rp1")]
        return fake
    }

    @Test func findsTheChipByItsLabelWhateverItsNumber() throws {
        let fake = Self.oldPi5Kernel()
        let dev = Self.devices(fake)
        defer { dev.destroy() }
        let chip = try GPIOChip.open(GPIOChipSelector(label: "pinctrl-rp1"), calls: fake.calls, devDirectory: dev.path)
        #expect(chip.name == "gpiochip4")
        #expect(chip.label == "pinctrl-rp1")
        // Every chip was opened by its path to read its label.
        #expect(fake.opened.withLock { $0 } == (0...4).map { "\(dev.path)/gpiochip\($0)" })
    }

    @Test func aNamedChipWithAnotherLabelIsRefusedNamingBoth() {
        let fake = Self.oldPi5Kernel()
        let dev = Self.devices(fake)
        defer { dev.destroy() }
        do {
            _ = try GPIOChip.open(GPIOChipSelector(label: "pinctrl-rp1", chip: "gpiochip0"), calls: fake.calls,
                                  devDirectory: dev.path)
            Issue.record("gpiochip0 [gpio-brcmstb@107d508500] was accepted for pinctrl-rp1")
        } catch {
            #expect(error.kind == .configuration)
            #expect(error.detail.contains("\"gpio-brcmstb@107d508500\""))
            #expect(error.detail.contains("\"pinctrl-rp1\""))
            #expect(error.advice.contains("gpiochip4 [pinctrl-rp1]"))
        }
    }

    @Test func aNamedChipWithItsLabelOpens() throws {
        let fake = Self.oldPi5Kernel()
        let dev = Self.devices(fake)
        defer { dev.destroy() }
        let chip = try GPIOChip.open(GPIOChipSelector(label: "pinctrl-rp1", chip: "gpiochip4"), calls: fake.calls,
                                     devDirectory: dev.path)
        #expect(chip.name == "gpiochip4")
    }

    @Test func noChipWithTheLabelListsEveryChipWithItsLabel() {
        let fake = Self.oldPi5Kernel()
        let dev = Self.devices(fake)
        defer { dev.destroy() }
        do {
            _ = try GPIOChip.open(GPIOChipSelector(label: "pinctrl-bcm2711"), calls: fake.calls, devDirectory: dev.path)
            Issue.record("a Pi 4 board file opened a chip on a Pi 5")
        } catch {
            #expect(error.kind == .configuration)
            #expect(error.device == "gpio.label \"pinctrl-bcm2711\"")
            #expect(error.advice.contains("gpiochip0 [gpio-brcmstb@107d508500], gpiochip1"))
            #expect(error.advice.contains("gpiochip4 [pinctrl-rp1]"))
        }
    }

    @Test func twoChipsWithTheLabelAreAmbiguous() {
        let fake = FakeGPIO()
        fake.chipLabels = [("gpiochip0", "mcp23017"), ("gpiochip1", "mcp23017")]
        let dev = Self.devices(fake)
        defer { dev.destroy() }
        do {
            _ = try GPIOChip.open(GPIOChipSelector(label: "mcp23017"), calls: fake.calls, devDirectory: dev.path)
            Issue.record("an ambiguous label was accepted")
        } catch {
            #expect(error.detail.contains("2 chips carry this label: gpiochip0, gpiochip1"))
            #expect(error.advice.contains("gpio.chip"))
        }
    }

    @Test func noChipsAtAllSaysThereIsNoGPIOController() {
        let fake = FakeGPIO()
        let dev = TemporaryDirectory()
        defer { dev.destroy() }
        do {
            _ = try GPIOChip.open(GPIOChipSelector(label: "pinctrl-rp1"), calls: fake.calls, devDirectory: dev.path)
            Issue.record("opened a chip in an empty /dev")
        } catch {
            #expect(error.kind == .notFound)
            #expect(error.advice.contains("no \(dev.path)/gpiochip*"))
        }
    }

    @Test func chipsThatCannotBeOpenedGiveThePermissionAdvice() {
        let fake = Self.oldPi5Kernel()
        fake.openFailure = EACCES
        let dev = Self.devices(fake)
        defer { dev.destroy() }
        do {
            _ = try GPIOChip.open(GPIOChipSelector(label: "pinctrl-rp1"), calls: fake.calls, devDirectory: dev.path)
            Issue.record("opened a chip it may not open")
        } catch {
            #expect(error.advice.contains("gpio"))
            #expect(error.advice.contains("60-injector-gpio.rules"))
        }
    }

    // MARK: Line names

    @Test func lineNameRulesReadAndRefuse() {
        #expect(LineNameRule("GPIO<n>") == .pattern(prefix: "GPIO", suffix: ""))
        #expect(LineNameRule("P<n>_A") == .pattern(prefix: "P", suffix: "_A"))
        #expect(LineNameRule("unchecked") == .unchecked)
        #expect(LineNameRule("GPIO") == nil)
        #expect(LineNameRule("<n>") == nil)
        #expect(LineNameRule("<n><n>") == nil)
        #expect(LineNameRule("GPIO<n>")?.expectedName(17) == "GPIO17")
    }

    @Test func boardLinesOnTheRightChipPassTheNameCheck() throws {
        let board = try BoardConfigurationFile.parse(yaml: BoardTests.boardYAML)
        let lines = try BoardLines.open(board, calls: FakeGPIO().calls)
        defer { lines.release(disabling: board.enablePolarity) }
        #expect(lines.nameCheck.matched == 11)
        #expect(lines.nameCheck.mismatches.isEmpty)
    }

    @Test func misnamedLinesAreRefusedBeforeAnyRequest() throws {
        let board = try BoardConfigurationFile.parse(yaml: BoardTests.boardYAML)
        let fake = FakeGPIO()
        // Header pin numbers for BCM 17 and 27 (pins 11 and 13) on a chip that names its lines.
        fake.lineNames = [17: "GPIO18", 27: "GPIO26"]
        do {
            _ = try BoardLines.open(board, calls: fake.calls)
            Issue.record("misnamed lines were requested")
        } catch {
            #expect(error.kind == .configuration)
            #expect(error.detail.contains("line 17 (STEP) is \"GPIO18\", not \"GPIO17\""))
            #expect(error.detail.contains("line 27 (DIR) is \"GPIO26\", not \"GPIO27\""))
        }
        #expect(fake.state.withLock { $0.requests.isEmpty })
    }

    @Test func unnamedLinesAreCountedNotRefused() throws {
        let board = try BoardConfigurationFile.parse(yaml: BoardTests.boardYAML)
        let fake = FakeGPIO()
        fake.lineNames = [5: "", 6: ""]
        let lines = try BoardLines.open(board, calls: fake.calls)
        defer { lines.release(disabling: board.enablePolarity) }
        #expect(lines.nameCheck.matched == 9)
        #expect(lines.nameCheck.unnamed == 2)
        #expect(lines.nameCheck.description.contains("2 unnamed by the kernel"))
    }

    @Test func uncheckedNamesSkipTheCheck() throws {
        let yaml = BoardTests.boardYAML.replacingOccurrences("lineNames: GPIO<n>", "lineNames: unchecked")
        let board = try BoardConfigurationFile.parse(yaml: yaml)
        let fake = FakeGPIO()
        fake.lineNames = [17: "SOMETHING"]
        let lines = try BoardLines.open(board, calls: fake.calls)
        defer { lines.release(disabling: board.enablePolarity) }
        #expect(lines.nameCheck.matched == 0)
    }

    @Test func aBoardFileWithoutLabelOrLineNamesIsRefusedNamingBoth() {
        var yaml = BoardTests.boardYAML.replacingOccurrences("  label: fake-chip\n", "")
        yaml = yaml.replacingOccurrences("  lineNames: GPIO<n>\n", "")
        do {
            _ = try BoardConfigurationFile.parse(yaml: yaml)
            Issue.record("accepted a board file with neither gpio.label nor gpio.lineNames")
        } catch {
            #expect(error.problems.contains { $0.contains("gpio.label") && $0.contains("missing") })
            #expect(error.problems.contains { $0.contains("gpio.lineNames") && $0.contains("missing") })
        }
        let bad = BoardTests.boardYAML.replacingOccurrences("lineNames: GPIO<n>", "lineNames: BCM")
        do {
            _ = try BoardConfigurationFile.parse(yaml: bad)
            Issue.record("accepted lineNames without <n>")
        } catch {
            #expect(error.problems.contains { $0.contains("gpio.lineNames") && $0.contains("\"BCM\"") })
        }
    }
}
