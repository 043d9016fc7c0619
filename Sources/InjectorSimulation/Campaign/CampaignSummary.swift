import Foundation

/// What a campaign keeps of one run for its report: enough to print every rate,
/// stratum and distribution again from a JSON file (`campaign merge`, `compare-results`).
public struct CampaignRecord: Codable, Equatable, Sendable {
    public var index: Int
    /// Decimal, as a string: a JSON number loses 64-bit seeds in most readers.
    public var seed: String
    public var passed: Bool
    public var failures: [String]
    public var ticks: Int
    public var draws: CampaignDraws
    public var controller: JSONReport.Run
    public var baseline: JSONReport.Run?

    public init(_ r: CampaignRun) {
        index = r.index
        seed = String(r.seed)
        passed = r.passed
        failures = r.failures
        ticks = r.ticks
        draws = r.draws
        controller = JSONReport.Run(r.controller)
        baseline = r.baseline.map(JSONReport.Run.init)
    }
}

/// The campaign a summary belongs to: what the report's header and strata need, and a
/// fingerprint of the whole spec so that shards of different campaigns do not merge.
public struct CampaignHeader: Codable, Equatable, Sendable {
    /// The campaign file, for the replay command of a failing run.
    public var file: String
    public var seed: String
    public var runs: Int
    public var fingerprint: String
    public var capToleranceUL, stopMarginMs, pressureMarginKPa: Double
    /// The draw ranges the strata bins divide.
    public var cementAgeAtStartS, observerDelayS: [Double]

    public init(_ spec: CampaignSpec, file: String) {
        self.file = file
        seed = String(spec.seed)
        runs = spec.runs
        fingerprint = String(Self.fnv1a(String(reflecting: spec)), radix: 16)
        capToleranceUL = spec.capTolerance.rawValue
        stopMarginMs = spec.stopMargin.milliseconds
        pressureMarginKPa = spec.pressureMargin.rawValue
        cementAgeAtStartS = [spec.cementAgeAtStart.lowerBound, spec.cementAgeAtStart.upperBound]
        observerDelayS = [spec.observerDelay.lowerBound, spec.observerDelay.upperBound]
    }

    /// FNV-1a over the spec's full description (every field, the controller's
    /// configuration included): equal specs give equal fingerprints in every process.
    static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}

/// A campaign's or a shard's summary, as `campaign --json` writes it; the report is
/// printed from it, so a merge of shard summaries prints what the unsharded run prints.
public struct CampaignSummary: Codable, Equatable, Sendable {
    /// /2 added `statistics`; /1 files are refused by name (run the campaign again).
    public static let currentFormat = "injector-campaign-summary/2"
    public var format = Self.currentFormat
    public var campaign: CampaignHeader
    /// "K/N" for a shard; nil for a whole campaign (or a merge of all its shards).
    public var shard: String?
    /// Summed over shards when merged: compute time, not elapsed time.
    public var wallSeconds: Double
    /// How many summaries were merged into this one (1 for a run).
    public var parts = 1
    public var passed: Int
    public var failed: Int
    /// Every run, in index order.
    public var records: [CampaignRecord] {
        didSet { statistics = CampaignStatistics(records, header: campaign) }
    }
    /// Every rate, count and distribution the report prints, computed from `records`.
    public private(set) var statistics: CampaignStatistics

    public init(_ r: CampaignResult, file: String) {
        campaign = CampaignHeader(r.spec, file: file)
        shard = r.shard == .whole ? nil : r.shard.description
        wallSeconds = r.wallSeconds
        let records = r.runs.map(CampaignRecord.init)
        self.records = records
        statistics = CampaignStatistics(records, header: campaign)
        failed = records.filter { !$0.passed }.count
        passed = records.count - failed
    }

    public var failures: [CampaignRecord] { records.filter { !$0.passed } }

    /// Reads a summary, refusing another format by name before looking at its fields.
    public static func decode(_ data: Data) throws -> CampaignSummary {
        struct Format: Decodable { var format: String }
        let format = try JSONDecoder().decode(Format.self, from: data).format
        guard format == currentFormat else {
            throw CampaignMergeError("format \(format), expected \(currentFormat) (run the campaign again with this build)")
        }
        var summary = try JSONDecoder().decode(CampaignSummary.self, from: data)
        // The figures follow from the records; a hand-edited file cannot make them disagree.
        summary.statistics = CampaignStatistics(summary.records, header: summary.campaign)
        return summary
    }
}
