import InjectorCore
import InjectorPlant

/// The invariants a falsification search measures its distance to. Each margin is
/// (limit − measured) / scale: 0 on the limit, negative past it (a violation), and
/// the scale says what a margin of 1 is. The campaign's three invariants are each a
/// quantity the controller may use up plus an allowance (the cap + the tolerance, the
/// pressure limit + the pressure margin, the observer's delay + the stop margin):
/// reaching the cap or the limit, or stopping when the observer presses, is the
/// controller working, so their scale is the allowance (1: the run ended one allowance
/// short of breaking; more below), not the whole limit, which made every run that
/// reached the cap (0.015) or the posterior quarter with a slow observer (0.047) look
/// nearly broken and drew the search into those basins. The search's own two margins
/// are scaled by their limit (1: nothing of it used).
/// The first three are the campaign's invariants and break exactly when
/// `Expectation.judge` fails them; the last two are limits of the search's own
/// (`RobustnessLimits`).
public enum MarginKind: String, CaseIterable, Codable, Sendable {
    /// Delivered ≤ the configured cap + the campaign's tolerance (µL); scale: the
    /// tolerance (the cap itself if the tolerance is 0).
    case cap
    /// Peak true syringe pressure ≤ the controller's pressure limit + the campaign's
    /// margin (kPa); scale: the margin (the whole ceiling if the margin is not positive).
    case pressure
    /// After the front reached the posterior quarter, injection stopped within the
    /// observer's delay + the campaign's stop margin (ms); scale: the stop margin (the
    /// whole allowed time if the margin is 0). No event: 0 ms used. Never stopped:
    /// counted as twice the allowed time.
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
    /// What a margin of 1 is, in the same unit.
    public var scale: Double
    /// (limit − measured) / scale; negative: the invariant is broken.
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
        let capScale = campaign.capTolerance.rawValue > 0 ? campaign.capTolerance.rawValue : cap.rawValue
        let pressureScale = campaign.pressureMargin.rawValue > 0 ? campaign.pressureMargin.rawValue : ceiling.rawValue
        let margins = [
            margin(.cap, outcome.delivered.rawValue, cap.rawValue, scale: capScale),
            margin(.pressure, outcome.peakPressure.rawValue, ceiling.rawValue, scale: pressureScale),
            margin(.stopLatency, usedStop, allowedStop,
                   scale: campaign.stopMargin.milliseconds > 0 ? campaign.stopMargin.milliseconds : allowedStop),
            margin(.epiduralLeak, outcome.leaked.epidural.rawValue, limits.epiduralLeak.rawValue),
            margin(.posteriorOvershoot, outcome.frontBeyondPosteriorQuarter, limits.posteriorOvershoot),
        ]
        let counted = margins.filter { limits.counted.contains($0.kind) }
        let worst = counted.min { $0.normalised < $1.normalised } ?? margins[0]
        return Robustness(margins: margins, value: worst.normalised, worst: worst.kind)
    }

    /// `scale` defaults to the limit; a positive scale keeps the sign of limit − measured.
    static func margin(_ kind: MarginKind, _ measured: Double, _ limit: Double, scale: Double? = nil) -> Margin {
        let s = scale ?? limit
        return Margin(kind: kind, measured: measured, limit: limit, scale: s, normalised: (limit - measured) / s)
    }
}
