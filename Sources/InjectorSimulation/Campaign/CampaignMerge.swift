/// Joins shard summaries into the whole campaign's summary, refusing anything that
/// would not give the unsharded report: another campaign, a shard given twice or
/// missing, a run missing or run twice.
public enum CampaignMerge {
    public static func merge(_ parts: [(name: String, summary: CampaignSummary)]) throws -> CampaignSummary {
        guard let first = parts.first else { throw CampaignMergeError("no summary to merge") }
        for p in parts where p.summary.format != CampaignSummary.currentFormat {
            throw CampaignMergeError("\(p.name): format \(p.summary.format), expected \(CampaignSummary.currentFormat)")
        }
        for p in parts.dropFirst() where p.summary.campaign != first.summary.campaign {
            throw CampaignMergeError("\(p.name) is of another campaign than \(first.name) "
                + "(seed \(p.summary.campaign.seed) vs \(first.summary.campaign.seed), \(p.summary.campaign.runs) vs "
                + "\(first.summary.campaign.runs) runs, spec \(p.summary.campaign.fingerprint) vs \(first.summary.campaign.fingerprint))")
        }
        try checkShards(parts)
        let records = parts.flatMap(\.summary.records).sorted { $0.index < $1.index }
        try checkRuns(records, total: first.summary.campaign.runs)
        var merged = first.summary
        merged.shard = nil
        merged.records = records
        merged.wallSeconds = parts.reduce(0) { $0 + $1.summary.wallSeconds }
        merged.parts = parts.reduce(0) { $0 + $1.summary.parts }
        merged.failed = records.filter { !$0.passed }.count
        merged.passed = records.count - merged.failed
        return merged
    }

    /// Shards named by their summaries: all of one N, each K once and none missing.
    static func checkShards(_ parts: [(name: String, summary: CampaignSummary)]) throws {
        let named = parts.compactMap { p in p.summary.shard.map { (p.name, $0) } }
        guard !named.isEmpty else { return }
        let shards = try named.map { (name, text) in (name, try CampaignShard.parse(text, option: "\(name): shard")) }
        let count = shards[0].1.count
        if let other = shards.first(where: { $0.1.count != count }) {
            throw CampaignMergeError("\(other.0) is shard \(other.1) but \(shards[0].0) is shard \(shards[0].1): not one partition")
        }
        var seen: [Int: String] = [:]
        for (name, shard) in shards {
            if let earlier = seen[shard.index] { throw CampaignMergeError("shard \(shard) given twice: \(earlier) and \(name)") }
            seen[shard.index] = name
        }
        let missing = (0..<count).filter { seen[$0] == nil }
        if !missing.isEmpty {
            throw CampaignMergeError("shards missing: " + missing.map { "\($0)/\(count)" }.joined(separator: ", "))
        }
    }

    /// Every run index 0 ..< total exactly once.
    static func checkRuns(_ records: [CampaignRecord], total: Int) throws {
        var expected = 0
        for r in records {
            if r.index < expected { throw CampaignMergeError("run \(r.index) appears twice") }
            if r.index > expected { throw CampaignMergeError("run \(expected) is missing (of \(total))") }
            expected += 1
        }
        if expected != total { throw CampaignMergeError("\(total - expected) of \(total) runs missing (from run \(expected))") }
    }
}

public struct CampaignMergeError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}
