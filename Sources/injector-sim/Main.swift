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
    static let configuration = CommandConfiguration(
        abstract: "Thousands of randomised runs over all cores, summarised as rates and distributions.")

    @Option(help: "Campaign file.") var file = "simulator/campaigns/default.yaml"
    @Option(help: "Number of runs (default: the file's).") var runs: Int?
    @Option(help: "Campaign seed (default: the file's).") var seed: UInt64?
    @Option(help: "Worker threads (default: all cores).") var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Skip the naive pump (halves the work).") var noBaseline = false
    @Option(help: "Write a JSON summary here (failing runs; --json-all for every run).") var json: String?
    @Flag(help: "Put every run in the JSON summary.") var jsonAll = false

    func run() throws {
        var spec = try loadSpec(file)
        if let runs { spec.runs = runs }
        if let seed { spec.seed = seed }
        if noBaseline { spec.baseline = false }
        let bar = ProgressBar(total: spec.runs)
        let step = max(1, spec.runs / 200)
        let total = spec.runs
        let result = CampaignRunner.run(spec, jobs: jobs) { done in
            if done % step == 0 || done == total { FileHandle.standardError.write(Data(bar.line(done: done).utf8)) }
        }
        FileHandle.standardError.write(Data("\n".utf8))
        let file = self.file
        print(CampaignReport.render(result) { seed in
            "swift run injector-sim replay --file \(file) --seed \(seed)"
        }, terminator: "")
        if let path = json {
            try JSONReport.encode(CampaignReport.json(result, includeAll: jsonAll)).write(to: URL(fileURLWithPath: path))
        }
        if !result.failures.isEmpty { throw ExitCode(1) }
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
    @Option(help: "The run's seed, as the campaign printed it.") var seed: UInt64
    @OptionGroup var output: OutputOptions

    func run() throws {
        let spec = try loadSpec(file)
        let scenario = spec.scenario(runSeed: seed)
        let r = try ScenarioRunner.run(scenario, recordEvery: output.csvDirectory == nil ? 0 : output.csvEvery)
        print(TextReport.render(r))
        if let dir = output.csvDirectory { try CSVWriter.write(r, to: dir) }
        if let path = output.json { try JSONReport.encode(JSONReport.document([r])).write(to: URL(fileURLWithPath: path)) }
        if !r.passed { throw ExitCode(1) }
    }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hardware in the loop over SimSensors/SimActuators (not implemented yet).")
    func run() throws {
        FileHandle.standardError.write(Data("injector-sim serve: hardware-in-the-loop is not implemented yet (see docs/simulator.md, \"Not done\")\n".utf8))
        throw ExitCode(3)
    }
}
