import ArgumentParser
import Foundation
import InjectorSimulation
import InjectorToolSupport

struct Campaign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Thousands of randomised runs over all cores, summarised as rates (with 95 % intervals), strata and distributions.",
        subcommands: [CampaignRunCommand.self, CampaignMergeCommand.self, CampaignCompareCommand.self,
                      CampaignCompareResultsCommand.self],
        defaultSubcommand: CampaignRunCommand.self)
}

/// Options of a campaign run, shared by `campaign run` and `campaign compare`.
struct CampaignRunOptions: ParsableArguments {
    @Option(help: "Number of runs (default: the file's).") var runs: Int?
    @Option(help: "Campaign seed (default: the file's; decimal, quoted or not).") var seed: Seed?
    @Option(help: "Worker threads (default: all cores).") var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Skip the naive pump (halves the work).") var noBaseline = false

    func validate() throws {
        if let runs, runs < 1 { throw ValidationError("--runs \(runs): at least 1") }
        if jobs < 1 { throw ValidationError("--jobs \(jobs): at least 1") }
    }

    func spec(_ file: String) throws -> CampaignSpec {
        var spec = try loadSpec(file)
        if let runs { spec.runs = runs }
        if let seed { spec.seed = seed.value }
        if noBaseline { spec.baseline = false }
        return spec
    }

    /// Runs `shard` of `spec`, with a progress bar on stderr if it is a terminal.
    func run(_ spec: CampaignSpec, shard: CampaignShard, file: String) -> CampaignSummary {
        let progress = Progress(total: shard.runs(of: spec.runs).count)
        let result = CampaignRunner.run(spec, jobs: jobs, shard: shard, progress: progress.show)
        progress.finish()
        return CampaignSummary(result, file: file)
    }
}

struct CampaignRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a campaign (or one shard of it) and print its report.",
        discussion: "Exit status 1 if any run broke an invariant, 2 for a malformed file.")

    @Option(help: "Campaign file.") var file = "simulator/campaigns/default.yaml"
    @OptionGroup var options: CampaignRunOptions
    @Option(help: "Run only shard K of N (K/N, 0 ≤ K < N): runs i with i mod N = K; merge the shards' --json with `campaign merge`.")
    var shard: String?
    @Option(help: "Write the JSON summary (every run's figures; what `merge` and `compare-results` read) here.")
    var json: String?

    func validate() throws {
        if let shard { _ = try parsedShard(shard) }
        try checkOutput(json, option: "--json")
    }

    func run() throws {
        let spec = try options.spec(file)
        let summary = options.run(spec, shard: try shard.map(parsedShard) ?? .whole, file: file)
        print(CampaignReport.render(summary, reproduce: replayCommand(file)), terminator: "")
        if let json { try writeSummary(summary, to: json) }
        if summary.failed > 0 { throw ExitCode(1) }
    }
}

struct CampaignMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the JSON summaries of a campaign's shards and print the whole campaign's report.",
        discussion: "Refuses shards of different campaigns, a shard given twice or missing. Exit status as `campaign run`.")

    @Argument(help: "The shards' JSON summaries (campaign run --shard K/N --json FILE).") var summaries: [String]
    @Option(help: "Write the merged JSON summary here.") var json: String?

    func validate() throws {
        if summaries.isEmpty { throw ValidationError("give the shards' JSON summaries: campaign merge shard-0.json shard-1.json …") }
        try checkOutput(json, option: "--json")
    }

    func run() throws {
        let parts = try summaries.map { (name: $0, summary: try readSummary($0)) }
        let merged: CampaignSummary
        do { merged = try CampaignMerge.merge(parts) } catch let e as CampaignMergeError {
            FileHandle.standardError.write(Data("error: campaign merge: \(e)\n".utf8))
            throw ExitCode(2)
        }
        print(CampaignReport.render(merged, reproduce: replayCommand(merged.campaign.file)), terminator: "")
        if let json { try writeSummary(merged, to: json) }
        if merged.failed > 0 { throw ExitCode(1) }
    }
}

func parsedShard(_ text: String) throws -> CampaignShard {
    do { return try CampaignShard.parse(text) } catch let e as CampaignShardError { throw ValidationError(e.message) }
}

func replayCommand(_ file: String) -> (String) -> String {
    { seed in "swift run injector-sim replay --file \(file) --seed \(seed)" }
}

func writeSummary(_ s: CampaignSummary, to path: String) throws { try writeJSON(s, to: path) }

/// A summary file, or exit 2 with the file and what is wrong with it.
func readSummary(_ path: String) throws -> CampaignSummary {
    do { return try CampaignSummary.decode(Data(contentsOf: URL(fileURLWithPath: path))) } catch {
        throw ExitCode(failure(.badInput, "\(path): not a campaign JSON summary (campaign run --json): \(error)"))
    }
}

/// The progress bar of a long run: redrawn in place (`\r`) on a terminal; nothing at all
/// when stderr is a file or a pipe, where the frames would pile up as garbage.
struct Progress: Sendable {
    let bar: ProgressBar
    let step: Int
    let enabled = Terminal.standardErrorIsTerminal

    init(total: Int) {
        bar = ProgressBar(total: total)
        step = max(1, total / 200)
    }

    func show(_ done: Int) {
        guard enabled, done % step == 0 || done == bar.total else { return }
        FileHandle.standardError.write(Data(bar.line(done: done).utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
