/// Declares an occlusion (setting cement, blocked needle) when pressure stays above a
/// threshold for a qualified time while injecting, or when pressure-limit releases
/// follow each other with hardly any cement delivered in between.
public struct OcclusionDetector: Equatable, Sendable {
    private var aboveSince: Instant?
    private var limitReleasesInARow = 0
    private var deliveredAtLastLimit: Microliters?
    let spec: FaultSpec

    public init(spec: FaultSpec) { self.spec = spec }

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
    }
}
