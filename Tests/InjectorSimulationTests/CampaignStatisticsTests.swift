import Foundation
import Testing
@testable import InjectorSimulation

/// The campaign report's intervals, against values published for them.
@Suite struct CampaignStatisticsTests {
    func near(_ x: Double, _ y: Double, _ tolerance: Double) -> Bool { abs(x - y) <= tolerance }

    @Test func theNormalQuantileIsRightToDoublePrecision() {
        // Published quantiles (e.g. NIST/SEMATECH e-Handbook, Abramowitz & Stegun 26.2).
        #expect(near(NormalQuantile.quantile(0.975), 1.959963984540054, 1e-13))
        #expect(near(NormalQuantile.quantile(0.95), 1.6448536269514722, 1e-13))
        #expect(near(NormalQuantile.quantile(0.995), 2.5758293035489004, 1e-13))
        #expect(near(NormalQuantile.quantile(1e-6), -4.753424308822899, 1e-10))
        #expect(NormalQuantile.quantile(0.5) == 0)
        for p in [0.001, 0.02, 0.3, 0.49] {
            #expect(near(NormalQuantile.quantile(p), -NormalQuantile.quantile(1 - p), 1e-12))
        }
        #expect(near(NormalQuantile.twoSided(0.95), 1.959963984540054, 1e-13))
    }

    /// Newcombe (1998), Statistics in Medicine 17:857, table II, method 3 (Wilson score,
    /// no continuity correction), to the 4 decimals printed there.
    @Test(arguments: [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
                      (1, 29, 0.0061, 0.1718), (0, 10, 0.0, 0.2775), (5, 10, 0.2366, 0.7634)])
    func wilsonMatchesPublishedIntervals(_ k: Int, _ n: Int, _ low: Double, _ high: Double) throws {
        let ci = try #require(Proportion(k, of: n).wilson())
        #expect(near(ci.lowerBound, low, 5e-5), "\(k)/\(n) lower \(ci.lowerBound)")
        #expect(near(ci.upperBound, high, 5e-5), "\(k)/\(n) upper \(ci.upperBound)")
    }

    @Test func wilsonIsMirrorSymmetricAndNarrowsWithMoreRuns() throws {
        let a = try #require(Proportion(3, of: 40).wilson()), b = try #require(Proportion(37, of: 40).wilson())
        #expect(near(a.lowerBound, 1 - b.upperBound, 1e-15) && near(a.upperBound, 1 - b.lowerBound, 1e-15))
        let small = try #require(Proportion(10, of: 100).wilson()), large = try #require(Proportion(100, of: 1000).wilson())
        #expect(large.upperBound - large.lowerBound < small.upperBound - small.lowerBound)
        #expect(Proportion(0, of: 0).wilson() == nil)
    }

    /// No failure in N runs: the rate is at most 1 − 0.05^(1/N), the bound at which N
    /// clean runs still happen 5 % of the time; about 3/N.
    @Test func noEventInNRunsGivesTheExactOneSidedBound() throws {
        for n in [1, 10, 20, 300, 1000, 10_000] {
            let bound = try #require(Proportion(0, of: n).upperBoundWithNoEvent())
            #expect(near(Foundation.pow(1 - bound, Double(n)), 0.05, 1e-12))
        }
        #expect(near(try #require(Proportion(0, of: 10).upperBoundWithNoEvent()), 0.2589, 5e-5))
        let thousand = try #require(Proportion(0, of: 1000).upperBoundWithNoEvent())
        #expect(near(thousand, 3.0 / 1000, 0.01 * 3.0 / 1000))
        #expect(Proportion(1, of: 1000).upperBoundWithNoEvent() == nil)
        #expect(Proportion(0, of: 0).upperBoundWithNoEvent() == nil)
    }

    @Test func theReportPrintsTheBoundAtNoEventAndTheIntervalOtherwise() {
        #expect(RateText.rate(0, 20) == "0/20 (0 %; ≤ 13.9 % at 95 %, one-sided)")
        #expect(RateText.rate(20, 20) == "20/20 (100 %; ≥ 86.1 % at 95 %, one-sided)")
        #expect(RateText.rate(5, 10) == "5/10 (50.0 %; 95 % CI 23.7–76.3 %)")
        #expect(RateText.rate(0, 10_000) == "0/10000 (0 %; ≤ 0.030 % at 95 %, one-sided)")
        #expect(RateText.rate(0, 0) == "—")
    }

