import Foundation
import Testing

/// `injector-firmware validate` (issue 10, "Commands"): the configuration and board-file
/// checks of `run`, without opening any hardware.
@Suite struct ValidateCommandTests {
    let config = "hardware/configs/lumbar-10ml-11g.yaml"

    @Test(arguments: ["rpi4-drv8825-ads1115.yaml", "rpi4-tmc2209-ads1115-pot.yaml"])
    func theShippedFilesPass(_ board: String) throws {
        let r = try runTool("injector-firmware", ["validate", "--config", config, "--board", "hardware/boards/" + board])
        #expect(r.status == 0)
        #expect(r.stdout.contains("configuration \(config): ok, hash 0x"))
        #expect(r.stdout.contains("board hardware/boards/\(board): ok"))
    }

    /// A board file with a misspelt key and a configuration counting on a sensor it does
    /// not wire: every problem named, exit 2.
    @Test func everyProblemIsNamedAndTheExitIsTwo() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("validate-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let shipped = try String(contentsOf: packageRoot.appendingPathComponent("hardware/boards/rpi4-drv8825-ads1115.yaml"),
                                 encoding: .utf8)
        let badBoard = dir.appendingPathComponent("board.yaml")
        try shipped.replacingOccurrences(of: "faultLevel: low", with: "faultLevl: low").write(to: badBoard, atomically: true, encoding: .utf8)
        let r = try runTool("injector-firmware", ["validate", "--config", config, "--board", badBoard.path])
        #expect(r.status == 2)
        #expect(r.stdout.contains("driverFault.faultLevl: unknown key"))
        #expect(r.stdout.contains("driverFault.faultLevel"))

        let twinConfig = dir.appendingPathComponent("twin.yaml")
        try "extends: \(packageRoot.path)/\(config)\npressureTwinFitted: true\n".write(to: twinConfig, atomically: true, encoding: .utf8)
        let fit = try runTool("injector-firmware", ["validate", "--config", twinConfig.path,
                                                    "--board", "hardware/boards/rpi4-drv8825-ads1115.yaml"])
        #expect(fit.status == 2)
        #expect(fit.stdout.contains("error: pressureTwinFitted is true in the configuration, but the board file has no `pressureTwin` channel"))
    }
}
