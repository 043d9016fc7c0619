/// Suspects a leak within tens of milliseconds of its opening (issue 9, finding 6).
///
/// When a path opens at the tip, the tip pressure collapses and the needle's flow
/// jumps (in seed case 2 it doubles) while the plunger's does not change: the syringe
/// pressure turns from rising to falling at the rate the syringe discharges, about
/// 1 kPa per millisecond from 1 MPa. Nothing else at a steady push makes it fall like
/// that. `LeakDetector` waits for a 20 % fall within a second, by which time case 2 has
/// leaked 46 µL; this one compares the means of short buckets, so that the transducer's
/// noise (2 kPa SD per sample) averages down, and fires when the newest bucket's mean is
/// below the highest of the window's older means by `leakRapidDropFraction` of it and by
/// at least `leakRapidMinimumDrop`, the flow steady to `steadyFlowRatio` over the whole
/// window and for `settleTime` since it last fell. Fixed storage, no allocation; the
/// window is evaluated once per bucket.
///
/// Why the settling time: after the push slows (the pressure slowdown near the limit),
/// the pressure relaxes toward its new level with the time constant τ = R·C of needle
/// and syringe, falling at most at P/τ·e^(−t/τ) for t after the slowdown, whatever R
/// and C are. Over a window W that fall is a share of at most W/τ·e^(−t/τ) ≤ W/(e·t) of
/// P (the worst τ is t). So once t ≥ W/(e × leakRapidDropFraction), relaxation alone
/// cannot reach the drop fraction; `settleMargin` is kept above that.
public struct RapidLeakDetector: Sendable {
    public static let bucketCount = 8
    /// Stricter than `LeakDetector.steadyFlowRatio`: over a window this short a ramp of
    /// the commanded flow changes it by only a few per cent.
    public static let steadyFlowRatio = 0.95
    /// The settling time is this many times the bound above.
    public static let settleMargin = 1.5

    private var means = InlineArray<8, Double>(repeating: 0)
    private var minFlow = InlineArray<8, Double>(repeating: 0)
    private var maxFlow = InlineArray<8, Double>(repeating: 0)
    /// Index of the newest closed bucket, and how many closed buckets in a row are on record.
    private var newest = 0
    private var closed = 0
    private var sum = 0.0
    private var count = 0
    private var openMinFlow = 0.0
    private var openMaxFlow = 0.0
    private var bucketEnds: Instant = .origin
    private var watching = false
    /// The highest flow since the flow last fell below `steadyFlowRatio` of it, and when.
    private var flowReference = 0.0
    private var flowFellAt: Instant = .origin
    private var flowHasFallen = false
    let settleTime: Interval
    let bucketLength: Interval
    let dropFraction: Double
    let minimumDrop: Kilopascals
    let minimumPeak: Kilopascals

    public init(spec: FaultSpec) {
        bucketLength = Interval(nanoseconds: Swift.max(1, spec.leakRapidWindow.nanoseconds / Int64(Self.bucketCount)))
        dropFraction = spec.leakRapidDropFraction
        minimumDrop = spec.leakRapidMinimumDrop
        minimumPeak = spec.leakMinimumPeak
        let bound = spec.leakRapidWindow.seconds / (2.718_281_828_459_045 * spec.leakRapidDropFraction)
        settleTime = .seconds(bound * Self.settleMargin)
    }

    /// Whether a full window of steady forward flow is on record.
    public var isArmed: Bool { watching && closed >= Self.bucketCount }

    /// Forget the history (after a pause, a release, or any change of phase).
    public mutating func reset() {
        watching = false
        closed = 0
    }

    /// Records one tick of forward injection; returns `true` when a leak is suspected.
    public mutating func observe(at now: Instant, pressure: Kilopascals, flow: MicrolitersPerSecond) -> Bool {
        guard flow.rawValue > 0 else { reset(); return false }
        var suspected = false
        if !watching {
            watching = true
            closed = 0
            flowReference = flow.rawValue
            flowHasFallen = false
            open(at: now)
        } else if now >= bucketEnds {
            closeBucket()
            let settled = !flowHasFallen || now - flowFellAt >= settleTime
            suspected = settled && closed >= Self.bucketCount && newestFellFromTheWindow()
            open(at: now)
        }
        noteFlow(flow.rawValue, at: now)
        sum += pressure.rawValue
        count += 1
        openMinFlow = Swift.min(openMinFlow, flow.rawValue)
        openMaxFlow = Swift.max(openMaxFlow, flow.rawValue)
        return suspected
    }

    /// A push that slowed leaves a falling pressure behind it for a while (see above).
    private mutating func noteFlow(_ flow: Double, at now: Instant) {
        if flow < flowReference * Self.steadyFlowRatio {
            flowHasFallen = true
            flowFellAt = now
            flowReference = flow
        } else {
            flowReference = Swift.max(flowReference, flow)
        }
    }

    private mutating func open(at now: Instant) {
        sum = 0
        count = 0
        openMinFlow = .infinity
        openMaxFlow = 0
        bucketEnds = now + bucketLength
    }

    private mutating func closeBucket() {
        newest = (newest + 1) % Self.bucketCount
        means[newest] = count > 0 ? sum / Double(count) : 0
        minFlow[newest] = openMinFlow
        maxFlow[newest] = openMaxFlow
        closed = Swift.min(closed + 1, Self.bucketCount)
    }

    /// The newest mean against the highest older one, over a window of steady flow.
    private func newestFellFromTheWindow() -> Bool {
        var peak = 0.0
        var lowest = Double.infinity
        var highest = 0.0
        for i in 0..<Self.bucketCount {
            lowest = Swift.min(lowest, minFlow[i])
            highest = Swift.max(highest, maxFlow[i])
            if i != newest { peak = Swift.max(peak, means[i]) }
        }
        guard lowest >= highest * Self.steadyFlowRatio, peak >= minimumPeak.rawValue else { return false }
        let drop = peak - means[newest]
        return drop >= minimumDrop.rawValue && drop >= peak * dropFraction
    }
}