    /// Newcombe (1998), Statistics in Medicine 17:873, table II, method 10: his
    /// interval for two independent proportions is the square-and-add with φ = 0.
    @Test(arguments: [(56, 70, 48, 80, 0.0524, 0.3339), (9, 10, 3, 10, 0.1705, 0.8090),
                      (6, 7, 2, 7, 0.0582, 0.8062), (5, 56, 0, 29, -0.0381, 0.1926),
                      (0, 10, 0, 20, -0.1611, 0.2775), (10, 10, 0, 20, 0.6791, 1.0)])
    func squareAndAddMatchesNewcombesPublishedIntervals(_ k1: Int, _ n1: Int, _ k2: Int, _ n2: Int,
                                                        _ low: Double, _ high: Double) throws {
        let a = Proportion(k1, of: n1), b = Proportion(k2, of: n2)
        let ci = PairedDifference.squareAndAdd(try #require(a.estimate), try #require(a.wilson()),
                                               try #require(b.estimate), try #require(b.wilson()), phi: 0)
        #expect(near(ci.lowerBound, low, 5e-5) && near(ci.upperBound, high, 5e-5), "\(ci)")
    }

    /// Paired tables (a both, b first only, c second only, d neither); the bounds were
    /// recomputed outside Swift (a few lines of Python from Newcombe's formulas), not
    /// read from a paper: (1,1,7,12) and (59,6,16,80) are the examples of Fagerland,
    /// Lydersen & Laake's paired chapter.
    @Test(arguments: [(1, 1, 7, 12, -0.2857, -0.5069, -0.0256), (59, 6, 16, 80, -0.0621, -0.1186, -0.0046),
                      (36, 12, 2, 0, 0.2000, 0.0569, 0.3404), (8, 3, 1, 88, 0.0200, -0.0299, 0.0741)])
    func newcombePairedInterval(_ a: Int, _ b: Int, _ c: Int, _ d: Int, _ estimate: Double,
                                _ low: Double, _ high: Double) throws {
        let p = PairedDifference(both: a, firstOnly: b, secondOnly: c, neither: d)
        #expect(near(try #require(p.estimate), estimate, 5e-5))
        let ci = try #require(p.newcombe())
        #expect(near(ci.lowerBound, low, 5e-5) && near(ci.upperBound, high, 5e-5), "\(ci)")
    }

    /// Pairing is what makes the comparison sharp: runs that mostly agree give a far
    /// narrower interval than two independent samples with the same rates.
    @Test func pairedRunsThatAgreeGiveANarrowerIntervalThanIndependentOnes() throws {
        let p = PairedDifference(both: 80, firstOnly: 6, secondOnly: 1, neither: 113)
        #expect(p.phi > 0.8)
        let paired = try #require(p.newcombe())
        let unpaired = PairedDifference.squareAndAdd(try #require(p.first.estimate), try #require(p.first.wilson()),
                                                     try #require(p.second.estimate), try #require(p.second.wilson()), phi: 0)
        #expect(paired.upperBound - paired.lowerBound < 0.7 * (unpaired.upperBound - unpaired.lowerBound))
        #expect(paired.contains(try #require(p.estimate)))
        // Every run agreeing: no difference, and an interval around 0.
        let same = PairedDifference(both: 30, firstOnly: 0, secondOnly: 0, neither: 70)
        #expect(same.estimate == 0 && same.newcombe().map { $0.contains(0) } == true)
        #expect(PairedDifference(both: 0, firstOnly: 0, secondOnly: 0, neither: 0).newcombe() == nil)
    }

    @Test func pairsAreTalliedIntoTheirCells() {
        let p = PairedDifference([(true, true), (true, false), (true, false), (false, true), (false, false)])
        #expect(p == PairedDifference(both: 1, firstOnly: 2, secondOnly: 1, neither: 1))
        #expect(p.first == Proportion(3, of: 5) && p.second == Proportion(2, of: 5))
    }
}
