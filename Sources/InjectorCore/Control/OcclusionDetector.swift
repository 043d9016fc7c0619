/// Declares an occlusion (setting cement, blocked needle) when pressure stays above a
/// threshold for a qualified time while injecting, or when pressure-limit releases
/// follow each other with hardly any cement delivered in between, or when the reading
/// rises too steeply per µL pushed (`StiffnessWindow`), whatever its offset.
public struct OcclusionDetector: Equatable, Sendable {
    private var stiffness: StiffnessWindow
    private var aboveSince: Instant?
    private var limitReleasesInARow = 0
    private var deliveredAtLastLimit: Microliters?
    let spec: FaultSpec

    public init(spec: FaultSpec) {
        self.spec = spec
        stiffness = StiffnessWindow(window: spec.occlusionStiffnessWindow)
    }

    /// The last measured rise per µL pushed (NaN until a whole window has been pushed).
    public var measuredStiffness: KilopascalsPerMicroliter { stiffness.slope }

    /// One tick while injecting, the plunger at `displaced`; returns `true` when the rise
    /// over the last window of new volume is steeper than `occlusionStiffness`.
    public mutating func observe(displaced: Microliters, pressure: Kilopascals) -> Bool {
        stiffness.advance(to: displaced, reading: pressure)
        // On raw values: `Comparable`'s default `>=` is `!(<)`, true for a NaN slope.
        return stiffness.slope.rawValue >= spec.occlusionStiffness.rawValue
    }

    public var isAboveThreshold: Bool { aboveSince != nil }

    /// One tick while injecting; returns `true` when occlusion qualifies.
    public mutating func observe(at now: Instant, pressure: Kilopascals) -> Bool {
        guard pressure >= spec.occlusionPressure else { aboveSince = nil; return false }
        let since = aboveSince ?? now
        aboveSince = since
        return now - since >= spec.occlusionQualifyTime
    }

    /// A release forced by the pressure limit; returns `true` when that makes an occlusion.
    public mutating func pressureLimitRelease(delivered: Microliters) -> Bool {
        if let last = deliveredAtLastLimit, delivered - last < spec.occlusionMinimumProgress {
            limitReleasesInARow += 1
        } else {
            limitReleasesInARow = 1
        }
        deliveredAtLastLimit = delivered
        return limitReleasesInARow >= spec.occlusionReleaseCount
    }

    /// Time above the threshold stops counting when injection stops.
    public mutating func injectionStopped() { aboveSince = nil }

    public mutating func reset() {
        aboveSince = nil
        limitReleasesInARow = 0
        deliveredAtLastLimit = nil
        stiffness.reset()
    }
}

/// The reading's rise per µL of new volume over the last `window` µL: volume counts
/// only where the plunger passes its furthest point so far, so a release's back-off
/// and the re-push that closes it add nothing, and the fall and rebuild around a
/// release cancel (counting the re-push would dilute a set needle's slope by the
/// back-off, about 90 µL in a 150 µL bolus). Marks the reading every quarter window
/// in a fixed ring of five, so the slope spans one to one and a quarter windows;
/// nothing allocated.
struct StiffnessWindow: Equatable, Sendable {
    /// Marks per window: finer costs state, coarser lets the span stretch further.
    static let marksPerWindow = 4
    private let segment: Double
    /// Readings at the last five marks, oldest first (fields, not a tuple: a tuple is
    /// not `Equatable`), and how many are filled.
    private var m0 = 0.0, m1 = 0.0, m2 = 0.0, m3 = 0.0, m4 = 0.0
    private var filled = 0
    /// Volume pushed since the newest mark.
    private var sinceMark = 0.0
    private(set) var slope = KilopascalsPerMicroliter(.nan)
    /// The furthest the plunger has been; NaN until the first observation.
    private var furthest = Double.nan

    init(window: Microliters) { segment = window.rawValue / Double(Self.marksPerWindow) }

    mutating func advance(to displaced: Microliters, reading: Kilopascals) {
        guard reading.rawValue.isFinite, !(displaced.rawValue <= furthest) else { return }
        let pushed = furthest.isNaN ? 0 : displaced.rawValue - furthest
        furthest = displaced.rawValue
        if filled == 0 {
            m4 = reading.rawValue
            filled = 1
            return
        }
        sinceMark += pushed
        if sinceMark >= segment {
            (m0, m1, m2, m3, m4) = (m1, m2, m3, m4, reading.rawValue)
            filled = Swift.min(filled + 1, Self.marksPerWindow + 1)
            sinceMark -= segment
        }
        guard filled > Self.marksPerWindow else { return }
        slope = KilopascalsPerMicroliter((reading.rawValue - m0)
                                         / (Double(Self.marksPerWindow) * segment + sinceMark))
    }

    mutating func reset() {
        filled = 0
        sinceMark = 0
        furthest = .nan
        slope = KilopascalsPerMicroliter(.nan)
    }
}
