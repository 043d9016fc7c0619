import ArgumentParser
import Foundation
import InjectorSimulation

struct CampaignCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run two campaign files on the same seeds and compare every rate (B − A, paired 95 % interval).",
        discussion: "Both run with A's seed and run count unless --seed/--runs are given; the draws are each file's own.")

    @Option(help: "Campaign file A (the reference).") var a: String
    @Option(help: "Campaign file B.") var b: String
    @OptionGroup var options: CampaignRunOptions
    @Option(help: "Write A's JSON summary here.") var jsonA: String?
    @Option(help: "Write B's JSON summary here.") var jsonB: String?

    func validate() throws {
        try checkOutput(jsonA, option: "--json-a")
        try checkOutput(jsonB, option: "--json-b")
    }

    func run() throws {
        let specA = try options.spec(a)
        var specB = try options.spec(b)
        // The same seeds for both: A's unless given.
        specB.seed = specA.seed
        specB.runs = specA.runs
        let summaryA = options.run(specA, shard: .whole, file: a)
        let summaryB = options.run(specB, shard: .whole, file: b)
        if let jsonA { try writeSummary(summaryA, to: jsonA) }
        if let jsonB { try writeSummary(summaryB, to: jsonB) }
        print(try CampaignComparison.render(summaryA, summaryB, labelA: a, labelB: b), terminator: "")
    }
}

struct CampaignCompareResultsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare-results",
        abstract: "Compare two campaign JSON summaries of the same seeds (e.g. two builds' `campaign --json`).")

    @Argument(help: "A's JSON summary (the reference).") var a: String
    @Argument(help: "B's JSON summary.") var b: String

    func run() throws {
        let summaryA = try readSummary(a), summaryB = try readSummary(b)
        do {
            print(try CampaignComparison.render(summaryA, summaryB, labelA: a, labelB: b), terminator: "")
        } catch let e as CampaignMergeError {
            FileHandle.standardError.write(Data("error: campaign compare-results: \(e)\n".utf8))
            throw ExitCode(2)
        }
    }
}
