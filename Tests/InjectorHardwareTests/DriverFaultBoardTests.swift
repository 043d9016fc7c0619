#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import InjectorHardware
import Testing

/// The stepper driver's fault or stall output in the board file and on its line
/// (issue 9 finding 5; issue 10 "fail-safe wiring").
@Suite struct DriverFaultBoardTests {
    static let yaml = BoardTests.boardYAML + "\ndriverFault: { line: 24, faultLevel: low, bias: pullUp }\n"

    @Test func theShippedBoardsWireIt() throws {
        let drv = try BoardConfigurationFile.load(path: "\(repositoryRoot)/hardware/boards/rpi4-drv8825-ads1115.yaml")
        #expect(drv.driverFault == InputSpec(line: 24, wiring: SwitchWiring(contact: .normallyOpen, closedLevel: .low),
                                             bias: .pullUp))
        let tmc = try BoardConfigurationFile.load(path: "\(repositoryRoot)/hardware/boards/rpi4-tmc2209-ads1115-pot.yaml")
        #expect(tmc.driverFault?.wiring.closedLevel == .high)
    }

    @Test func itsLevelIsRequiredAndItsLineMustBeFree() {
        let noLevel = BoardTests.boardYAML + "\ndriverFault: { line: 24 }\n"
        #expect(problems(noLevel).contains { $0.contains("driverFault.faultLevel") })
        let taken = BoardTests.boardYAML + "\ndriverFault: { line: 17, faultLevel: high }\n"
        #expect(problems(taken).contains { $0.contains("driverFault.line: line 17 is already used by outputs.step.line") })
    }

    @Test func itIsRequestedAsAnInputAndAFailedReadIsAFault() throws {
        let sysfs = TemporaryDirectory()
        defer { sysfs.destroy() }
        sysfs.write("iio:device0/in_voltage0_raw", "4000\n")
        sysfs.write("iio:device0/in_voltage0_scale", "0.187500000\n")
        let fake = FakeGPIO()
        let board = try BoardConfigurationFile.parse(yaml: Self.yaml)
        let hardware = try BoardHardware.open(board, calls: fake.calls, iioRoot: sysfs.path, backgroundSampling: false)
        let requests = fake.state.withLock { $0.requests }
        #expect(requests.count == 4 + 7 + 1)
        #expect(requests.last?.offset == 24 && requests.last?.output == false && requests.last?.bias == .pullUp)
        let fault = try #require(hardware.driverFault)
        fake.state.withLock { $0.inputs[24] = .high }
        #expect(fault.read().0 == .inactive)
        fake.state.withLock { $0.inputs[24] = .low }
        #expect(fault.read().0 == .active)
        fake.state.withLock { $0.inputs[24] = .high; $0.failingReads = [24] }
        #expect(fault.read() == (.active, failed: true))
        hardware.shutDown()
        #expect(fake.state.withLock { $0.released }.contains(24))
    }

    private func problems(_ yaml: String) -> [String] {
        do {
            _ = try BoardConfigurationFile.parse(yaml: yaml)
            return []
        } catch {
            return error.problems
        }
    }
}
