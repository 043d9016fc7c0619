import ArgumentParser
import Foundation
import InjectorSimulation
import InjectorToolSupport

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the campaign's parameter space for the run nearest to breaking an invariant (issue 12).",
        discussion: """
            Minimises each run's robustness (its smallest normalised margin to an invariant; negative: broken) \
            with the cross-entropy method, or samples the same box at random (--method random) for comparison. \
            The worst runs are written as scenario files (--out-dir) that `injector-sim run` replays. \
            Exit status 1 if a run broke an invariant, 2 for a malformed campaign file, 5 for an output.
            """)

    @Option(help: "Campaign file: the controller, the draws' ranges and the invariants.")
    var file = "simulator/campaigns/default.yaml"
    @Option(help: "cem (cross-entropy method) or random (uniform over the box).") var method = SearchMethod.cem
    @Option(help: "Controller runs per search.") var budget = 200
    @Option(help: "cem: runs per generation (also the batch of --method random).") var population = 20
    @Option(help: "cem: share of a generation the next one is fitted to, in (0, 1].") var eliteFraction = 0.2
    @Option(help: "cem: weight of the elites' fit against the previous generation, in (0, 1].") var smoothing = 0.7
    @Option(help: "Search seed (decimal, quoted or not; default 1): the optimiser's draws and every run's sensor noise.")
    var seed: Seed?
    @Option(help: "Run this many searches, seeds seed, seed+1, …, and print the median and range.") var `repeat` = 1
    @Option(help: "Simulated seconds per run, 10…3600 (default: the campaign file's maxDuration).") var maxDuration: Double?
    @Option(help: "Margins the robustness is the minimum of (comma-separated; default all).") var margins: String?
    @Option(help: "Epidural leak allowed before its margin goes negative, µL (> 0).") var epiduralLeakLimit = 100.0
    @Option(help: "Front past the posterior quarter allowed, share of the depth, in (0, 0.25].") var overshootLimit = 0.10
    @Option(help: "Worst runs to print and to write with --out-dir.") var worst = 3
    @Option(help: "Write the worst runs here as scenario files (worst-1.yaml, …; seed-S-worst-1.yaml with --repeat).")
    var outDir: String?
    @Option(help: "Write every run's margins and point as JSON here.") var json: String?
    @Option(help: "Worker threads (default: all cores).") var jobs = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard budget >= 1 else { throw ValidationError("--budget \(budget): at least 1") }
        guard population >= 2 else { throw ValidationError("--population \(population): at least 2") }
        guard eliteFraction > 0 && eliteFraction <= 1 else { throw ValidationError("--elite-fraction \(eliteFraction): in (0, 1]") }
        guard smoothing > 0 && smoothing <= 1 else { throw ValidationError("--smoothing \(smoothing): in (0, 1]") }
        guard (1...100).contains(`repeat`) else { throw ValidationError("--repeat \(`repeat`): 1 … 100") }
        if let maxDuration, !(10...3_600).contains(maxDuration) {
            throw ValidationError("--max-duration \(maxDuration): 10 … 3600 s")
        }
        guard epiduralLeakLimit > 0 && epiduralLeakLimit.isFinite else {
            throw ValidationError("--epidural-leak-limit \(epiduralLeakLimit): more than 0 µL")
        }
        guard overshootLimit > 0 && overshootLimit <= 0.25 else {
            throw ValidationError("--overshoot-limit \(overshootLimit): in (0, 0.25] (the front cannot pass the wall, 1.0)")
        }
        _ = try countedMargins()
        guard worst >= 0 else { throw ValidationError("--worst \(worst): not negative") }
        guard jobs >= 1 else { throw ValidationError("--jobs \(jobs): at least 1") }
        try checkOutput(json, option: "--json")
        if let outDir, let problem = OutputPath.problem(creatingFolder: outDir, option: "--out-dir") {
            throw ExitCode(failure(.outputFailed, problem))
        }
    }

    func countedMargins() throws -> [MarginKind] {
        guard let margins else { return MarginKind.allCases }
        let names = margins.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let kinds = names.compactMap(MarginKind.init(rawValue:))
        guard kinds.count == names.count, !kinds.isEmpty else {
            let known = MarginKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--margins \(margins): a comma-separated list of \(known)")
        }
        return kinds
    }

    func run() throws {
        var campaign = try loadSpec(file)
        if let maxDuration { campaign.maxDuration = .seconds(maxDuration) }
        let controllerFile: String?
        do { controllerFile = try outDir.map { _ in try SearchScenarioFiles.controllerFile(ofCampaign: file) } } catch {
            throw ExitCode(failure(.badInput, "\(error)"))
        }
        let progress = Progress(total: budget * `repeat`)
        var results: [SearchResult] = []
        for k in 0..<`repeat` {
            var spec = try searchSpec(campaign, seed: (seed?.value ?? 1) &+ UInt64(k))
            spec.method = method
            let done = results.count * budget
            let result = FalsificationSearch.run(spec, jobs: jobs) { progress.show(done + $0) }
            results.append(result)
        }
        progress.finish()
        for result in results {
            print(SearchReport.text(result, campaignFile: file, worst: worst), terminator: "")
            if let outDir, let controllerFile { try writeWorst(result, to: outDir, controllerFile: controllerFile) }
        }
        if `repeat` > 1 { print(SearchReport.comparison(results), terminator: "") }
        if let json { try writeJSON(results.map { SearchReport.Document($0, campaignFile: file) }, to: json) }
        if results.contains(where: { $0.violations > 0 }) { throw ExitCode(1) }
    }

    func searchSpec(_ campaign: InjectorSimulation.CampaignSpec, seed: UInt64) throws -> SearchSpec {
        var spec = SearchSpec(space: SearchSpace(campaign: campaign))
        spec.budget = budget
        spec.seed = seed
        spec.settings.population = population
        spec.settings.eliteFraction = eliteFraction
        spec.settings.smoothing = smoothing
        spec.limits.epiduralLeak = .init(epiduralLeakLimit)
        spec.limits.posteriorOvershoot = overshootLimit
        spec.limits.counted = try countedMargins()
        return spec
    }

    /// The worst runs as scenario files, each checked to read back as the run it was.
    func writeWorst(_ r: SearchResult, to folder: String, controllerFile: String) throws {
        try writeOutput("--out-dir \(folder)") {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        for (rank, e) in r.worst(worst).enumerated() {
            let name = (`repeat` > 1 ? "seed-\(r.spec.seed)-" : "") + "worst-\(rank + 1).yaml"
            let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
            let note = ["Written by `injector-sim search --file \(file) --method \(r.spec.method.rawValue) --seed \(r.spec.seed)`:",
                        "run \(e.index + 1) of \(r.spec.budget), robustness \(e.robustness.value) (\(e.robustness.worst.rawValue)).",
                        "Replay: swift run injector-sim run \(path)"]
            do {
                try SearchScenarioFiles.write(r.spec.scenario(at: e.point, index: e.index), to: path,
                                              controllerFile: controllerFile, note: note)
            } catch let error as ScenarioError {
                throw ExitCode(failure(.outputFailed, "\(error)"))
            } catch {
                throw ExitCode(failure(.outputFailed, "\(path): cannot write: \(error.localizedDescription)"))
            }
            print("written: \(path)")
        }
    }
}

extension SearchMethod: ExpressibleByArgument {}
