import Foundation

/// A search's result for people (`text`) and for programs (`Document`, the `--json`).
public enum SearchReport {
    public static func text(_ r: SearchResult, campaignFile: String, worst: Int) -> String {
        let s = r.spec
        var y = ["falsification search: \(s.method.rawValue), seed \(s.seed), budget \(s.budget) runs"
                 + (s.method == .cem ? " (population \(s.settings.population), elite fraction \(s.settings.eliteFraction), "
                    + "smoothing \(s.settings.smoothing))" : " (uniform over the box)") + ", campaign \(campaignFile)"]
        y.append(String(format: "runs: %d in %.1f s", r.evaluations.count, r.wallSeconds))
        y.append("violations (robustness < 0): \(r.violations)/\(r.evaluations.count)"
                 + (r.runsToFirstViolation.map { "; first at run \($0)" } ?? "; none"))
        for e in r.worst(worst) { y.append(line(e)) }
        return y.joined(separator: "\n") + "\n"
    }

    /// One run: its robustness, the margin that set it, and every margin.
    static func line(_ e: SearchEvaluation) -> String {
        let margins = e.robustness.margins.map { "\($0.kind.rawValue) \(format($0.normalised))" }.joined(separator: ", ")
        let refused = e.refusal.map { " (refused: \($0))" } ?? ""
        return "  run \(e.index + 1): robustness \(format(e.robustness.value)) (\(e.robustness.worst.rawValue))\(refused); \(margins)"
    }

    static func format(_ x: Double) -> String { String(format: "%.4f", x) }

    /// Several seeds of one method: median and range of the runs to the first violation
    /// (a seed without one counts as budget + 1, printed "> budget") and of the lowest robustness.
    public static func comparison(_ results: [SearchResult]) -> String {
        guard let first = results.first else { return "" }
        let budget = first.spec.budget
        let runs = results.map { Double($0.runsToFirstViolation ?? budget + 1) }
        let lowest = results.map { $0.worst(1).first?.robustness.value ?? 1 }
        func runsText(_ x: Double) -> String { x > Double(budget) ? "> \(budget)" : String(format: "%g", x) }
        let found = results.filter { $0.runsToFirstViolation != nil }.count
        return "\(first.spec.method.rawValue) over \(results.count) seeds (\(results.map { String($0.spec.seed) }.joined(separator: ", "))): "
            + "violation found by \(found)/\(results.count); runs to first violation: median \(runsText(median(runs))), "
            + "range \(runsText(runs.min()!))–\(runsText(runs.max()!)); lowest robustness: median \(format(median(lowest))), "
            + "range \(format(lowest.min()!)) … \(format(lowest.max()!))\n"
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// The JSON of one search: its settings, the summary figures and every run.
    public struct Document: Codable, Equatable, Sendable {
        public struct Run: Codable, Equatable, Sendable {
            public var run: Int
            public var robustness: Double
            public var worst: MarginKind
            public var margins: [Margin]
            public var refusal: String?
            /// The search point, by `SearchDimension` name.
            public var point: [String: Double]
            public var traceHash: String
        }
        public var method: SearchMethod
        public var seed: String
        public var budget: Int
        public var population, eliteFraction, smoothing: Double
        public var campaign: String
        public var violations: Int
        public var runsToFirstViolation: Int?
        public var lowestRobustness: Double?
        public var wallSeconds: Double
        public var runs: [Run]

        public init(_ r: SearchResult, campaignFile: String) {
            method = r.spec.method
            seed = String(r.spec.seed)   // a string: a 64-bit seed does not survive a JSON number
            budget = r.spec.budget
            population = Double(r.spec.settings.population)
            eliteFraction = r.spec.settings.eliteFraction
            smoothing = r.spec.settings.smoothing
            campaign = campaignFile
            violations = r.violations
            runsToFirstViolation = r.runsToFirstViolation
            lowestRobustness = r.worst(1).first?.robustness.value
            wallSeconds = r.wallSeconds
            runs = r.evaluations.map { e in
                Run(run: e.index + 1, robustness: e.robustness.value, worst: e.robustness.worst,
                    margins: e.robustness.margins, refusal: e.refusal,
                    point: Dictionary(uniqueKeysWithValues: SearchDimension.allCases.map { ($0.name, e.point[$0]) }),
                    traceHash: String(e.traceHash, radix: 16))
            }
        }
    }
}
