import Foundation

/// The risk of an event with one treatment against another (high- against
/// low-viscosity cement), as the meta-analyses report it, with Katz's log interval
/// (Katz et al. 1978): exp(ln RR ± z·√(1/a − 1/n₁ + 1/c − 1/n₂)). It treats the two
/// arms as independent; for paired runs (the same patients) it is the wider,
/// conservative choice.
public struct RelativeRisk: Equatable, Sendable {
    public let treated: Proportion
    public let control: Proportion

    public init(treated: Proportion, control: Proportion) {
        self.treated = treated
        self.control = control
    }

    /// The arms of `pairs` counted by `event` (first: treated, second: control).
    public init<T>(pairs: [(T, T)], _ event: (T) -> Bool) {
        self.init(treated: Proportion(pairs.filter { event($0.0) }.count, of: pairs.count),
                  control: Proportion(pairs.filter { event($0.1) }.count, of: pairs.count))
    }

    /// nil when the control arm has no event.
    public var ratio: Double? {
        guard let t = treated.estimate, let c = control.estimate, c > 0 else { return nil }
        return t / c
    }

    /// Katz's interval; nil when either arm has no event.
    public func interval(confidence: Double = 0.95) -> ClosedRange<Double>? {
        guard let rr = ratio, treated.count > 0 else { return nil }
        let a = Double(treated.count), n1 = Double(treated.trials)
        let c = Double(control.count), n2 = Double(control.trials)
        let se = (1 / a - 1 / n1 + 1 / c - 1 / n2).squareRoot()
        let z = NormalQuantile.twoSided(confidence)
        return exp(log(rr) - z * se)...exp(log(rr) + z * se)
    }

    /// "0.38 (95 % CI 0.29–0.51; 45/300 vs 118/300)".
    public var text: String {
        guard let rr = ratio else { return "— (no event in the control arm)" }
        let counts = "\(treated.count)/\(treated.trials) vs \(control.count)/\(control.trials)"
        guard let ci = interval() else { return String(format: "%.2f (%@)", rr, counts) }
        return String(format: "%.2f (95 %% CI %.2f–%.2f; %@)", rr, ci.lowerBound, ci.upperBound, counts)
    }
}
