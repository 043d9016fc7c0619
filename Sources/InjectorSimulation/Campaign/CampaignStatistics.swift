import Foundation
import InjectorCore
import InjectorPlant

/// A rate as the report prints it, in numbers: the count of runs, the runs it is out of,
/// the share and its 95 % interval in per cent, and which interval it is.
public struct RateFigure: Codable, Equatable, Sendable {
    public enum Interval: String, Codable, Sendable {
        /// Wilson score, two-sided.
        case wilson
        /// No event in any run: the exact one-sided upper bound 1 − 0.05^(1/N).
        case oneSidedUpper
        /// An event in every run: the mirror lower bound.
        case oneSidedLower
        /// No runs to count.
        case none
    }

    public var count: Int
    public var runs: Int
    public var percent: Double?
    public var ci95LowerPercent: Double?
    public var ci95UpperPercent: Double?
    public var interval: Interval

    public init(_ count: Int, of runs: Int) {
        self.count = count
        self.runs = runs
        let p = Proportion(count, of: runs)
        percent = p.estimate.map { $0 * 100 }
        interval = .none
        guard p.estimate != nil else { return }
        if let bound = p.upperBoundWithNoEvent(confidence: RateText.confidence) {
            (interval, ci95LowerPercent, ci95UpperPercent) = (.oneSidedUpper, 0, bound * 100)
        } else if let bound = p.complement.upperBoundWithNoEvent(confidence: RateText.confidence) {
            (interval, ci95LowerPercent, ci95UpperPercent) = (.oneSidedLower, (1 - bound) * 100, 100)
        } else if let ci = p.wilson(confidence: RateText.confidence) {
            (interval, ci95LowerPercent, ci95UpperPercent) = (.wilson, ci.lowerBound * 100, ci.upperBound * 100)
        }
    }
}

/// p50, p90, p99 and max of a sample (nil when it is empty), and its size.
public struct DistributionFigure: Codable, Equatable, Sendable {
    public var runs: Int
    public var p50, p90, p99, max: Double?

    public init(_ xs: [Double]) {
        runs = xs.count
        if let p = CampaignReport.percentiles(xs) { (p50, p90, p99, max) = (p.p50, p.p90, p.p99, p.max) }
    }
}

/// A figure for the controller and the naive pump side by side.
public struct ControllerAndPump<Figure: Codable & Equatable & Sendable>: Codable, Equatable, Sendable {
    public var controller: Figure
    public var naivePump: Figure
}

/// Every rate, count and distribution the campaign report prints, as numbers (with the
/// unit in each key), so that a script reads them from the JSON instead of the text.
/// The report is printed from these figures, so the two cannot disagree.
public struct CampaignStatistics: Codable, Equatable, Sendable {
    public struct Stratum: Codable, Equatable, Sendable {
        public var title: String
        public var group: String
        public var passing: RateFigure
    }

    public struct LeakSuspectedWithoutLeak: Codable, Equatable, Sendable {
        public var noFaultInjected: RateFigure
        public var faultInjected: RateFigure
    }

    public var simulatedS: Double
    public var passingEveryInvariant: RateFigure
    public var failingAnInvariant: RateFigure
    /// Keyed by `CampaignEvent.key`.
    public var events: [String: ControllerAndPump<RateFigure>]
    /// The controller's stops, by reason, the operator's finish left out.
    public var controllerStopReasons: [String: Int]
    public var leakSuspectedWithoutLeak: LeakSuspectedWithoutLeak
    /// Keyed by the distribution's name and unit (`deliveredUL`, `stopAfterLeakOpenedMs`, …).
    public var distributions: [String: ControllerAndPump<DistributionFigure>]
    public var strata: [Stratum]

