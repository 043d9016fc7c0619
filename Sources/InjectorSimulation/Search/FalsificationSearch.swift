import Foundation
import InjectorCore

/// Which optimiser a search uses.
public enum SearchMethod: String, CaseIterable, Codable, Sendable {
    /// The cross-entropy method (`BoxMinimiser.crossEntropy`).
    case cem
    /// Uniform random points of the box: a campaign's sampling, for comparison.
    case random
}

/// What a falsification search runs: the campaign's space and invariants, the search's
/// own limits, the optimiser and its budget.
public struct SearchSpec: Sendable {
    public var space: SearchSpace
    public var limits = RobustnessLimits()
    public var method = SearchMethod.cem
    /// Controller runs in all.
    public var budget = 200
    public var settings = CrossEntropySettings()
    /// Seeds the optimiser's draws and every run's sensor noise (each run's scenario seed).
    public var seed: UInt64 = 1

    public init(space: SearchSpace) { self.space = space }

    /// The scenario of the `index`-th evaluation at `point`.
    public func scenario(at point: SearchPoint, index: Int) -> Scenario {
        space.scenario(at: point, seed: seed, name: "search-\(method.rawValue)-\(seed)-\(index + 1)")
    }
}

/// One controller run of a search.
public struct SearchEvaluation: Sendable {
    /// Its place in the search's order (0-based).
    public var index: Int
    public var point: SearchPoint
    public var robustness: Robustness
    /// The controller refused its configuration and never ran: robustness −1, as a
    /// campaign counts such a run a failure.
    public var refusal: String?
    public var traceHash: UInt64
}

/// A finished search: every evaluation in order.
public struct SearchResult: Sendable {
    public var spec: SearchSpec
    public var evaluations: [SearchEvaluation]
    public var wallSeconds: Double

    /// The `count` lowest robustness values, lowest first (ties by order).
    public func worst(_ count: Int) -> [SearchEvaluation] {
        Array(evaluations.sorted { ($0.robustness.value, $0.index) < ($1.robustness.value, $1.index) }.prefix(count))
    }

    /// Runs until the first violation (1-based), if any.
    public var runsToFirstViolation: Int? { evaluations.firstIndex { $0.robustness.violated }.map { $0 + 1 } }
    public var violations: Int { evaluations.filter { $0.robustness.violated }.count }
}

public enum FalsificationSearch {
    /// Runs `spec`: each generation (or batch of random points) over `jobs` threads of
    /// the campaign's worker pool; the optimiser's draws stay on this thread, so the
    /// result does not depend on `jobs`.
    public static func run(_ spec: SearchSpec, jobs: Int, progress: (@Sendable (Int) -> Void)? = nil) -> SearchResult {
        let started = Date()
        var evaluations: [SearchEvaluation] = []
        func evaluate(_ batch: [[Double]]) -> [Double] {
            let first = evaluations.count
            var shown: (@Sendable (Int) -> Void)?
            if let progress { shown = { @Sendable n in progress(first + n) } }
            let results = WorkerPool.map(count: batch.count, jobs: jobs, progress: shown) { i in
                evaluation(spec, SearchPoint(batch[i]), index: first + i)
            }
            evaluations += results
            return results.map(\.robustness.value)
        }
        let n = SearchDimension.count
        switch spec.method {
        case .cem:
            _ = BoxMinimiser.crossEntropy(dimensions: n, budget: spec.budget, settings: spec.settings, seed: spec.seed,
                                          evaluate: evaluate)
        case .random:
            _ = BoxMinimiser.random(dimensions: n, budget: spec.budget, batch: spec.settings.population,
                                    seed: spec.seed, evaluate: evaluate)
        }
        return SearchResult(spec: spec, evaluations: evaluations, wallSeconds: Date().timeIntervalSince(started))
    }

    /// One controller run at `point`, measured.
    public static func evaluation(_ spec: SearchSpec, _ point: SearchPoint, index: Int) -> SearchEvaluation {
        let scenario = spec.scenario(at: point, index: index)
        do {
            let outcome = try LockstepRunner.controller(scenario).outcome
            let r = Robustness.measure(outcome, scenario: scenario, campaign: spec.space.campaign, limits: spec.limits)
            return SearchEvaluation(index: index, point: point, robustness: r, refusal: nil, traceHash: outcome.traceHash)
        } catch {
            let none = Robustness.measure(CampaignRunner.notRun(), scenario: scenario, campaign: spec.space.campaign,
                                          limits: spec.limits)
            return SearchEvaluation(index: index, point: point,
                                    robustness: Robustness(margins: none.margins, value: -1, worst: none.worst),
                                    refusal: "\(error)", traceHash: 0)
        }
    }
}
