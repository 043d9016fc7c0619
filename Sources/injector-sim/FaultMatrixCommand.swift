import ArgumentParser
import Foundation
import InjectorSimulation

struct FaultMatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault-matrix",
        abstract: "Every fault class in every controller state it can occur in, judged on four points (issue 9).")

    @Option(help: "Seeded runs per cell.") var runsPerCell = 50
    @Option(help: "Matrix seed: every run's seed comes from it and the cell.") var seed: UInt64 = 1
    @Option(help: "Campaign file whose controller and draws the runs use.") var file = "simulator/campaigns/default.yaml"
    @Option(help: "Only the cells of these fault classes (comma-separated).") var only: String?
    @Option(help: "Worker threads (default: all cores).") var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Write the counts as JSON to this path.") var json: String?
    @Option(help: "Rerun one run and print what it measured: FAULT/STATE/SEED, as a failure names it.")
    var replay: String?

    func validate() throws {
        try checkOutput(json, option: "--json")
    }

    func run() throws {
        var spec = FaultMatrixSpec()
        spec.campaign = try loadSpec(file)
        if let replay { return try replayOne(replay, spec) }
        spec.runsPerCell = runsPerCell
        spec.seed = seed
        if let only {
            let names = Set(only.split(separator: ",").map(String.init))
            let unknown = names.subtracting(FaultClass.allCases.map(\.rawValue))
            guard unknown.isEmpty else {
                throw ValidationError("unknown fault class \(unknown.sorted()); known: \(FaultClass.allCases.map(\.rawValue))")
            }
            spec.cells = spec.cells.filter { names.contains($0.fault.rawValue) }
        }
        let total = spec.cells.count * spec.runsPerCell
        let progress = Progress(total: total)
        let result = FaultMatrix.run(spec, jobs: jobs, progress: progress.show)
        progress.finish()
        print(FaultMatrixReport.table(result))
        print("")
        print(FaultMatrixReport.notes(result))
        print("")
        print(FaultMatrixReport.totals(result))
        if let path = json {
            let text = FaultMatrixReport.json(result)
            try writeOutput(path) { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        }
        if !result.failedCells.isEmpty { throw ExitCode(1) }
    }
}

extension FaultMatrixCommand {
    func replayOne(_ text: String, _ spec: FaultMatrixSpec) throws {
        let parts = text.split(separator: "/").map(String.init)
        guard parts.count == 3, let fault = FaultClass(rawValue: parts[0]),
              let state = fault.states.first(where: { $0.description == parts[1] }), let seed = UInt64(parts[2]) else {
            throw ValidationError("--replay wants FAULT/STATE/SEED, e.g. stepLineToggling/injecting/123")
        }
        let plan = FaultRunPlan(fault: fault, state: state, seed: seed, campaign: spec.campaign)
        let v = FaultMatrix.run(plan, limits: spec.limits)
        print("\(fault.rawValue) in \(state), seed \(seed): offset \(plan.offset), magnitude \(plan.magnitude)")
        dump(v.observation)
        for p in FaultPoint.allCases { print("(\(p.letter)) \(p.rawValue): \(v.points[p].map { "\($0)" } ?? "-")") }
        if !v.passed { throw ExitCode(1) }
    }
}
