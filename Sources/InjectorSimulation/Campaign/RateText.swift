import Foundation

/// A rate as the campaign reports print it: the count, the share, and its 95 % interval.
enum RateText {
    static let confidence = 0.95

    /// `12/1000 (1.2 %; 95 % CI 0.69–2.1 %)`; at no event `0/1000 (0 %; ≤ 0.30 % at 95 %, one-sided)`,
    /// and at every run the mirror bound `1000/1000 (100 %; ≥ 99.70 % …)`.
    static func rate(_ count: Int, _ of: Int) -> String {
        let p = Proportion(count, of: of)
        guard let estimate = p.estimate else { return "—" }
        let head = "\(count)/\(of) (\(percent(estimate)) %; "
        if let bound = p.upperBoundWithNoEvent(confidence: confidence) {
            return head + "≤ \(percent(bound)) % at 95 %, one-sided)"
        }
        if let bound = p.complement.upperBoundWithNoEvent(confidence: confidence) {
            return head + "≥ \(percent(1 - bound)) % at 95 %, one-sided)"
        }
        guard let ci = p.wilson(confidence: confidence) else { return head + ")" }
        return head + "95 % CI \(percent(ci.lowerBound))–\(percent(ci.upperBound)) %)"
    }

    /// A share in per cent, with digits where the share is close to 0 or 100 %: a bound
    /// of 0.03 % printed as "0.0" would say nothing.
    static func percent(_ share: Double) -> String {
        let v = 100 * share
        if v == 0 || v == 100 { return String(format: "%.0f", v) }
        if v < 0.1 || v > 99.9 { return String(format: "%.3f", v) }
        if v < 1 || v > 99 { return String(format: "%.2f", v) }
        return String(format: "%.1f", v)
    }

    /// A difference of shares in percentage points, signed.
    static func points(_ share: Double) -> String {
        let v = 100 * share
        return (v > 0 ? "+" : v < 0 ? "−" : "±") + percent(abs(share))
    }
}