    public init(_ runs: [CampaignRecord], header: CampaignHeader) {
        let n = runs.count, b = runs.compactMap(\.baseline)
        simulatedS = Double(runs.reduce(0) { $0 + $1.ticks }) / 1000
        passingEveryInvariant = RateFigure(runs.filter(\.passed).count, of: n)
        failingAnInvariant = RateFigure(runs.filter { !$0.passed }.count, of: n)
        events = Dictionary(uniqueKeysWithValues: CampaignEvent.all.map { e in
            (e.key, ControllerAndPump(controller: RateFigure(runs.filter { e.happened($0.controller) }.count, of: n),
                                      naivePump: RateFigure(b.filter(e.happened).count, of: b.count)))
        })
        let finish = caseName(Reason.hostFinish)
        var reasons: [String: Int] = [:]
        for r in runs { for reason in r.controller.stopReasons ?? [] where reason != finish { reasons[reason, default: 0] += 1 } }
        controllerStopReasons = reasons
        leakSuspectedWithoutLeak = Self.falseStops(runs)
        distributions = Self.distributions(runs)
        strata = CampaignStrata.strata(header).flatMap { title, groups in
            groups.map { g in
                let members = runs.filter { g.member($0.draws) }
                return Stratum(title: title, group: g.label, passing: RateFigure(members.filter(\.passed).count, of: members.count))
            }
        }
    }

    /// Leak suspicions in runs where no leak path opened (issue 9, finding 6): false
    /// stops; where a sensor fault was injected, a fail-safe answer counted apart.
    static func falseStops(_ runs: [CampaignRecord]) -> LeakSuspectedWithoutLeak {
        let leak = caseName(Reason.leakSuspected)
        let noLeak = runs.filter { $0.controller.firstLeakAtS == nil }
        let clean = noLeak.filter { $0.controller.faultAtS == nil }
        let faulted = noLeak.filter { $0.controller.faultAtS != nil }
        func suspected(_ r: CampaignRecord) -> Bool { r.controller.stopReasons?.contains(leak) ?? false }
        return LeakSuspectedWithoutLeak(noFaultInjected: RateFigure(clean.filter(suspected).count, of: clean.count),
                                        faultInjected: RateFigure(faulted.filter(suspected).count, of: faulted.count))
    }

    /// The distributions in the order the report prints them: key, label, unit, value.
    static let distributionOrder: [(key: String, label: String, unit: String)] = [
        ("deliveredUL", "delivered", "µL"),
        ("leakedInRunsWithALeakUL", "leaked, runs with a leak", "µL"),
        ("frontBeyondPosteriorQuarterPercentDepth", "front beyond posterior quarter", "% depth"),
        ("stopAfterPosteriorQuarterMs", "stop after posterior quarter", "ms"),
        ("stopAfterLeakOpenedMs", "stop after leak opened", "ms"),
        ("peakPressureKPa", "peak pressure", "kPa"),
    ]

    /// The keys of `distributions`.
    public static var distributionKeys: [String] { distributionOrder.map(\.key) }

    static func distributions(_ runs: [CampaignRecord]) -> [String: ControllerAndPump<DistributionFigure>] {
        let c = runs.map(\.controller), b = runs.compactMap(\.baseline)
        func pair(_ f: ([JSONReport.Run]) -> [Double]) -> ControllerAndPump<DistributionFigure> {
            ControllerAndPump(controller: DistributionFigure(f(c)), naivePump: DistributionFigure(f(b)))
        }
        return [
            "deliveredUL": pair { $0.map(\.deliveredUL) },
            "leakedInRunsWithALeakUL": pair { $0.filter { $0.firstLeakAtS != nil }.map(\.leakedTotalUL) },
            "frontBeyondPosteriorQuarterPercentDepth": pair { $0.map { $0.frontBeyondPosteriorQuarter * 100 } },
            "stopAfterPosteriorQuarterMs": pair { $0.compactMap(\.stopAfterPosteriorQuarterMs) },
            "stopAfterLeakOpenedMs": pair { $0.compactMap(\.stopAfterLeakMs) },
            "peakPressureKPa": pair { $0.map(\.peakPressureKPa) },
        ]
    }
}
