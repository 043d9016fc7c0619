/// Suspects a leak when pressure falls sharply while the plunger keeps pushing.
///
/// When cement finds a low-resistance path (a vein, the needle tract, a cortical
/// defect) the syringe pressure drops although the motor's flow has not changed:
/// the "loss of resistance" a hand on the syringe would feel. The detector keeps the
/// last `window` of pressure and flow as `bucketCount` bucket extremes (fixed storage,
/// no allocation) and fires when pressure is below the window's peak by more than
/// `dropFraction`, the peak was at least `minimumPeak`, and the flow stayed steady over
/// the whole window (so a slowdown is not mistaken for a leak).
public struct LeakDetector: Sendable {
    public static let bucketCount = 8
    /// Flow counts as steady while its minimum over the window is at least this share of its maximum.
    public static let steadyFlowRatio = 0.85

    private var peakPressure = InlineArray<8, Double>(repeating: 0)
    private var minFlow = InlineArray<8, Double>(repeating: 0)
    private var maxFlow = InlineArray<8, Double>(repeating: 0)
    /// The open bucket's extremes, kept apart from the closed ones so that a tick
    /// updates three scalars; they are stored when the bucket closes.
    private var openPeak = 0.0
    private var openMinFlow = 0.0
    private var openMaxFlow = 0.0
    private var bucket = 0
    private var closedPeak = 0.0
    private var closedMinFlow = Double.infinity
    private var closedMaxFlow = 0.0
    private var filled = 0
    private var bucketEnds: Instant = .origin
    private var watching = false
    let bucketLength: Interval
    let dropFraction: Double
    let minimumPeak: Kilopascals

    public init(spec: FaultSpec) {
        bucketLength = Interval(nanoseconds: Swift.max(1, spec.leakWindow.nanoseconds / Int64(Self.bucketCount)))
        dropFraction = spec.leakDropFraction
        minimumPeak = spec.leakMinimumPeak
    }

    /// Whether a full window of steady forward flow is on record.
    public var isArmed: Bool { watching && filled >= Self.bucketCount }

    /// The highest pressure of the window on record; `nil` while nothing is (read it
    /// before `reset`: at a leak stop it is the injection pressure before the drop).
    public var recentPeak: Kilopascals? {
        guard watching, filled > 0 else { return nil }
        return Kilopascals(Swift.max(closedPeak, openPeak))
    }

    /// Forget the history (after a pause, a release, or any change of phase).
    public mutating func reset() {
        watching = false
        filled = 0
    }

    /// Records one tick of forward injection; returns `true` when a leak is suspected.
    @inline(__always)
    public mutating func observe(at now: Instant, pressure: Kilopascals, flow: MicrolitersPerSecond) -> Bool {
        guard flow.rawValue > 0 else { reset(); return false }
        if !watching {
            watching = true
            filled = 0
            bucket = 0
            startBucket(at: now, pressure: pressure, flow: flow)
        } else if now >= bucketEnds {
            peakPressure[bucket] = openPeak
            minFlow[bucket] = openMinFlow
            maxFlow[bucket] = openMaxFlow
            bucket = (bucket + 1) % Self.bucketCount
            startBucket(at: now, pressure: pressure, flow: flow)
        } else {
            openPeak = Swift.max(openPeak, pressure.rawValue)
            openMinFlow = Swift.min(openMinFlow, flow.rawValue)
            openMaxFlow = Swift.max(openMaxFlow, flow.rawValue)
        }
        guard filled >= Self.bucketCount else { return false }

        // The other buckets' extremes change only when a bucket rolls over (cached then);
        // the current bucket's are folded in every tick.
        let peak = Swift.max(closedPeak, openPeak)
        let lowest = Swift.min(closedMinFlow, openMinFlow)
        let highest = Swift.max(closedMaxFlow, openMaxFlow)
        let steady = lowest >= highest * Self.steadyFlowRatio
        return steady && peak >= minimumPeak.rawValue && pressure.rawValue < peak * (1 - dropFraction)
    }

    private mutating func startBucket(at now: Instant, pressure: Kilopascals, flow: MicrolitersPerSecond) {
        // Extremes of the buckets other than the one starting now (it overwrites the oldest).
        closedPeak = 0
        closedMinFlow = .infinity
        closedMaxFlow = 0
        for i in 0..<Self.bucketCount where i != bucket && i < filled {
            closedPeak = Swift.max(closedPeak, peakPressure[i])
            closedMinFlow = Swift.min(closedMinFlow, minFlow[i])
            closedMaxFlow = Swift.max(closedMaxFlow, maxFlow[i])
        }
        openPeak = pressure.rawValue
        openMinFlow = flow.rawValue
        openMaxFlow = flow.rawValue
        bucketEnds = now + bucketLength
        filled = Swift.min(filled + 1, Self.bucketCount + 1)
    }
}

/// After a leak stop (seen or suspected): the injection pressure before the drop, and
/// whether a later injection has brought it back toward that level (issue 9, finding 3).
///
/// A path that the pause let thicken builds back-pressure again; one still open keeps it
/// low. From each start or resume (not the restart after a release cycle) the pressure
/// has `leakRecoveryWindow` to reach `leakRecoveryFraction` of the pre-leak level; once
/// it has, the watch ends. Until then `observe` reports each window that ran out.
public struct LeakRecoveryWatch: Equatable, Sendable {
    /// The level to recover toward, while a recovery is owed.
    public private(set) var preLeakPressure: Kilopascals = .zero
    public private(set) var isPending = false
    private var deadline: Instant = .origin
    private var running = false
    let fraction: Double
    let window: Interval

    public init(spec: FaultSpec) {
        fraction = spec.leakRecoveryFraction
        window = spec.leakRecoveryWindow
    }

    /// A leak stop with `pressure` the injection pressure before the drop. A second one
    /// before recovery keeps the higher level: the one before the first drop.
    public mutating func leakStopped(preLeak pressure: Kilopascals) {
        preLeakPressure = isPending ? Swift.max(preLeakPressure, pressure) : pressure
        isPending = true
        running = false
    }

    /// Injection starts or resumes at `now`: a window opens if a recovery is owed.
    public mutating func injectionResumed(at now: Instant) {
        guard isPending else { return }
        running = true
        deadline = now + window
    }

    /// Injection stopped (a pause, not a release cycle): the window closes.
    public mutating func injectionStopped() { running = false }

    /// A new level: the last level's leak says nothing about this one.
    public mutating func reset() {
        isPending = false
        running = false
    }

    /// One tick of injection at `pressure`; `true` when the window ran out unrecovered.
    public mutating func observe(at now: Instant, pressure: Kilopascals) -> Bool {
        guard isPending, running else { return false }
        if pressure >= preLeakPressure * fraction {
            isPending = false
            running = false
            return false
        }
        return now >= deadline
    }
}
