import ArgumentParser
import Foundation
import InjectorSimulation

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "The patient-level calibration figures (viscosity relative risk, epidural rate) on a campaign's patients.")

    @Option(help: "Patients (each run with both cements).") var runs = 2000
    @Option(help: "Campaign file whose patients and draws are used.") var file = "simulator/campaigns/default.yaml"
    @Option(help: "Campaign seed (default: the file's).") var seed: UInt64?
    @Option(help: "Plant step in ms.") var tickMs = 1.0
    @Option(help: "Worker threads (default: all cores).") var jobs = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        var spec = try loadSpec(file)
        if let seed { spec.seed = seed }
        guard tickMs > 0 && tickMs <= 50 else { throw ValidationError("--tick-ms: \(tickMs) is not allowed; allowed: 0 … 50") }
        guard runs >= 1 && runs <= spec.runs * 1000 else { throw ValidationError("--runs: \(runs) is not allowed; allowed: 1 … \(spec.runs * 1000)") }
        spec.runs = max(spec.runs, runs)
        let started = Date()
        let c = CohortCalibration(spec, runs: runs, jobs: jobs, tickMilliseconds: tickMs)
        print(c.report)
        print(String(format: "  (%.1f s wall, seed %llu)", Date().timeIntervalSince(started), spec.seed))
    }
}
