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
    /// Below 1 by far more than rounding: the bound's pre-check may only ever pass more.
    static let boundSlack = 1 - 1e-9

    private var means = InlineArray<8, Double>(repeating: 0)
    /// Index of the newest closed bucket, and how many closed buckets in a row are on record.
    private var newest = 0
    private var closed = 0
    /// At least the highest of the older means (never below it): the newest mean is
    /// compared with this first, and the window is searched only when it might have
    /// fallen far enough. At a steady push the pressure rises, so that is rare.
    private var olderPeakBound = 0.0
    private var sum = 0.0
    private var count = 0
    private var bucketEnds: Instant = .origin
    private var watching = false
    /// The flow counts as steady while it stays within a band around a reference: from
    /// `√steadyFlowRatio` of it to its inverse, so that no two flows in the band differ by
    /// more than `steadyFlowRatio`. A flow outside the band becomes the new reference, at
    /// `steadySince`; one below it is a fall, at `flowFellAt`. Two comparisons a tick.
    private var bandLow = Double.infinity
    private var bandHigh = 0.0
    private var steadySince: Instant = .origin
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
        bandLow = .infinity
    }

    /// Records one tick of forward injection; returns `true` when a leak is suspected.
    ///
    /// Four of every five ticks only add to the bucket: the flow inside its band (which
    /// is empty while not watching, and never holds a flow of zero or less) and the
    /// bucket still open. Everything else is `observeRarely`, kept out of line so that
    /// the tick's common path stays a few comparisons.
    @inline(__always)
    public mutating func observe(at now: Instant, pressure: Kilopascals, flow: MicrolitersPerSecond) -> Bool {
        if now < bucketEnds && flow.rawValue >= bandLow && flow.rawValue <= bandHigh {
            sum += pressure.rawValue
            count += 1
            return false
        }
        return observeRarely(at: now, pressure: pressure, flow: flow)
    }

    @inline(never)
    private mutating func observeRarely(at now: Instant, pressure: Kilopascals, flow: MicrolitersPerSecond) -> Bool {
        guard flow.rawValue > 0 else { reset(); return false }
        var suspected = false
        if !watching {
            watching = true
            closed = 0
            olderPeakBound = 0
            flowHasFallen = false
            rebase(flow.rawValue, at: now)
            open(at: now)
        } else if now >= bucketEnds {
            closeBucket()
            suspected = closed >= Self.bucketCount && steadyAndSettled(at: now) && newestFellFromTheWindow()
            open(at: now)
        }
        if flow.rawValue < bandLow {
            flowHasFallen = true
            flowFellAt = now
            rebase(flow.rawValue, at: now)
        } else if flow.rawValue > bandHigh {
            rebase(flow.rawValue, at: now)
        }
        sum += pressure.rawValue
        count += 1
        return suspected
    }

    /// Steady over the whole window, and long enough after the push last slowed (see above).
    @inline(__always) private func steadyAndSettled(at now: Instant) -> Bool {
        now - steadySince >= bucketLength * Int64(Self.bucketCount)
            && (!flowHasFallen || now - flowFellAt >= settleTime)
    }

    private mutating func rebase(_ flow: Double, at now: Instant) {
        let half = Self.steadyFlowRatio.squareRoot()
        bandLow = flow * half
        bandHigh = flow / half
        steadySince = now
    }

    private mutating func open(at now: Instant) {
        sum = 0
        count = 0
        bucketEnds = now + bucketLength
    }

    @inline(__always) private mutating func closeBucket() {
        // The bucket that was newest becomes one of the older ones.
        if closed > 0 { olderPeakBound = Swift.max(olderPeakBound, means[newest]) }
        newest = (newest + 1) % Self.bucketCount
        means[newest] = count > 0 ? sum / Double(count) : 0
        closed = Swift.min(closed + 1, Self.bucketCount)
    }

    /// The newest mean against the highest older one, over a window of steady flow.
    /// Mutating only so that it reads the ring in place instead of copying it.
    @inline(__always) private mutating func newestFellFromTheWindow() -> Bool {
        // The peak is at most the bound, so a drop from the bound too small to count
        // rules it out; the slack keeps rounding from ruling out a drop at the threshold.
        let boundDrop = olderPeakBound - means[newest]
        guard boundDrop >= minimumDrop.rawValue,
              boundDrop >= olderPeakBound * dropFraction * Self.boundSlack else { return false }
        // Branch-free: the newest slot reads as 0, below any pressure that counts.
        var peak = 0.0
        for i in 0..<Self.bucketCount { peak = Swift.max(peak, i == newest ? 0 : means[i]) }
        olderPeakBound = peak
        guard peak >= minimumPeak.rawValue else { return false }
        let drop = peak - means[newest]
        return drop >= minimumDrop.rawValue && drop >= peak * dropFraction
    }
}
