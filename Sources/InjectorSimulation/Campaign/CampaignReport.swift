import Foundation
import InjectorCore
import InjectorPlant

/// Rates and distributions over a campaign's runs, printed from its summary (so that a
/// merge of shards prints what the unsharded run prints).
public enum CampaignReport {
    /// Failing runs listed with their replay command; the count of all is printed above.
    static let failuresListed = 50
    /// p50, p90, p99 and max of a sample, or nil when it is empty.
    public static func percentiles(_ xs: [Double]) -> (p50: Double, p90: Double, p99: Double, max: Double)? {
        guard !xs.isEmpty else { return nil }
        let s = xs.sorted()
        func p(_ q: Double) -> Double { s[min(s.count - 1, Int((q * Double(s.count - 1)).rounded()))] }
        return (p(0.5), p(0.9), p(0.99), s[s.count - 1])
    }

    static func dist(_ label: String, _ d: ControllerAndPump<DistributionFigure>, unit: String) -> String {
        func f(_ x: DistributionFigure) -> String {
            guard let p50 = x.p50, let p90 = x.p90, let p99 = x.p99, let max = x.max else { return "—" }
            return String(format: "p50 %.1f  p90 %.1f  p99 %.1f  max %.1f", p50, p90, p99, max)
        }
        return "  \(TextReport.pad(label + " (" + unit + ")", 34)) controller: \(f(d.controller))\n"
            + "  \(TextReport.pad("", 34)) naive pump: \(f(d.naivePump))\n"
    }

    public static func render(_ r: CampaignResult, file: String = "", reproduce: (String) -> String) -> String {
        render(CampaignSummary(r, file: file), reproduce: reproduce)
    }

    public static func render(_ s: CampaignSummary, reproduce: (String) -> String) -> String {
        let runs = s.records, n = runs.count, h = s.campaign
        let ticks = runs.reduce(0) { $0 + $1.ticks }
        var out = "\nCampaign: \(n) runs\(s.shard.map { " (shard \($0) of \(h.runs))" } ?? ""), seed \(h.seed)\n"
        out += String(format: "  time: %.2f s wall%@, %.0f simulated s, %.0f× real time overall\n", s.wallSeconds,
                      s.parts > 1 ? " summed over \(s.parts) parts" : "", Double(ticks) / 1000,
                      Double(ticks) / 1000 / max(s.wallSeconds, 1e-9))
        out += String(format: "  invariants: delivered ≤ cap + %g µL; stop ≤ observer delay + %g ms after the posterior quarter; peak ≤ pressure limit + %g kPa\n",
                      h.capToleranceUL, h.stopMarginMs, h.pressureMarginKPa)
        out += "  rates with 95 % intervals: Wilson score two-sided; at 0 (or all) events the exact one-sided bound 1 − 0.05^(1/N)\n"
        out += "  runs passing every invariant:    \(RateText.rate(runs.filter(\.passed).count, n))\n"
        out += "  runs failing an invariant:       \(RateText.rate(runs.filter { !$0.passed }.count, n))\n"
        let figures = s.statistics
        out += rates(runs)
        out += stopReasons(figures)
        out += falseStops(figures)
        out += distributions(figures)
        out += CampaignStrata.render(runs, header: h)
        out += failingRuns(s.failures, reproduce: reproduce)
        return out
    }

    /// The controller's and the naive pump's rate of each event in `CampaignEvent.all`.
    static func rates(_ runs: [CampaignRecord]) -> String {
        let b = runs.compactMap(\.baseline)
        return CampaignEvent.all.map { e in
            "  \(TextReport.pad(e.label + ":", 32)) controller \(RateText.rate(runs.filter { e.happened($0.controller) }.count, runs.count)), "
                + "naive \(RateText.rate(b.filter(e.happened).count, b.count))\n"
        }.joined()
    }

    static func stopReasons(_ figures: CampaignStatistics) -> String {
        "  controller stopped for:          "
            + figures.controllerStopReasons.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
    }

    static func distributions(_ figures: CampaignStatistics) -> String {
        CampaignStatistics.distributionOrder.map { d in
            dist(d.label, figures.distributions[d.key]!, unit: d.unit)
        }.joined()
    }

    static func failingRuns(_ failures: [CampaignRecord], reproduce: (String) -> String) -> String {
        guard !failures.isEmpty else { return "" }
        var out = "\nFailing runs (\(failures.count)):\n"
        for f in failures.prefix(Self.failuresListed) {
            out += "  run \(f.index) seed \(f.seed): \(f.failures.joined(separator: "; "))\n    reproduce: \(reproduce(f.seed))\n"
        }
        if failures.count > Self.failuresListed {
            out += "  … and \(failures.count - Self.failuresListed) more (all in the JSON summary)\n"
        }
        return out
    }
}

/// An event counted per run for both injectors (and compared between configurations).
public struct CampaignEvent: Sendable {
    /// The event's key in the JSON summary's `statistics.events`.
    public let key: String
    public let label: String
    public let happened: @Sendable (JSONReport.Run) -> Bool

    public static let all: [CampaignEvent] = [
        CampaignEvent(key: "posteriorQuarterReached", label: "posterior quarter reached") { $0.posteriorQuarterAtS != nil },
        CampaignEvent(key: "anyLeakPathOpened", label: "any leak path opened") { $0.firstLeakAtS != nil },
        CampaignEvent(key: "leakedMoreThan100UL", label: "leaked more than 100 µL") { $0.leakedTotalUL > 100 },
        CampaignEvent(key: "epiduralLeak", label: "epidural leak (any)") {
            ($0.leakedUL[caseName(LeakPathKind.epidural)] ?? 0) > 0.5
        },
    ]
}
