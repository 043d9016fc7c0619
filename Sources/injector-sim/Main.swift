import ArgumentParser
import Foundation
import InjectorSimulation

@main
struct InjectorSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "injector-sim",
        abstract: "Runs the injection controller against a simulated patient, beside a naive constant-rate pump.",
        subcommands: [Run.self, Campaign.self, Replay.self, Serve.self],
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
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run scenario files (default: every file in simulator/scenarios) and print the report.")

    @Argument(help: "Scenario YAML files.") var files: [String] = []
    @Option(help: "Directory of the default scenarios.") var scenarios = "simulator/scenarios"
    @Option(help: "Use this seed instead of each scenario's own.") var seed: UInt64?
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
            let r = try ScenarioRunner.run(scenario, seed: seed, recordEvery: output.csvDirectory == nil ? 0 : output.csvEvery)
            if !quiet { print(TextReport.render(r)) }
            if let dir = output.csvDirectory { try CSVWriter.write(r, to: dir) }
            results.append(r)
        }
        print(TextReport.summary(results), terminator: "")
        if let path = output.json {
            try JSONReport.encode(JSONReport.document(results)).write(to: URL(fileURLWithPath: path))
        }
        if !results.allSatisfy(\.passed) { throw ExitCode(1) }
    }
}

struct Campaign: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Thousands of randomised runs over all cores.")
    func run() throws { throw ValidationError("not yet") }
}

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Rerun one campaign run from its seed.")
    func run() throws { throw ValidationError("not yet") }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Hardware in the loop.")
    func run() throws { throw ValidationError("not yet") }
}
