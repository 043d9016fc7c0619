import InjectorCore
import Testing
@testable import InjectorSimulation

/// Strata and the paired comparison of two configurations on the same seeds.
@Suite struct CampaignComparisonTests {
    func spec(runs: Int) -> CampaignSpec { shortCampaign(runs: runs) }

    /// B breaks an invariant in every run (peak ≤ 100 kPa: priming alone exceeds it).
    @Test func aConfigurationThatFailsEveryRunShowsAsTheDifference() throws {
        let s = spec(runs: 4)
        var broken = s
        broken.pressureMargin = Kilopascals(-3_400)
        let a = CampaignSummary(CampaignRunner.run(s, jobs: 2), file: "a.yaml")
        let b = CampaignSummary(CampaignRunner.run(broken, jobs: 2), file: "b.yaml")
        let passingA = a.records.filter(\.passed).count
        #expect(b.failed == 4)
        let text = try CampaignComparison.render(a, b, labelA: "a.yaml", labelB: "b.yaml")
        #expect(text.contains("Comparison on 4 paired runs"))
        #expect(text.contains("    B      0/4 (0 %; ≤ 52.7 % at 95 %, one-sided)"))
        #expect(text.contains("B only 0, A only \(passingA) of 4 runs"))
        // Against itself every difference is nought and no run is discordant.
        let same = try CampaignComparison.render(a, a, labelA: "a", labelB: "a")
        #expect(!same.contains("B only 1") && !same.contains("A only 1") && same.contains("B − A  ±0 points"))
    }

    @Test func runsOfOtherSeedsAreNotCompared() throws {
        let a = CampaignSummary(CampaignRunner.run(spec(runs: 2), jobs: 1), file: "a")
        var other = spec(runs: 2)
        other.seed = 12
        let b = CampaignSummary(CampaignRunner.run(other, jobs: 1), file: "b")
        #expect(throws: CampaignMergeError.self) { _ = try CampaignComparison.pairs(a, b) }
        #expect(throws: CampaignMergeError.self) {
            _ = try CampaignComparison.pairs(a, CampaignSummary(CampaignRunner.run(spec(runs: 1), jobs: 1), file: "b"))
        }
    }

    /// Every stratum splits the runs: each run falls in exactly one group of it, and
    /// the bins of a draw's range take its ends and their edges as the report says.
    @Test func everyRunFallsInOneGroupOfEachStratum() throws {
        let s = spec(runs: 60)
        let header = CampaignHeader(s, file: "c")
        let draws = s.runSeeds().map { CampaignDraws(s.scenario(runSeed: $0)) }
        for (title, groups) in CampaignStrata.strata(header) {
            for d in draws { #expect(groups.filter { $0.member(d) }.count == 1, "\(title)") }
            #expect(groups.allSatisfy { g in draws.contains { g.member($0) } }, "\(title): an empty group in 60 runs")
        }
        var d = try #require(draws.first)
        let age = try #require(CampaignStrata.strata(header).first { $0.title.hasPrefix("cement age") }).groups
        #expect(age.map(\.label) == ["240–340 s", "340–440 s", "440–540 s"])
        for (x, bin) in [(240.0, 0), (339.9, 0), (340.0, 1), (540.0, 2)] {
            d.cementAgeAtStartS = x
            #expect(age.firstIndex { $0.member(d) } == bin, "\(x) s")
        }
    }

    @Test func theReportListsEachStratumWithItsCount() throws {
        var s = spec(runs: 3)
        s.pressureTwinShare = 1
        let text = CampaignReport.render(CampaignRunner.run(s, jobs: 2)) { "replay --seed \($0)" }
        #expect(text.contains("load cell fitted            3/3"))
        #expect(text.contains("transducer alone            —"))
    }
}
