import InjectorCore
import InjectorPlant

/// Which injector drove the plant.
public enum InjectorKind: String, Sendable, Codable {
    case controller
    /// The naive constant-rate pump.
    case baseline
}

/// What one run did to the simulated patient, measured on the plant's truth.
/// Times are counted from the scheduled start of injection.
public struct RunOutcome: Equatable, Sendable {
    public var kind: InjectorKind
    /// Cement that left the needle: into the body plus every leak path.
    public var delivered: Microliters
    public var intoBody: Microliters
    public var leaked: LeakPaths<Microliters>
    public var leakedTotal: Microliters { leaked.vein + leaked.epidural + leaked.needleTract + leaked.disc }
    public var peakPressure: Kilopascals
    public var finalPressure: Kilopascals
    /// Front position at the end (0 anterior … 1 posterior wall).
    public var front: Double
    /// How far past the posterior quarter (0.75) the front went, as a share of the depth.
    public var frontBeyondPosteriorQuarter: Double { Swift.max(0, front - CementFrontGeometry.posteriorQuarter) }
    public var posteriorQuarterAt: Interval?
    public var firstLeakAt: Interval?
    public var firstLeakPath: LeakPathKind?
    public var faultAt: Interval?
    /// From the event to the first tick at which the injector was no longer injecting.
    public var stopAfterPosteriorQuarter: Interval?
    public var stopAfterLeak: Interval?
    public var stopAfterFault: Interval?
    /// When injection started (after the scheduled start if refused at first), and ended.
    public var injectionStartedAt: Interval?
    public var injectionEndedAt: Interval?
    /// Controller only: state and reason at the end, and every reason it stopped for.
    public var finalState: InjectorState?
    public var finalReason: Reason
    public var stopReasons: [Reason]
    /// Controller only: its own estimate of delivered volume and its active cap at the end.
    public var estimatedDelivered: Microliters?
    public var resumes: Int
    public var ticks: Int
    /// A 64-bit hash over every tick's step position, pressure reading and state: equal
    /// hashes mean the runs were the same tick for tick.
    public var traceHash: UInt64
    public var canalTemperaturePeak: Celsius
    /// Controller only: ticks on which its final motion guard had to zero a forward rate
    /// (a path above let it through: expected 0), and steps the step generator clipped
    /// because a tick asked for more than the drive's burst bound (expected 0).
    public var guardTrips: UInt32 = 0
    public var stepsClipped: UInt64 = 0
    /// Controller only: the geometry check that disagreed, with both numbers (issue 9 finding 2).
    public var geometryFinding: GeometryFinding?
}

/// Folds every tick into a 64-bit hash: FNV-1a's xor-and-multiply taken a 64-bit word at
/// a time rather than a byte at a time, and the high half folded back into the low half
/// after each word so that every bit of a word reaches every bit of the hash. One
/// multiply per word instead of eight in a dependent chain (the byte-wise hash cost about
/// 30 ns of a 1 kHz tick).
struct TraceHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always) mutating func mix(_ word: UInt64) {
        value = (value ^ word) &* 0x0000_0100_0000_01b3
        value ^= value >> 32
    }
    @inline(__always) mutating func mix(_ d: Double) { mix(d.bitPattern) }
}

/// Watches the plant each tick for the moments a report measures time-to-stop from.
struct StopClock {
    let start: Instant
    let faultAt: Instant?
    var stopAfterPosteriorQuarter: Interval?
    var stopAfterLeak: Interval?
    var stopAfterFault: Interval?
    var injectionStartedAt: Instant?
    var injectionEndedAt: Instant?

    /// `injecting`: whether the injector is in its injecting phase this tick. Takes the
    /// two plant figures it needs rather than the plant's state (336 bytes, copied at each
    /// call); `firstLeakAt` is only worked out while stopped and not yet timed.
    @inline(__always) mutating func observe(posteriorQuarterReachedAt: @autoclosure () -> Instant?,
                                            firstLeakAt: @autoclosure () -> Instant?,
                                            now: Instant, injecting: Bool) {
        if injecting {
            if injectionStartedAt == nil { injectionStartedAt = now }
            injectionEndedAt = nil
        } else if injectionStartedAt != nil, injectionEndedAt == nil {
            injectionEndedAt = now
        }
        guard !injecting else { return }
        if stopAfterPosteriorQuarter == nil, let at = posteriorQuarterReachedAt() { stopAfterPosteriorQuarter = now - at }
        if stopAfterLeak == nil, let at = firstLeakAt() { stopAfterLeak = now - at }
        if stopAfterFault == nil, let at = faultAt, now >= at { stopAfterFault = now - at }
    }

    func outcome(kind: InjectorKind, plant: VertebroplastyPlant, peakCanal: Celsius, ticks: Int,
                 hash: UInt64) -> RunOutcome {
        let s = plant.state
        let leaks = s.leaks.map(\.leaked)
        let delivered = s.deliveredToBody + leaks.vein + leaks.epidural + leaks.needleTract + leaks.disc
        let first = s.firstLeak
        return RunOutcome(
            kind: kind, delivered: delivered, intoBody: s.deliveredToBody, leaked: leaks,
            peakPressure: s.peakSyringePressure, finalPressure: s.syringePressure, front: s.frontPosition,
            posteriorQuarterAt: s.posteriorQuarterReachedAt.map { $0 - start },
            firstLeakAt: first.map { $0.at - start }, firstLeakPath: first?.kind,
            faultAt: faultAt.map { $0 - start },
            stopAfterPosteriorQuarter: stopAfterPosteriorQuarter, stopAfterLeak: stopAfterLeak,
            stopAfterFault: stopAfterFault,
            injectionStartedAt: injectionStartedAt.map { $0 - start },
            injectionEndedAt: injectionEndedAt.map { $0 - start },
            finalState: nil, finalReason: .none, stopReasons: [], estimatedDelivered: nil, resumes: 0,
            ticks: ticks, traceHash: hash, canalTemperaturePeak: peakCanal)
    }
}
