import Foundation
import InjectorCore
import InjectorPlant

/// What a campaign keeps of one run: the figures its summary is built from.
public struct CampaignRun: Sendable {
    public var index: Int
    public var seed: UInt64
    public var passed: Bool
    /// The broken expectations, in words.
    public var failures: [String]
    public var controller: RunOutcome
    public var baseline: RunOutcome?
    public var ticks: Int
    /// What the report's strata are cut by.
    public var draws: CampaignDraws
    /// Whether this run's controller had a pressure twin fitted.
    public var pressureTwinFitted: Bool { draws.pressureTwinFitted }
}

/// The drawn figures a campaign's strata are cut by, read back from a run's scenario.
public struct CampaignDraws: Codable, Equatable, Sendable {
    public var pressureTwinFitted: Bool
    /// Cement age when injection is due: the cement's consistency rises with it
    /// (`CementRheology`), so it stands for the viscosity the run injected.
    public var cementAgeAtStartS: Double
    public var observerDelayS: Double
    public var needle13G: Bool
    public var tipPosition: Double
    public var highViscosity: Bool

    init(_ s: Scenario) {
        pressureTwinFitted = s.controller.pressureTwinFitted
        cementAgeAtStartS = s.operatorPolicy.startAge.seconds
        observerDelayS = s.observer.reactionDelay.seconds
        needle13G = s.plant.needle.bore == CampaignSpec.gauge13Bore
        tipPosition = s.plant.body.front.tipPosition
        highViscosity = s.plant.cement.yieldStress.rawValue > 0
    }
}

/// A campaign's result: every run's figures, summarised on request.
public struct CampaignResult: Sendable {
    public var spec: CampaignSpec
    /// The part of the campaign these runs are (`.whole` unless sharded).
    public var shard = CampaignShard.whole
    public var runs: [CampaignRun]
    public var wallSeconds: Double
    public var failures: [CampaignRun] { runs.filter { !$0.passed } }
}

public enum CampaignRunner {
    /// A worker's stack: 4 MiB, room for a run's value types (the controller alone is
    /// 1.8 kB) and a debug build's larger frames; the size campaigns have run with.
    static let workerStackBytes = 1 << 22

    /// Runs one campaign run by its seed (also what `replay` does).
    public static func run(_ spec: CampaignSpec, index: Int, seed: UInt64) -> CampaignRun {
        let scenario = spec.scenario(runSeed: seed)
        let cap = VolumeBudget.cap(for: scenario.controller).0
        let controlled: RunOutcome
        let naive: RunOutcome?
        do { controlled = try LockstepRunner.controller(scenario).outcome } catch {
            // The controller refused its configuration and never ran: its field says so
            // (nothing delivered, no ticks), and the naive pump's run, if asked for, is
            // kept where it belongs.
            naive = spec.baseline ? LockstepRunner.baseline(scenario).outcome : nil
            return CampaignRun(index: index, seed: seed, passed: false, failures: ["configuration: \(error)"],
                               controller: notRun(), baseline: naive, ticks: naive?.ticks ?? 0,
                               draws: CampaignDraws(scenario))
        }
        naive = spec.baseline ? LockstepRunner.baseline(scenario).outcome : nil
        let failed = scenario.expectations.map { $0.judge(controlled, cap: cap) }.filter { !$0.passed }
        return CampaignRun(index: index, seed: seed, passed: failed.isEmpty,
                           failures: failed.map { "\($0.expectation.summary): \($0.measured)" },
                           controller: controlled, baseline: naive, ticks: controlled.ticks + (naive?.ticks ?? 0),
                           draws: CampaignDraws(scenario))
    }

    /// The controller's outcome when it never ran: nothing delivered, no ticks, no state.
    static func notRun() -> RunOutcome {
        RunOutcome(kind: .controller, delivered: .zero, intoBody: .zero, leaked: LeakPaths(vein: .zero, epidural: .zero, needleTract: .zero, disc: .zero),
                   peakPressure: .zero, finalPressure: .zero, front: 0, posteriorQuarterAt: nil, firstLeakAt: nil,
                   firstLeakPath: nil, faultAt: nil, stopAfterPosteriorQuarter: nil, stopAfterLeak: nil,
                   stopAfterFault: nil, injectionStartedAt: nil, injectionEndedAt: nil, finalState: nil,
                   finalReason: .none, stopReasons: [], estimatedDelivered: nil, resumes: 0, ticks: 0, traceHash: 0,
                   canalTemperaturePeak: Celsius(37))  // body temperature: nothing warmed the canal
    }

    /// Runs every run of the campaign's `shard` on `jobs` threads. `progress` is called
    /// (from a worker, under a lock) with the number of runs done.
    public static func run(_ spec: CampaignSpec, jobs: Int, shard: CampaignShard = .whole,
                           progress: (@Sendable (Int) -> Void)? = nil) -> CampaignResult {
        let seeds = spec.runSeeds()
        let indices = shard.runs(of: seeds.count)
        let started = Date()
        let runs = WorkerPool.map(count: indices.count, jobs: jobs, progress: progress) { i in
            run(spec, index: indices[i], seed: seeds[indices[i]])
        }
        return CampaignResult(spec: spec, shard: shard, runs: runs, wallSeconds: Date().timeIntervalSince(started))
    }
}

/// A text bar on one terminal line: `[#####.....] 512/1000 (51 %) 3.2 s`.
public struct ProgressBar: Sendable {
    public let total: Int
    public let started = Date()
    public init(total: Int) { self.total = total }

    public func line(done: Int) -> String {
        let width = 30
        let filled = total > 0 ? done * width / total : width
        let elapsed = Date().timeIntervalSince(started)
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        return "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] \(done)/\(total) (\(total > 0 ? done * 100 / total : 100) %) "
            + String(format: "%.1f s, %.0f s left  ", elapsed, eta)
    }
}
