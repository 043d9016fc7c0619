import InjectorCore

/// The thresholds each run is judged against (docs/safety.md, "Fault-injection matrix").
public struct FaultJudgeLimits: Sendable, Equatable {
    /// (b) True syringe pressure at or below this counts as relieved: the release's
    /// `releasedBelow` (150 kPa shipped) plus 50 kPa for the reading's noise and lag.
    public var reliefPressure = Kilopascals(200)
    /// (b) within this after the stop: the back-off's timeout (3 s) and the dwell (1.5 s),
    /// plus 0.5 s.
    public var reliefTime = Interval.seconds(5)
    /// (c) Delivered may exceed the active cap by this: two motor steps (docs/safety.md,
    /// invariant 1).
    public var capTolerance = Microliters(0.10)
    /// A run with no stop this long after the onset is judged undetected.
    public var detectionWindow = Interval.seconds(40)
    /// After the stop the run goes on this long: relief, dwell, and stored cement bleeding out.
    public var settle = Interval.seconds(10)
    /// Forward travel after the stop above this is motion (a thousandth of a step: rounding).
    public var forwardTolerance = Microliters(0.00005)

    public init() {}
}

/// One point's verdict for one run.
public enum PointVerdict: Sendable, Equatable {
    case pass
    case fail(String)
    case notApplicable(String)

    public var passed: Bool { if case .fail = self { false } else { true } }
}

/// A run judged on the four points.
public struct FaultRunVerdict: Sendable {
    public var plan: FaultRunPlan
    public var observation: FaultRunObservation
    public var points: [FaultPoint: PointVerdict]
    /// The onset never came (the state was left or never reached): the run is not judged.
    public var onsetMissed: Bool { observation.onsetAt == nil }
    public var passed: Bool { onsetMissed || points.values.allSatisfy(\.passed) }
}

public enum FaultJudge {
    /// Judges one run's observation on (a)–(d).
    public static func judge(_ plan: FaultRunPlan, _ o: FaultRunObservation,
                             limits: FaultJudgeLimits = FaultJudgeLimits()) -> FaultRunVerdict {
        var points: [FaultPoint: PointVerdict] = [:]
        for point in FaultPoint.allCases {
            if let why = plan.fault.notApplicable(point, in: plan.state) {
                points[point] = .notApplicable(why)
                continue
            }
            if point == .relieved, cutShortByDriveFault(o, limits) {
                points[point] = .notApplicable(driveOutOfControlReason)
                continue
            }
            if point != .withinCap, isLatent(o, limits) {
                points[point] = .notApplicable(latentReason)
                continue
            }
            points[point] = verdict(point, o, limits)
        }
        return FaultRunVerdict(plan: plan, observation: o, points: points)
    }

    /// Not detected, and the plunger never went forward after the onset: a frozen reading
    /// at rest, an inverted DIR with no step to take. Nothing to stop, relieve or log yet;
    /// the cap is still judged.
    public static func isLatent(_ o: FaultRunObservation, _ limits: FaultJudgeLimits) -> Bool {
        o.onsetAt != nil && o.reactionAt == nil && o.forwardAfterOnset <= limits.forwardTolerance
    }

    /// A position disagreement latched at the stop or before its relief was done: from
    /// then on the driver is off and nothing is relieved, by design.
    static func cutShortByDriveFault(_ o: FaultRunObservation, _ limits: FaultJudgeLimits) -> Bool {
        guard let fault = o.driveFaultAt, let stop = o.reactionAt else { return false }
        let relievedFirst = o.relievedAt.map { $0 < fault } ?? false
        return !relievedFirst && fault <= stop + limits.reliefTime
    }

    public static let driveOutOfControlReason = "a position disagreement latched at the stop or during its relief: by "
        + "design the driver is disabled and nothing relieved, as after an e-stop (the drive does not follow its steps)"

    public static let latentReason = "latent (not detected, and nothing moved forward after the onset within the window)"

    static func verdict(_ point: FaultPoint, _ o: FaultRunObservation, _ limits: FaultJudgeLimits) -> PointVerdict {
        switch point {
        case .stopped:
            guard o.reactionAt != nil else { return .fail("no stop within \(limits.detectionWindow) of the onset") }
            return o.forwardAfterStop <= limits.forwardTolerance ? .pass
                : .fail("\(o.forwardAfterStop) forward after the stop")
        case .relieved:
            guard let stop = o.reactionAt else { return .fail("no stop") }
            guard let relieved = o.relievedAt else {
                return .fail("never at or below \(limits.reliefPressure) (\(o.pressureAtReaction) at the stop)")
            }
            return relieved - stop <= limits.reliefTime ? .pass : .fail("relieved \(relieved - stop) after the stop")
        case .withinCap:
            if o.delivered > o.cap + limits.capTolerance { return .fail("\(o.delivered) delivered, cap \(o.cap)") }
            if let ledger = o.ledgerAtCut, o.delivered > ledger + limits.capTolerance {
                return .fail("\(o.delivered) delivered, the persisted ledger counts \(ledger)")
            }
            return .pass
        case .logged:
            return o.named ? .pass : .fail(o.reactionAt == nil ? "no event named the fault, no stop"
                : "no event named the fault; stopped for \(o.reactionReason)")
        }
    }
}
