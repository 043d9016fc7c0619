import InjectorCore
import InjectorPlant

/// One expectation judged on both runs.
public struct JudgedExpectation: Sendable {
    public var expectation: Expectation
    /// The controller's verdict: this is what passes or fails the scenario.
    public var controller: Verdict
    /// The naive pump's verdict, for harm expectations only.
    public var baseline: Verdict?
}

/// A scenario run with the controller and with the naive pump, and judged.
public struct ScenarioResult: Sendable {
    public var name: String
    public var description: String
    public var seed: UInt64
    public var cap: Microliters
    public var controller: RunRecord
    public var baseline: RunRecord
    public var judged: [JudgedExpectation]

    public var passed: Bool { judged.allSatisfy(\.controller.passed) }
    public var failures: [JudgedExpectation] { judged.filter { !$0.controller.passed } }
}

public enum ScenarioRunner {
    /// Runs both injectors on the scenario (the same plant, people and seed) and judges
    /// every expectation.
    public static func run(_ scenario: Scenario, seed: UInt64? = nil, recordEvery: Int = 0) throws -> ScenarioResult {
        let cap = VolumeBudget.cap(for: scenario.controller).0
        let controlled = try LockstepRunner.controller(scenario, seed: seed, recordEvery: recordEvery)
        let naive = LockstepRunner.baseline(scenario, seed: seed, recordEvery: recordEvery)
        var judged: [JudgedExpectation] = []
        for e in scenario.expectations where e != .baselineFails {
            judged.append(JudgedExpectation(
                expectation: e, controller: e.judge(controlled.outcome, cap: cap),
                baseline: e.isHarm ? e.judge(naive.outcome, cap: cap) : nil))
        }
        if scenario.expectations.contains(.baselineFails) {
            let broken = judged.filter { $0.baseline.map { !$0.passed } ?? false }
            let verdict = Verdict(expectation: .baselineFails, passed: !broken.isEmpty,
                                  measured: broken.isEmpty ? "the naive pump met every harm expectation"
                                      : "naive pump breaks: " + broken.map(\.expectation.summary).joined(separator: "; "))
            judged.append(JudgedExpectation(expectation: .baselineFails, controller: verdict, baseline: nil))
        }
        return ScenarioResult(name: scenario.name, description: scenario.description, seed: seed ?? scenario.seed,
                              cap: cap, controller: controlled, baseline: naive, judged: judged)
    }
}
