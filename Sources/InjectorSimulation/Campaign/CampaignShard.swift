/// One of N parts of a campaign's runs: run i belongs to shard i mod N. Run seeds are
/// drawn from the campaign seed by run index (`CampaignSpec.runSeeds`), not by shard,
/// so the shards together run exactly the runs of the unsharded campaign; interleaving
/// rather than blocks keeps every shard's share of slow runs about the same.
public struct CampaignShard: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// The whole campaign as one shard.
    public static let whole = CampaignShard(validIndex: 0, count: 1)

    private init(validIndex: Int, count: Int) { (self.index, self.count) = (validIndex, count) }

    public init?(index: Int, count: Int) {
        guard count >= 1, (0..<count).contains(index) else { return nil }
        self.init(validIndex: index, count: count)
    }

    /// Reads `K/N`, with 0 ≤ K < N; the error names the option and the allowed form.
    public static func parse(_ text: String, option: String = "--shard") throws -> CampaignShard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), let shard = CampaignShard(index: k, count: n) {
            return shard
        }
        throw CampaignShardError(message: "\(option) \(text): expected K/N with 0 ≤ K < N, e.g. 0/4 … 3/4")
    }

    public func contains(run index: Int) -> Bool { index % count == self.index }

    /// The run indices of this shard, in order.
    public func runs(of total: Int) -> [Int] { Array(stride(from: index, to: total, by: count)) }

    public var description: String { "\(index)/\(count)" }
}

public struct CampaignShardError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
