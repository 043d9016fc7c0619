import Foundation
import InjectorCore
import InjectorPlant

/// One thing a scenario says must hold at the end of a run.
///
/// Harm expectations (volumes, front, pressure, time to stop) are judged on both the
/// controller's run and the baseline's, so the report shows which the naive pump
/// breaks; state expectations concern the controller only.
public enum Expectation: Equatable, Sendable {
    /// Cement out of the needle ≤ the controller's configured cap + tolerance.
    case deliveredWithinCap(tolerance: Microliters)
    case deliveredAtMost(Microliters)
    case deliveredAtLeast(Microliters)
    /// Leaked by all paths together.
    case leakedAtMost(Microliters)
    case leakedOnPathAtMost(LeakPathKind, Microliters)
    /// If the front reached the posterior quarter, injection stopped within this long.
    case stopWithinAfterPosteriorQuarter(Interval)
    /// If a leak path opened, injection stopped within this long.
    case stopWithinAfterLeak(Interval)
    /// If a fault was injected, injection stopped within this long of its start.
    case stopWithinAfterFault(Interval)
    /// The front ended no deeper than this (0 anterior … 1 posterior wall).
    case frontAtMost(Double)
    case peakPressureAtMost(Kilopascals)
    /// Syringe pressure at the end of the run.
    case pressureRelievedBelow(Kilopascals)
    /// Controller only: the state at the end.
    case finalState(InjectorState)
    /// Controller only: it stopped for this reason at least once.
    case stoppedFor(Reason)
    /// The naive pump breaks at least one harm expectation of the scenario.
    case baselineFails

    /// Whether the expectation is about harm to the patient, judged on both runs.
    public var isHarm: Bool {
        switch self {
        case .finalState, .stoppedFor, .baselineFails: false
        default: true
        }
    }

    /// The expectation in words, for the report.
    public var summary: String {
        switch self {
        case .deliveredWithinCap(let t): "delivered ≤ cap + \(t)"
        case .deliveredAtMost(let v): "delivered ≤ \(v)"
        case .deliveredAtLeast(let v): "delivered ≥ \(v)"
        case .leakedAtMost(let v): "leaked ≤ \(v)"
        case .leakedOnPathAtMost(let k, let v): "leaked (\(k)) ≤ \(v)"
        case .stopWithinAfterPosteriorQuarter(let i): "stop ≤ \(Int(i.milliseconds)) ms after posterior quarter"
        case .stopWithinAfterLeak(let i): "stop ≤ \(Int(i.milliseconds)) ms after leak opens"
        case .stopWithinAfterFault(let i): "stop ≤ \(Int(i.milliseconds)) ms after the fault"
        case .frontAtMost(let x): "front ≤ \(x)"
        case .peakPressureAtMost(let p): "peak pressure ≤ \(p)"
        case .pressureRelievedBelow(let p): "final pressure < \(p)"
        case .finalState(let s): "final state \(s)"
        case .stoppedFor(let r): "stopped for \(r)"
        case .baselineFails: "naive pump breaks a harm expectation"
        }
    }
}

/// The verdict on one expectation for one run.
public struct Verdict: Equatable, Sendable {
    public var expectation: Expectation
    public var passed: Bool
    /// What was measured, in words.
    public var measured: String
}

extension Expectation {
    /// Judges one run. `cap` is the controller's configured cap (the baseline is held to it too).
    public func judge(_ r: RunOutcome, cap: Microliters) -> Verdict {
        func v(_ ok: Bool, _ measured: String) -> Verdict { Verdict(expectation: self, passed: ok, measured: measured) }
        func stop(_ s: Interval?, event: Interval?, within limit: Interval) -> Verdict {
            guard event != nil else { return v(true, "no event") }
            guard let s else { return v(false, "never stopped") }
            return v(s <= limit, "\(Int(s.milliseconds.rounded())) ms")
        }
        switch self {
        case .deliveredWithinCap(let t):
            return v(r.delivered <= cap + t, "\(r.delivered) (cap \(cap))")
        case .deliveredAtMost(let x): return v(r.delivered <= x, r.delivered.description)
        case .deliveredAtLeast(let x): return v(r.delivered >= x, r.delivered.description)
        case .leakedAtMost(let x): return v(r.leakedTotal <= x, r.leakedTotal.description)
        case .leakedOnPathAtMost(let k, let x): return v(r.leaked[k] <= x, r.leaked[k].description)
        case .stopWithinAfterPosteriorQuarter(let i):
            return stop(r.stopAfterPosteriorQuarter, event: r.posteriorQuarterAt, within: i)
        case .stopWithinAfterLeak(let i):
            return stop(r.stopAfterLeak, event: r.firstLeakAt, within: i)
        case .stopWithinAfterFault(let i):
            return stop(r.stopAfterFault, event: r.faultAt, within: i)
        case .frontAtMost(let x): return v(r.front <= x, String(format: "%.3f", r.front))
        case .peakPressureAtMost(let p): return v(r.peakPressure <= p, r.peakPressure.description)
        case .pressureRelievedBelow(let p): return v(r.finalPressure < p, r.finalPressure.description)
        case .finalState(let s):
            return v(r.finalState == s, r.finalState.map { "\($0) (\(r.finalReason))" } ?? "n/a")
        case .stoppedFor(let reason):
            return v(r.stopReasons.contains(reason), r.stopReasons.isEmpty ? "none" : r.stopReasons.map(\.description).joined(separator: ", "))
        case .baselineFails:
            return v(false, "judged on the pair")
        }
    }
}
