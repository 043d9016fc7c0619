import InjectorCore
import InjectorPlant
import Testing
@testable import InjectorSimulation

/// The robustness margins (`Robustness.measure`) on a run built by hand, and on real runs
/// against the campaign's own judge.
@Suite struct SearchMarginTests {
    func handBuilt(delivered extra: Double, stopAfter: Interval?) -> (RunOutcome, Scenario, Microliters) {
        var s = Scenario(name: "hand-built")
        s.observer.reactionDelay = .seconds(1)
        let cap = VolumeBudget.cap(for: s.controller).0
        var o = CampaignRunner.notRun()
        o.delivered = cap + Microliters(extra)
        o.peakPressure = s.controller.pressure.limit + Kilopascals(500) - Kilopascals(1_000)
        o.posteriorQuarterAt = .seconds(10)
        o.stopAfterPosteriorQuarter = stopAfter
        o.leaked.epidural = Microliters(25)
        o.front = 0.80
        return (o, s, cap)
    }

    func normalised(_ r: Robustness, _ kind: MarginKind) -> Double? { r.margins.first { $0.kind == kind }?.normalised }

    @Test func eachMarginIsItsLimitLessWhatWasMeasuredOverTheLimit() throws {
        let (o, s, cap) = handBuilt(delivered: 100, stopAfter: .milliseconds(550))
        let r = Robustness.measure(o, scenario: s, campaign: CampaignSpec(), limits: RobustnessLimits())
        let ceiling = (s.controller.pressure.limit + Kilopascals(500)).rawValue
        let capLimit = cap.rawValue + 50
        // The cap and pressure margins in units of their allowance past the controller's limit.
        #expect(try #require(normalised(r, .cap)) == (capLimit - (cap.rawValue + 100)) / 50)
        #expect(try #require(normalised(r, .pressure)) == 1_000.0 / 500)
        // 1 s delay + 100 ms margin allowed, in units of the 100 ms margin.
        #expect(try #require(normalised(r, .stopLatency)) == (1_100.0 - 550) / 100)
        #expect(try #require(normalised(r, .epiduralLeak)) == (100.0 - 25) / 100)
        #expect(abs(try #require(normalised(r, .posteriorOvershoot)) - 0.5) < 1e-12)   // 0.05 of 0.10 used
        #expect(r.worst == .cap && r.violated && r.value == -1)
        #expect(r.margins.first { $0.kind == .pressure }?.limit == ceiling)
    }

    @Test func theRobustnessIsTheSmallestCountedMargin() {
        // Uncounted: the cap (-1) and the overshoot (0.5); counted: pressure 2, stop
        // latency 5.5, epidural 0.75.
        let (o, s, _) = handBuilt(delivered: 100, stopAfter: .milliseconds(550))
        var limits = RobustnessLimits()
        limits.counted = [.pressure, .stopLatency, .epiduralLeak]
        let r = Robustness.measure(o, scenario: s, campaign: CampaignSpec(), limits: limits)
        #expect(r.worst == .epiduralLeak && !r.violated)
        #expect(r.value == 0.75)
        #expect(r.margins.count == MarginKind.allCases.count)   // every margin is still reported
    }

    @Test func neverStoppingCountsAsTwiceTheAllowedTimeAndNoEventAsNoneUsed() {
        let (never, s, _) = handBuilt(delivered: -500, stopAfter: nil)
        let r = Robustness.measure(never, scenario: s, campaign: CampaignSpec(), limits: RobustnessLimits())
        #expect(normalised(r, .stopLatency) == -1_100.0 / 100 && r.worst == .stopLatency)
        #expect(normalised(r, .cap) == 550.0 / 50)   // 500 µL under the cap + 50 µL tolerance
        var calm = never
        calm.posteriorQuarterAt = nil
        let q = Robustness.measure(calm, scenario: s, campaign: CampaignSpec(), limits: RobustnessLimits())
        #expect(normalised(q, .stopLatency) == 1_100.0 / 100)
    }

    /// On real runs the three campaign margins go negative exactly when the campaign's
    /// judge fails the run: invariants tight enough that some runs break them.
    @Test func theCampaignsMarginsBreakExactlyWhenItsJudgeFails() {
        var campaign = shortCampaign(runs: 1)
        campaign.capTolerance = .zero
        campaign.pressureMargin = Kilopascals(-2_700)   // peak ≤ 800 kPa: thick cement breaks it
        var spec = SearchSpec(space: SearchSpace(campaign: campaign))
        spec.limits.counted = [.cap, .pressure, .stopLatency]
        var verdicts: [Bool] = []
        for u in [0.05, 0.35, 0.65, 0.95] {
            let point = SearchPoint((0..<SearchDimension.count).map { i in (u + 0.13 * Double(i)).truncatingRemainder(dividingBy: 1) })
            let scenario = spec.scenario(at: point, index: 0)
            let e = FalsificationSearch.evaluation(spec, point, index: 0)
            let outcome = try! LockstepRunner.controller(scenario).outcome
            let cap = VolumeBudget.cap(for: scenario.controller).0
            let passed = scenario.expectations.allSatisfy { $0.judge(outcome, cap: cap).passed }
            #expect(e.robustness.violated == !passed, "u \(u): robustness \(e.robustness.value)")
            #expect(e.traceHash == outcome.traceHash)
            verdicts.append(passed)
        }
        #expect(verdicts.contains(true) && verdicts.contains(false), "both kinds of run: \(verdicts)")
    }
}
