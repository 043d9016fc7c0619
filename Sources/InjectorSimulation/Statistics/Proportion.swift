import Foundation

/// A count of events in a number of runs, with the intervals the campaign report
/// prints. Wilson's score interval (Wilson 1927; Newcombe 1998, method 3): unlike the
/// Wald interval it stays inside 0…1 and keeps near its nominal coverage at the
/// small counts campaigns produce (a handful of failures in thousands of runs).
public struct Proportion: Equatable, Sendable {
    public let count: Int
    public let trials: Int

    public init(_ count: Int, of trials: Int) {
        precondition(trials >= 0 && (0...max(trials, 0)).contains(count), "count must lie in 0…trials")
        self.count = count
        self.trials = trials
    }

    /// nil for no trials: there is no rate to speak of.
    public var estimate: Double? { trials == 0 ? nil : Double(count) / Double(trials) }

    /// The two-sided Wilson score interval at `confidence`.
    public func wilson(confidence: Double = 0.95) -> ClosedRange<Double>? {
        guard let p = estimate else { return nil }
        let z = NormalQuantile.twoSided(confidence), n = Double(trials), z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        // At p = 0 or 1 the interval touches the end exactly; rounding must not push it past.
        return max(0, centre - half) ... min(1, centre + half)
    }

    /// With no event at all, the exact one-sided bound: the largest rate under which
    /// seeing none in N runs still has probability 1 − confidence, 1 − (1 − c)^(1/N)
    /// (the Clopper–Pearson bound at 0 events, ≈ 3/N at 95 %: the "rule of three").
    /// nil when there was an event or no trial.
    public func upperBoundWithNoEvent(confidence: Double = 0.95) -> Double? {
        guard count == 0, trials > 0 else { return nil }
        return 1 - Foundation.pow(1 - confidence, 1 / Double(trials))
    }

    /// The complement: failures when `count` counts passes.
    public var complement: Proportion { Proportion(trials - count, of: trials) }
}
