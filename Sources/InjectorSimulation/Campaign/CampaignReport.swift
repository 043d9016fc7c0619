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

    static func dist(_ label: String, _ c: [Double], _ b: [Double], unit: String) -> String {
        func f(_ xs: [Double]) -> String {
            guard let p = percentiles(xs) else { return "—" }
            return String(format: "p50 %.1f  p90 %.1f  p99 %.1f  max %.1f", p.p50, p.p90, p.p99, p.max)
        }
        return "  \(TextReport.pad(label + " (" + unit + ")", 34)) controller: \(f(c))\n"
            + "  \(TextReport.pad("", 34)) naive pump: \(f(b))\n"
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
        out += rates(runs)
        out += stopReasons(runs)
        out += falseStops(runs)
        out += distributions(runs)
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

    static func stopReasons(_ runs: [CampaignRecord]) -> String {
        let finish = caseName(Reason.hostFinish)
        var reasons: [String: Int] = [:]
        for r in runs { for reason in r.controller.stopReasons ?? [] where reason != finish { reasons[reason, default: 0] += 1 } }
        return "  controller stopped for:          "
            + reasons.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
    }

    static func distributions(_ runs: [CampaignRecord]) -> String {
        let c = runs.map(\.controller), b = runs.compactMap(\.baseline)
        var out = dist("delivered", c.map(\.deliveredUL), b.map(\.deliveredUL), unit: "µL")
        out += dist("leaked, runs with a leak", c.filter { $0.firstLeakAtS != nil }.map(\.leakedTotalUL),
                    b.filter { $0.firstLeakAtS != nil }.map(\.leakedTotalUL), unit: "µL")
        out += dist("front beyond posterior quarter", c.map { $0.frontBeyondPosteriorQuarter * 100 },
                    b.map { $0.frontBeyondPosteriorQuarter * 100 }, unit: "% depth")
        out += dist("stop after posterior quarter", c.compactMap(\.stopAfterPosteriorQuarterMs),
                    b.compactMap(\.stopAfterPosteriorQuarterMs), unit: "ms")
        out += dist("stop after leak opened", c.compactMap(\.stopAfterLeakMs), b.compactMap(\.stopAfterLeakMs), unit: "ms")
        out += dist("peak pressure", c.map(\.peakPressureKPa), b.map(\.peakPressureKPa), unit: "kPa")
        return out
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
    public let label: String
    public let happened: @Sendable (JSONReport.Run) -> Bool

    public static let all: [CampaignEvent] = [
        CampaignEvent(label: "posterior quarter reached") { $0.posteriorQuarterAtS != nil },
        CampaignEvent(label: "any leak path opened") { $0.firstLeakAtS != nil },
        CampaignEvent(label: "leaked more than 100 µL") { $0.leakedTotalUL > 100 },
        CampaignEvent(label: "epidural leak (any)") { ($0.leakedUL[caseName(LeakPathKind.epidural)] ?? 0) > 0.5 },
    ]
}
