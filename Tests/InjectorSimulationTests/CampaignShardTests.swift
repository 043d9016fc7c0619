import Foundation
import InjectorCore
import Testing
@testable import InjectorSimulation

/// Shards: a partition of a campaign's runs whose merged summaries print the report
/// of the unsharded campaign.
@Suite struct CampaignShardTests {
    func spec(runs: Int, seed: UInt64 = 11) -> CampaignSpec { shortCampaign(runs: runs, seed: seed) }

    func roundTrip(_ s: CampaignSummary) throws -> CampaignSummary {
        try CampaignSummary.decode(try JSONReport.encode(s))
    }

    @Test func aShardIsReadAsKOfNAndAnythingElseIsRefusedByName() throws {
        #expect(try CampaignShard.parse("0/4") == CampaignShard(index: 0, count: 4))
        #expect(try CampaignShard.parse("3/4").description == "3/4")
        for bad in ["3/2", "4/4", "-1/4", "1/0", "1", "a/b", "1/4/2", ""] {
            do {
                _ = try CampaignShard.parse(bad)
                Issue.record("\(bad) accepted")
            } catch let e as CampaignShardError {
                #expect(e.message.hasPrefix("--shard \(bad): expected K/N with 0 ≤ K < N"))
            }
        }
    }

    @Test(arguments: [(1, 7), (3, 10), (4, 4), (4, 3), (5, 101)])
    func theShardsPartitionTheRuns(_ count: Int, _ total: Int) throws {
        let shards = try (0..<count).map { try #require(CampaignShard(index: $0, count: count)) }
        let all = shards.flatMap { $0.runs(of: total) }
        #expect(all.sorted() == Array(0..<total))
        for s in shards { #expect(s.runs(of: total).allSatisfy { s.contains(run: $0) }) }
    }

    /// The test the shards exist for: three shards, each written to JSON and read back,
    /// merge into the unsharded campaign's summary, and print its report byte for byte.
    @Test func mergedShardsAreTheUnshardedCampaign() throws {
        let s = spec(runs: 7)
        let whole = CampaignSummary(CampaignRunner.run(s, jobs: 2), file: "c.yaml")
        let parts = try (0..<3).map { k in
            let shard = try #require(CampaignShard(index: k, count: 3))
            let part = try roundTrip(CampaignSummary(CampaignRunner.run(s, jobs: 1, shard: shard), file: "c.yaml"))
            #expect(part.shard == "\(k)/3" && part.records.map(\.index) == shard.runs(of: 7))
            return (name: "shard-\(k).json", summary: part)
        }
        var merged = try CampaignMerge.merge(parts.reversed())
        #expect(merged.records == whole.records)
        #expect(merged.campaign == whole.campaign && merged.passed == whole.passed && merged.failed == whole.failed)
        #expect(merged.parts == 3 && merged.shard == nil)
        // Only the time line may differ (three processes' time summed, not one's).
        merged.wallSeconds = whole.wallSeconds
        merged.parts = 1
        let reproduce = { (seed: String) in "replay --seed \(seed)" }
        #expect(CampaignReport.render(merged, reproduce: reproduce) == CampaignReport.render(whole, reproduce: reproduce))
        #expect(try JSONReport.encode(merged) == JSONReport.encode(whole))
    }

    @Test func mergeRefusesAMissingADoubledOrAForeignShard() throws {
        let s = spec(runs: 4)
        func part(_ k: Int, _ n: Int, _ spec: CampaignSpec) throws -> (name: String, summary: CampaignSummary) {
            let shard = try #require(CampaignShard(index: k, count: n))
            return ("s\(k)of\(n)", CampaignSummary(CampaignRunner.run(spec, jobs: 1, shard: shard), file: "c.yaml"))
        }
        let a = try part(0, 2, s), b = try part(1, 2, s)
        func message(_ parts: [(name: String, summary: CampaignSummary)]) -> String? {
            do { _ = try CampaignMerge.merge(parts); return nil } catch { return "\(error)" }
        }
        #expect(message([a, b]) == nil)
        #expect(message([a]) == "shards missing: 1/2")
        #expect(message([a, b, b]) == "shard 1/2 given twice: s1of2 and s1of2")
        #expect(message([a, try part(1, 3, s)])?.contains("not one partition") == true)
        #expect(message([a, try part(1, 2, spec(runs: 4, seed: 12))])?.contains("another campaign") == true)
        var pressure = s
        pressure.pressureMargin = Kilopascals(400)   // the same seeds and runs, another spec
        #expect(message([a, try part(1, 2, pressure)])?.contains("another campaign") == true)
        var lost = b.summary
        lost.records.removeLast()
        #expect(message([a, (b.name, lost)])?.contains("missing") == true)
    }

    /// Seeds use all 64 bits; JSON numbers past 2^53 lose digits in most readers.
    @Test func seedsAreStringsInTheJSONSummary() throws {
        let s = spec(runs: 40, seed: 2024)
        let big = try #require(s.runSeeds().enumerated().first { $0.element > 1 << 60 })
        let shard = try #require(CampaignShard(index: big.offset, count: 40))
        let summary = CampaignSummary(CampaignRunner.run(s, jobs: 1, shard: shard), file: "c.yaml")
        let text = String(decoding: try JSONReport.encode(summary), as: UTF8.self)
        #expect(text.contains("\"seed\" : \"\(big.element)\""))
        #expect(text.contains("\"seed\" : \"2024\""))
        #expect(try roundTrip(summary).records.first?.seed == String(big.element))
    }
}
