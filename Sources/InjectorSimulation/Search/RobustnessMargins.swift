import InjectorCore
import InjectorPlant

/// The invariants a falsification search measures its distance to. Each margin is
/// (limit − measured) / limit: 1 when nothing of the limit was used, 0 on the limit,
/// negative past it (a violation). The first three are the campaign's invariants and
/// break exactly when `Expectation.judge` fails them; the last two are limits of the
/// search's own (`RobustnessLimits`).
public enum MarginKind: String, CaseIterable, Codable, Sendable {
    /// Delivered ≤ the configured cap + the campaign's tolerance (µL).
    case cap
    /// Peak true syringe pressure ≤ the controller's pressure limit + the campaign's margin (kPa).
    case pressure
    /// After the front reached the posterior quarter, injection stopped within the
    /// observer's delay + the campaign's stop margin (ms). No event: 0 ms used. Never
    /// stopped: counted as twice the allowed time (margin −1).
    case stopLatency
    /// Cement that left by the epidural route, towards the canal (µL).
    case epiduralLeak
    /// How far the front went past the posterior quarter, as a share of the body's depth.
    case posteriorOvershoot
}

/// One margin of one run, with what it was measured against.
public struct Margin: Codable, Equatable, Sendable {
    public var kind: MarginKind
    /// The measured figure and its limit, in the unit of `kind` (µL, kPa, ms, µL, share).
    public var measured: Double
    public var limit: Double
    /// (limit − measured) / limit; negative: the invariant is broken.
    public var normalised: Double
}

/// The limits of the search's own margins, beside the campaign's invariants.
public struct RobustnessLimits: Equatable, Sendable {
    /// Epidural leak allowed: 100 µL, the volume at which the observer sees a leak by
    /// default (`ObserverPolicy.leakVisibleAbove`) and the campaign's "leaks over 100 µL" rate.
    public var epiduralLeak = Microliters(100)
    /// Front past the posterior quarter allowed: 0.10 of the depth, i.e. front ≤ 0.85,
    /// the bound scenarios 03 and 18 hold the controller to.
    public var posteriorOvershoot = 0.10
    /// The margins a run's robustness is the minimum of (all by default).
    public var counted: [MarginKind] = MarginKind.allCases

    public init() {}
}

/// A run's margins and its robustness: the smallest counted margin.
public struct Robustness: Codable, Equatable, Sendable {
    public var margins: [Margin]
    public var value: Double
    /// The margin that set `value`.
    public var worst: MarginKind
    public var violated: Bool { value < 0 }

    /// Measures `outcome`, a controller run of `scenario` judged by `campaign`'s invariants.
    public static func measure(_ outcome: RunOutcome, scenario: Scenario, campaign: CampaignSpec,
                               limits: RobustnessLimits) -> Robustness {
        let cap = VolumeBudget.cap(for: scenario.controller).0 + campaign.capTolerance
        let ceiling = scenario.controller.pressure.limit + campaign.pressureMargin
        // A zero allowance (observer delay and margin both 0) still needs a finite scale.
        let allowedStop = Swift.max((scenario.observer.reactionDelay + campaign.stopMargin).milliseconds, 1)
        let usedStop: Double
        if outcome.posteriorQuarterAt == nil { usedStop = 0 } else if let s = outcome.stopAfterPosteriorQuarter {
            usedStop = s.milliseconds
        } else { usedStop = 2 * allowedStop }
        let margins = [
            margin(.cap, outcome.delivered.rawValue, cap.rawValue),
            margin(.pressure, outcome.peakPressure.rawValue, ceiling.rawValue),
            margin(.stopLatency, usedStop, allowedStop),
            margin(.epiduralLeak, outcome.leaked.epidural.rawValue, limits.epiduralLeak.rawValue),
            margin(.posteriorOvershoot, outcome.frontBeyondPosteriorQuarter, limits.posteriorOvershoot),
        ]
        let counted = margins.filter { limits.counted.contains($0.kind) }
        let worst = counted.min { $0.normalised < $1.normalised } ?? margins[0]
        return Robustness(margins: margins, value: worst.normalised, worst: worst.kind)
    }

    static func margin(_ kind: MarginKind, _ measured: Double, _ limit: Double) -> Margin {
        Margin(kind: kind, measured: measured, limit: limit, normalised: (limit - measured) / limit)
    }
}
