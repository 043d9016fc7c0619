import Foundation
import InjectorCore
import InjectorPlant

/// Rates and distributions over a campaign's runs.
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

    static func rate(_ n: Int, _ of: Int) -> String {
        of == 0 ? "—" : String(format: "%d/%d (%.1f %%)", n, of, 100 * Double(n) / Double(of))
    }

    static func dist(_ label: String, _ c: [Double], _ b: [Double], unit: String) -> String {
        func f(_ xs: [Double]) -> String {
            guard let p = percentiles(xs) else { return "—" }
            return String(format: "p50 %.1f  p90 %.1f  p99 %.1f  max %.1f", p.p50, p.p90, p.p99, p.max)
        }
        return "  \(TextReport.pad(label + " (" + unit + ")", 34)) controller: \(f(c))\n"
            + "  \(TextReport.pad("", 34)) naive pump: \(f(b))\n"
    }

    public static func render(_ r: CampaignResult, reproduce: (UInt64) -> String) -> String {
        let runs = r.runs, n = runs.count
        let c = runs.map(\.controller), b = runs.compactMap(\.baseline)
        let ticks = runs.reduce(0) { $0 + $1.ticks }
        var out = "\nCampaign: \(n) runs, seed \(r.spec.seed), "
            + String(format: "%.2f s wall, %.0f simulated s, %.0f× real time overall\n",
                     r.wallSeconds, Double(ticks) / 1000, Double(ticks) / 1000 / max(r.wallSeconds, 1e-9))
        out += "  invariants: delivered ≤ cap + \(r.spec.capTolerance); stop ≤ observer delay + \(Int(r.spec.stopMargin.milliseconds)) ms after the posterior quarter; peak ≤ pressure limit + \(r.spec.pressureMargin)\n"
        out += "  runs passing every invariant:    \(rate(n - r.failures.count, n))\n"
        let twin = runs.filter(\.pressureTwinFitted), single = runs.filter { !$0.pressureTwinFitted }
        out += "    with a pressure twin:          \(rate(twin.filter(\.passed).count, twin.count))\n"
        out += "    transducer alone:              \(rate(single.filter(\.passed).count, single.count))\n"
        out += "  posterior quarter reached:       controller \(rate(c.filter { $0.posteriorQuarterAt != nil }.count, n)), naive \(rate(b.filter { $0.posteriorQuarterAt != nil }.count, b.count))\n"
        out += "  any leak path opened:            controller \(rate(c.filter { $0.firstLeakAt != nil }.count, n)), naive \(rate(b.filter { $0.firstLeakAt != nil }.count, b.count))\n"
        out += "  leaked more than 100 µL:         controller \(rate(c.filter { $0.leakedTotal.rawValue > 100 }.count, n)), naive \(rate(b.filter { $0.leakedTotal.rawValue > 100 }.count, b.count))\n"
        out += "  epidural leak (any):             controller \(rate(c.filter { $0.leaked.epidural.rawValue > 0.5 }.count, n)), naive \(rate(b.filter { $0.leaked.epidural.rawValue > 0.5 }.count, b.count))\n"
        var reasons: [Reason: Int] = [:]
        for o in c { for reason in o.stopReasons where reason != .hostFinish { reasons[reason, default: 0] += 1 } }
        out += "  controller stopped for:          "
            + reasons.sorted { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        out += dist("delivered", c.map { $0.delivered.rawValue }, b.map { $0.delivered.rawValue }, unit: "µL")
        out += dist("leaked, runs with a leak", c.filter { $0.firstLeakAt != nil }.map { $0.leakedTotal.rawValue },
                    b.filter { $0.firstLeakAt != nil }.map { $0.leakedTotal.rawValue }, unit: "µL")
        out += dist("front beyond posterior quarter", c.map { $0.frontBeyondPosteriorQuarter * 100 },
                    b.map { $0.frontBeyondPosteriorQuarter * 100 }, unit: "% depth")
        out += dist("stop after posterior quarter", c.compactMap { $0.stopAfterPosteriorQuarter?.milliseconds },
                    b.compactMap { $0.stopAfterPosteriorQuarter?.milliseconds }, unit: "ms")
        out += dist("stop after leak opened", c.compactMap { $0.stopAfterLeak?.milliseconds },
                    b.compactMap { $0.stopAfterLeak?.milliseconds }, unit: "ms")
        out += dist("peak pressure", c.map { $0.peakPressure.rawValue }, b.map { $0.peakPressure.rawValue }, unit: "kPa")
        let failures = r.failures
        if !failures.isEmpty {
            out += "\nFailing runs (\(failures.count)):\n"
            for f in failures.prefix(Self.failuresListed) {
                out += "  run \(f.index) seed \(f.seed): \(f.failures.joined(separator: "; "))\n    reproduce: \(reproduce(f.seed))\n"
            }
            if failures.count > 50 { out += "  … and \(failures.count - 50) more (all in the JSON summary)\n" }
        }
        return out
    }

    public struct JSONRun: Codable, Sendable {
        public var index: Int
        public var seed: UInt64
        public var passed: Bool
        public var failures: [String]
        public var pressureTwinFitted: Bool
        public var controller: JSONReport.Run
        public var baseline: JSONReport.Run?
    }

    public struct JSONDocument: Codable, Sendable {
        public var runs: Int
        public var seed: UInt64
        public var passed: Int
        public var failed: Int
        public var wallSeconds: Double
        public var failing: [JSONRun]
        /// Every run, when asked for (large).
        public var all: [JSONRun]?
    }

    public static func json(_ r: CampaignResult, includeAll: Bool) -> JSONDocument {
        func j(_ x: CampaignRun) -> JSONRun {
            JSONRun(index: x.index, seed: x.seed, passed: x.passed, failures: x.failures,
                    pressureTwinFitted: x.pressureTwinFitted, controller: JSONReport.Run(x.controller), baseline: x.baseline.map(JSONReport.Run.init))
        }
        return JSONDocument(runs: r.runs.count, seed: r.spec.seed, passed: r.runs.count - r.failures.count,
                            failed: r.failures.count, wallSeconds: r.wallSeconds, failing: r.failures.map(j),
                            all: includeAll ? r.runs.map(j) : nil)
    }
}
