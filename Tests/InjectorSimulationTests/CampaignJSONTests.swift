import Foundation
import InjectorSimulation
import Testing

/// The campaign JSON carries, as numbers with the unit in the key, every rate,
/// count and distribution the text report prints (issue 11, item 6).
@Suite struct CampaignJSONTests {
    func object(_ s: CampaignSummary) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: try JSONReport.encode(s)) as! [String: Any]
    }

    @Test func theJSONHoldsEveryFigureTheReportPrints() throws {
        var spec = shortCampaign(runs: 6, seed: 5)
        spec.baseline = true
        let summary = CampaignSummary(CampaignRunner.run(spec, jobs: 2), file: "c.yaml")
        let report = CampaignReport.render(summary) { $0 }
        let stats = try #require(try object(summary)["statistics"] as? [String: Any])

        let passing = try #require(stats["passingEveryInvariant"] as? [String: Any])
        #expect(passing["count"] as? Int == summary.passed && passing["runs"] as? Int == 6)
        #expect(report.contains("runs passing every invariant:    \(summary.passed)/6"))

        // Each event's rate for both sides, as printed.
        let events = try #require(stats["events"] as? [String: [String: [String: Any]]])
        #expect(Set(events.keys) == Set(CampaignEvent.all.map(\.key)))
        for e in CampaignEvent.all {
            let c = try #require(events[e.key]?["controller"]?["count"] as? Int)
            let n = try #require(events[e.key]?["naivePump"]?["count"] as? Int)
            #expect(report.contains("controller \(c)/6") && report.contains("naive \(n)/6"))
        }

        // Each distribution, under its unit-bearing key, with the p50 the report prints.
        let dists = try #require(stats["distributions"] as? [String: [String: [String: Any]]])
        #expect(Set(dists.keys) == Set(CampaignStatistics.distributionKeys))
        let delivered = try #require(dists["deliveredUL"]?["controller"]?["p50"] as? Double)
        #expect(report.contains(String(format: "controller: p50 %.1f", delivered)))
        #expect(dists["peakPressureKPa"]?["naivePump"]?["runs"] as? Int == 6)

        // Strata: every group the report lists, with its count of runs.
        let strata = try #require(stats["strata"] as? [[String: Any]])
        #expect(strata.count == summary.statistics.strata.count && strata.count >= 10)
        for s in summary.statistics.strata { #expect(report.contains(s.group)) }
        #expect(stats["leakSuspectedWithoutLeak"] is [String: Any])
        #expect(stats["controllerStopReasons"] is [String: Int])
    }

    @Test func aRateIsItsCountSharePerCentAndInterval() {
        let none = RateFigure(0, of: 1000)
        #expect(none.percent == 0 && none.interval == .oneSidedUpper)
        #expect(abs(none.ci95UpperPercent! - 0.2991) < 0.001)         // 1 − 0.05^(1/1000)
        let all = RateFigure(10, of: 10)
        #expect(all.interval == .oneSidedLower && all.ci95UpperPercent == 100)
        let some = RateFigure(12, of: 1000)
        #expect(some.interval == .wilson && some.percent == 1.2)
        #expect(some.ci95LowerPercent! < 1.2 && some.ci95UpperPercent! > 1.2)
        #expect(RateFigure(0, of: 0).interval == .none && RateFigure(0, of: 0).percent == nil)
    }

    /// A merged campaign's figures are the unsharded campaign's, and a summary of the
    /// old format is refused by name.
    @Test func mergedFiguresAreTheUnshardedOnesAndOldFilesAreRefused() throws {
        let spec = shortCampaign(runs: 4, seed: 9)
        let whole = CampaignSummary(CampaignRunner.run(spec, jobs: 2), file: "c.yaml")
        let parts = try (0..<2).map { k in
            let shard = try #require(CampaignShard(index: k, count: 2))
            let s = CampaignSummary(CampaignRunner.run(spec, jobs: 1, shard: shard), file: "c.yaml")
            return (name: "shard-\(k).json", summary: try CampaignSummary.decode(try JSONReport.encode(s)))
        }
        #expect(try CampaignMerge.merge(parts).statistics == whole.statistics)
        var old = try object(whole)
        old["format"] = "injector-campaign-summary/1"
        old["statistics"] = nil
        let data = try JSONSerialization.data(withJSONObject: old)
        #expect { try CampaignSummary.decode(data) } throws: { "\($0)".contains("format injector-campaign-summary/1") }
    }

    /// Scenario runs' JSON writes seeds as strings too, and a seed above 2^53 survives.
    @Test func scenarioJSONSeedsAreStrings() throws {
        let scenario = try loadScenario("01-nominal.yaml")
        let r = try ScenarioRunner.run(scenario, seed: UInt64.max - 1)
        let text = String(decoding: try JSONReport.encode(JSONReport.document([r])), as: UTF8.self)
        #expect(text.contains("\"seed\" : \"\(UInt64.max - 1)\""))
    }
}
