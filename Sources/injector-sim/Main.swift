#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import InjectorLinks
import InjectorSimulation
import InjectorToolSupport
import Synchronization

@main
struct InjectorSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "injector-sim",
        abstract: "Runs the injection controller against a simulated patient, beside a naive constant-rate pump.",
        version: ToolVersion.text,
        subcommands: [Run.self, Campaign.self, Replay.self, FaultMatrixCommand.self, CalibrateCommand.self, SearchCommand.self, Serve.self],
        defaultSubcommand: Run.self)
}

/// Options shared by the commands that write results.
struct OutputOptions: ParsableArguments {
    @Option(name: .customLong("csv-dir"), help: "Write a CSV time series per run (every 10 ms) into this directory.")
    var csvDirectory: String?
    @Option(help: "Write a JSON summary to this path.")
    var json: String?
    @Option(help: "CSV sampling: keep every n-th 1 ms tick.")
    var csvEvery: Int = 10

    func validate() throws {
        guard csvEvery >= 1 else { throw ValidationError("--csv-every must be at least 1 (got \(csvEvery))") }
        try checkOutput(json, option: "--json")
        if let csvDirectory, let problem = OutputPath.problem(creatingFolder: csvDirectory, option: "--csv-dir") {
            throw ExitCode(failure(.outputFailed, problem))
        }
    }
}

/// Writes an output, or exits 5 with one line naming it (never a Foundation error dump).
func writeOutput(_ what: String, _ write: () throws -> Void) throws {
    do { try write() } catch { throw ExitCode(failure(.outputFailed, "\(what): cannot write: \(error.localizedDescription)")) }
}

func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
    let data = try JSONReport.encode(value)
    try writeOutput(path) { try data.write(to: URL(fileURLWithPath: path)) }
}

