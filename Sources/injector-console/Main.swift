import ArgumentParser
import InjectorConfigFile
import InjectorConsole
import InjectorCore
import InjectorLinks
import InjectorToolSupport

@main
struct InjectorConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "injector-console",
        abstract: "Drive the injector by hand: a web dashboard on localhost or a full-screen terminal view.",
        discussion: """
            Both faces run one session: identify the firmware, refuse it unless it runs the configuration \
            given with --config (its hash), heartbeat, and send commands with confirmations. See docs/console.md.
            """,
        version: ToolVersion.text,
        subcommands: [Terminal.self, Web.self],
        defaultSubcommand: Terminal.self)
}

/// What both faces need: the link and the configuration the firmware must be running.
struct SessionOptions: ParsableArguments {
    @Option(help: "The firmware's host link: a serial port, a /dev/pts/N path (e.g. an injector-router client), or unix:/path.")
    var link: String
    @Option(help: "The injector configuration (YAML) the firmware must run; its hash is checked on identify.")
    var config: String
    @Option(help: "Baud rate for a real serial port.") var baud = 115_200

    /// The session and the thread that serves its link; exits 2 on a bad configuration.
    func startDriver() throws -> ConsoleDriver {
        let validated: ValidatedConfiguration
        do { validated = try ConfigurationFile.load(path: config) } catch {
            printError("injector-console: configuration \(config): \(error)")
            throw ExitCode(2)
        }
        let spec = link, baud = self.baud
        let driver = ConsoleDriver(session: ConsoleSession(configuration: validated.configuration)) {
            () throws(LinkError) in try openLink(spec, baudRate: baud)
        }
        startThread { driver.run() }
        return driver
    }
}
