import ArgumentParser
import InjectorConfigFile
import InjectorCore
import InjectorFirmware
import InjectorHardware

/// `validate`: the checks `run` makes before it touches hardware, and nothing else. A
/// bench engineer runs it on a laptop before copying files to the board.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check an injector configuration and, with --board, a board file against it; no hardware is opened.",
        discussion: """
            Prints every problem with its key and allowed range, then the configuration hash a host \
            should expect. Exit 0: both usable (warnings are printed); 2: a problem in either.
            """)
    @Option(help: "Injector configuration (YAML).") var config: String
    @Option(help: "Board file (YAML), checked on its own and against the configuration.") var board: String?

    func run() throws {
        var failed = false
        var configuration: InjectorConfiguration?
        do {
            let validated = try ConfigurationFile.load(path: config)
            configuration = validated.configuration
            print("configuration \(config): ok, hash 0x" + String(ConfigurationFingerprint.hash(validated.configuration), radix: 16))
        } catch {
            print("configuration \(error)")
            failed = true
        }
        if let board {
            failed = !check(board: board, against: configuration) || failed
        }
        if failed { throw ExitCode(2) }
    }

    /// Prints the board file's problems, or its fit with the configuration; `false` on an error.
    private func check(board: String, against configuration: InjectorConfiguration?) -> Bool {
        let boardConfiguration: BoardConfiguration
        do { boardConfiguration = try BoardConfigurationFile.load(path: board) } catch {
            print("board \(error)")
            return false
        }
        print("board \(board): ok (\(boardConfiguration.name); \(boardConfiguration.chip), line names \(boardConfiguration.lineNames), "
              + "\(boardConfiguration.wiredSwitches.count) switches\(boardConfiguration.driverFault == nil ? "" : ", driver fault line"))")
        guard let configuration else { return true }
        let fit = SensorFit(configuration, board: boardConfiguration)
        for w in fit.warnings { print("warning: \(w)") }
        for e in fit.errors { print("error: \(e)") }
        return fit.errors.isEmpty
    }
}