/// Exits 5 with one line, before any work, if `path`'s folder cannot take the file.
func checkOutput(_ path: String?, option: String) throws {
    if let path, let problem = OutputPath.problem(writing: path, option: option) {
        throw ExitCode(failure(.outputFailed, problem))
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run scenario files (default: every file in simulator/scenarios) and print the report.")

    @Argument(help: "Scenario YAML files.") var files: [String] = []
    @Option(help: "Directory of the default scenarios.") var scenarios = "simulator/scenarios"
    @Option(help: "Use this seed instead of each scenario's own (decimal, quoted or not, as the JSON writes it).")
    var seed: Seed?
    @OptionGroup var output: OutputOptions
    @Flag(help: "Print only the summary.") var quiet = false

    func run() throws {
        let paths = try files.isEmpty ? ScenarioLibrary.files(in: scenarios) : files
        var results: [ScenarioResult] = []
        for path in paths {
            let scenario: Scenario
            do { scenario = try ScenarioFile.load(path: path) } catch let e as ScenarioError {
                FileHandle.standardError.write(Data("error: \(e)\n".utf8))
                throw ExitCode(2)
            }
            let r = try ScenarioRunner.run(scenario, seed: seed?.value, recordEvery: output.csvDirectory == nil ? 0 : output.csvEvery)
            if !quiet { print(TextReport.render(r)) }
            if let dir = output.csvDirectory { try writeOutput("--csv-dir \(dir)") { try CSVWriter.write(r, to: dir) } }
            results.append(r)
        }
        print(TextReport.summary(results), terminator: "")
        if let path = output.json { try writeJSON(JSONReport.document(results), to: path) }
        if !results.allSatisfy(\.passed) { throw ExitCode(1) }
    }
}

func loadSpec(_ path: String) throws -> CampaignSpec {
    do { return try CampaignSpec.load(path: path) } catch let e as ScenarioError {
        FileHandle.standardError.write(Data("error: \(e)\n".utf8))
        throw ExitCode(2)
    }
}

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rerun one campaign run from its seed, with the full report (and CSV/JSON if asked).")

    @Option(help: "Campaign file the run came from.") var file = "simulator/campaigns/default.yaml"
    @Option(help: "The run's seed, as the campaign printed it or its JSON holds it (a decimal string).") var seed: Seed
    @OptionGroup var output: OutputOptions

    func run() throws {
        let spec = try loadSpec(file)
        let scenario = spec.scenario(runSeed: seed.value)
        let r = try ScenarioRunner.run(scenario, recordEvery: output.csvDirectory == nil ? 0 : output.csvEvery)
        print(TextReport.render(r))
        if let dir = output.csvDirectory { try writeOutput("--csv-dir \(dir)") { try CSVWriter.write(r, to: dir) } }
        if let path = output.json { try writeJSON(JSONReport.document([r]), to: path) }
        if !r.passed { throw ExitCode(1) }
    }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hardware in the loop: serve the plant to a firmware in real time over SimSensors/SimActuators.",
        discussion: """
            Creates a pty (its device path is printed as `sim-link /dev/pts/N`) or opens --port, and every 1 ms \
            advances the scenario's plant with the firmware's latest SimActuators and sends SimSensors. \
            Run the firmware against it: `injector-firmware --config … --sim-link /dev/pts/N`. \
            With --drive-procedure the scripted host refuses a firmware whose configuration hash is not the \
            scenario's (exit 4, both hashes in the message) unless --adopt-firmware-configuration is given. \
            SIGINT ends the session and prints the summary.
            """)

    @Option(help: "Scenario file: patient, plant, operator pedal, observer, faults.")
    var scenario = "simulator/scenarios/01-nominal.yaml"
    @Option(help: "A real serial port instead of a new pty (e.g. /dev/ttyUSB0).") var port: String?
    @Option(help: "Baud rate for --port.") var baud = 115_200
    @Flag(help: "Drive the procedure with a scripted operator console (HostEndpoint): mix, prime, arm, start, finish.")
    var driveProcedure = false
    @Option(help: "With --drive-procedure: the host protocol on a second link ('pty' creates one, or a device path) instead of the sim link.")
    var hostLink: String?
    @Option(help: "With --drive-procedure: the configuration hash to require (hex, as `injector-firmware config-hash` prints); default: the hash of the scenario's controller configuration.")
    var configHash: String?
    @Flag(help: "With --drive-procedure: command a firmware whatever configuration hash it reports (logged with both hashes) instead of refusing it.")
    var adoptFirmwareConfiguration = false
    @Option(help: "Stop after this many seconds of wall time.") var seconds: Double?
    @Option(help: "Begin this many seconds before the scenario's scheduled start (default: its prime lead + 2 s).")
    var lead: Double?
    @Option(help: "Report the firmware silent after this many ms without SimActuators.") var staleMs = 100.0
    @Option(help: "Send SimSensors every n-th 1 ms tick (a 115200-baud port carries about 350 frames/s).")
    var sensorEvery = 1
    @Option(help: "Use this seed instead of the scenario's (sensor noise).") var seed: Seed?

    func validate() throws {
        guard sensorEvery >= 1 else { throw ValidationError("--sensor-every: at least 1") }
        guard staleMs > 0 else { throw ValidationError("--stale-ms: positive") }
        if hostLink != nil && !driveProcedure { throw ValidationError("--host-link is for --drive-procedure") }
        if let configHash, parseHash(configHash) == nil { throw ValidationError("--config-hash: a 64-bit hex number") }
        if adoptFirmwareConfiguration && configHash != nil {
            throw ValidationError("--adopt-firmware-configuration and --config-hash: give one of them")
        }
        if (adoptFirmwareConfiguration || configHash != nil) && !driveProcedure {
            throw ValidationError("--adopt-firmware-configuration and --config-hash are for --drive-procedure")
        }
        if let lead, lead < 0 { throw ValidationError("--lead: not negative") }
    }

    func run() throws {
        let scenario: Scenario
        do { scenario = try ScenarioFile.load(path: self.scenario) } catch let e as ScenarioError {
            FileHandle.standardError.write(Data("error: \(e)\n".utf8))
            throw ExitCode(2)
        }
        let simLink = try openServeLink(port ?? "pty", role: "sim")
        if port != nil {
            // SimSensors are 32 bytes on the wire; 10 bits a byte at 8N1.
            let needed = 32.0 * 1000 / Double(sensorEvery) * 10
            if needed > Double(baud) {
                note("warning: SimSensors every \(sensorEvery) ms need \(Int(needed)) baud, more than \(baud); use --sensor-every \(Int((32.0 * 1000 * 10 / Double(baud)).rounded(.up)))")
            }
        }
        let hostLink = try self.hostLink.map { try openServeLink($0, role: "host") }
        let options = HILOptions(
            lead: lead.map { .seconds($0) }, duration: seconds.map { .seconds($0) },
            staleAfter: .milliseconds(staleMs), sensorEvery: sensorEvery, driveProcedure: driveProcedure,
            configuration: configurationCheck, seed: seed?.value)
        let server = HILServer(scenario: scenario, simLink: simLink, hostLink: hostLink, options: options) { line in
            note(line)
        }
        installServeSignalHandlers()
        let summary = server.run { serveStop.load(ordering: .relaxed) != 0 }
        print(summary.text)
        switch summary.ending {
        case .linkFailed: throw ExitCode(3)
        case .firmwareRefused(let mismatch):
            var hint = ""
            if case .configurationHash = mismatch { hint = " (or serve with --adopt-firmware-configuration)" }
            note("error: \(mismatch)\(hint)")
            throw ExitCode(4)
        default: break
        }
    }

    private var configurationCheck: ConfigurationCheck {
        if adoptFirmwareConfiguration { return .adoptFirmware }
        return configHash.flatMap(parseHash).map { .hash($0) } ?? .scenario
    }

    /// "pty" creates a pseudo-terminal and prints its device path for the firmware;
    /// a /dev/pts path opens that terminal; anything else is a serial port.
    private func openServeLink(_ spec: String, role: String) throws -> any ByteLink {
        do {
            if spec == "pty" {
                let pty = try PseudoTerminalLink.create()
                print("\(role)-link \(pty.devicePath)")
                fflush(nil)
                return pty
            }
            if spec.hasPrefix("/dev/pts/") { return try PseudoTerminalLink.open(path: spec) }
            return try SerialPortLink(name: spec, baudRate: baud)
        } catch {
            note("error: \(role) link: \(error)")
            throw ExitCode(3)
        }
    }
}

private func parseHash(_ text: String) -> UInt64? {
    let digits = text.hasPrefix("0x") || text.hasPrefix("0X") ? String(text.dropFirst(2)) : text
    return UInt64(digits, radix: 16)
}

/// One log line on stderr, led by the wall-clock time to the ms (the summary and the
/// link path go to stdout).
private func note(_ line: String) { logLine(line) }

/// Set by SIGINT/SIGTERM; the serve loop checks it every tick and prints the summary.
let serveStop = Atomic<Int32>(0)

private func installServeSignalHandlers() {
    for signal in [SIGINT, SIGTERM] {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { sig in serveStop.store(sig, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        if sigaction(signal, &action, nil) != 0 { perror("sigaction") }
    }
}

/// A 64-bit seed on the command line: decimal, as the reports print it, and also with
/// the quotes a JSON string keeps (`"18446744073709551615"`), so that a seed copied
/// from a JSON summary replays exactly that run.
struct Seed: ExpressibleByArgument, Sendable {
    let value: UInt64

    init?(argument: String) {
        var text = Substring(argument)
        if text.count >= 2 && text.first == "\"" && text.last == "\"" { text = text.dropFirst().dropLast() }
        guard let v = UInt64(text) else { return nil }
        value = v
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
