import Foundation
import InjectorCore
import InjectorPlant

/// One cell of the matrix: a fault class in a controller state.
public struct FaultCell: Sendable, Hashable {
    public var fault: FaultClass
    public var state: InjectorState

    /// Every class crossed with every state it can occur in, in table order.
    public static var all: [FaultCell] {
        FaultClass.allCases.flatMap { f in f.states.map { FaultCell(fault: f, state: $0) } }
    }
}

/// A cell's counts: per point, runs passed, failed, not applicable.
public struct FaultCellTally: Sendable {
    public var cell: FaultCell
    public var runs = 0
    /// Runs whose onset never came (not judged).
    public var onsetMissed = 0
    public var firstOnsetMissed: UInt64?
    /// Runs judged latent (not detected, nothing moved forward after the onset).
    public var latent = 0
    public var passed: [FaultPoint: Int] = [:]
    public var failed: [FaultPoint: Int] = [:]
    public var notApplicable: [FaultPoint: Int] = [:]
    /// Onset to stop, over the runs that stopped (ms): median and largest.
    public var reactionMilliseconds: [Double] = []
    /// The most forward travel after a stop, and the most delivered beyond the cap, over the runs.
    public var maxForwardAfterStop = Microliters.zero
    public var maxOverCap = Microliters(rawValue: -.infinity)
    /// The first failing run's seed and why, per point.
    public var firstFailure: [FaultPoint: (seed: UInt64, why: String)] = [:]

    public var failedAny: Bool { failed.values.contains { $0 > 0 } }

    mutating func add(_ v: FaultRunVerdict) {
        runs += 1
        guard !v.onsetMissed else {
            onsetMissed += 1
            if firstOnsetMissed == nil { firstOnsetMissed = v.plan.seed }
            return
        }
        if v.points[.stopped] == .notApplicable(FaultJudge.latentReason) { latent += 1 }
        let o = v.observation
        maxForwardAfterStop = Swift.max(maxForwardAfterStop, o.forwardAfterStop)
        maxOverCap = Swift.max(maxOverCap, o.delivered - Swift.min(o.cap, o.ledgerAtCut ?? o.cap))
        if let stop = v.observation.reactionAt, let onset = v.observation.onsetAt {
            reactionMilliseconds.append((stop - onset).seconds * 1_000)
        }
        for (point, verdict) in v.points {
            switch verdict {
            case .pass: passed[point, default: 0] += 1
            case .notApplicable: notApplicable[point, default: 0] += 1
            case .fail(let why):
                failed[point, default: 0] += 1
                if firstFailure[point] == nil { firstFailure[point] = (v.plan.seed, why) }
            }
        }
    }
}

/// The fault-injection matrix (issue 9): every fault class in every state it can occur
/// in, `runsPerCell` seeded runs each, in lockstep with the real controller.
public struct FaultMatrixSpec: Sendable {
    public var runsPerCell = 50
    public var seed: UInt64 = 1
    public var cells = FaultCell.all
    public var limits = FaultJudgeLimits()
    /// Patient, cement, needle, flow and twin are drawn as this campaign draws them.
    public var campaign = CampaignSpec()
    /// Shorter waits and onsets (`FaultRunPlan.shortened`), for the test suite.
    public var shortened = false

    public init() {}

    /// The seeds of one cell's runs: from the matrix seed and the cell alone, so a cell
    /// runs the same whatever else is in the matrix.
    public func seeds(for cell: FaultCell) -> [UInt64] {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(cell.fault.rawValue)/\(cell.state)".utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        var root = Xoshiro256StarStar(seed: seed ^ h)
        return (0..<runsPerCell).map { _ in root.next() }
    }
}

public struct FaultMatrixResult: Sendable {
    public var spec: FaultMatrixSpec
    public var tallies: [FaultCellTally]
    public var wallSeconds: Double
    public var runs: Int { tallies.reduce(0) { $0 + $1.runs } }
    public var failedCells: [FaultCellTally] { tallies.filter(\.failedAny) }
}

public enum FaultMatrix {
    /// One run, observed and judged. A configuration the controller refuses is a failure
    /// of every point that applies.
    public static func run(_ plan: FaultRunPlan, limits: FaultJudgeLimits) -> FaultRunVerdict {
        do {
            return FaultJudge.judge(plan, try FaultRun.run(plan, limits: limits), limits: limits)
        } catch {
            var v = FaultJudge.judge(plan, FaultRunObservation(), limits: limits)
            for p in FaultPoint.allCases where v.points[p]?.passed != false {
                if case .notApplicable = v.points[p] { continue }
                v.points[p] = .fail("configuration: \(error)")
            }
            v.observation.onsetAt = .origin
            return v
        }
    }

    /// Every cell's runs on `jobs` threads; `progress` gets the number of runs done.
    public static func run(_ spec: FaultMatrixSpec, jobs: Int,
                           progress: (@Sendable (Int) -> Void)? = nil) -> FaultMatrixResult {
        let work = spec.cells.enumerated().flatMap { i, cell in spec.seeds(for: cell).map { (i, cell, $0) } }
        let started = Date()
        let verdicts = WorkerPool.map(count: work.count, jobs: jobs, progress: progress) { k in
            let (_, cell, seed) = work[k]
            let plan = FaultRunPlan(fault: cell.fault, state: cell.state, seed: seed, campaign: spec.campaign,
                                    shortened: spec.shortened)
            return run(plan, limits: spec.limits)
        }
        // Tallied in the work's order, so the first failure named is the same on any run.
        var tallies = spec.cells.map { FaultCellTally(cell: $0) }
        for (k, v) in verdicts.enumerated() { tallies[work[k].0].add(v) }
        return FaultMatrixResult(spec: spec, tallies: tallies, wallSeconds: Date().timeIntervalSince(started))
    }
}
