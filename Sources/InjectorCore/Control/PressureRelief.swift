/// Drops pressure by backing the screw off, then holds still.
///
/// Backing off ends after its volume (`backoffVolume` in a release cycle,
/// `stopBackoffVolume` after a stop), or as soon as pressure is below
/// `releasedBelow`, or at the rear end of travel; then the dwell runs. A back-off that
/// has not ended within `backoffTimeout` means relief failed.
///
/// A pressure reading that was not to be trusted when the back-off began, or is not
/// now (faulted, stale, frozen, disagreeing with its twin), cannot end it: then the
/// back-off runs its full volume (relief by volume). A reading stuck low would
/// otherwise end it at once and leave the syringe's stored volume to flow on.
public struct PressureRelief: Equatable, Sendable {
    public enum Outcome: Equatable, Sendable {
        case idle
        /// Back off at this (positive) flow.
        case backingOff(MicrolitersPerSecond)
        case dwelling
        /// Relief just finished this tick.
        case finished
        case failed
    }

    public private(set) var phase: ReliefPhase = .none
    private var startedAt: Instant = .origin
    private var startDisplaced: Microliters = .zero
    private var volume: Microliters = .zero
    private var dwellUntil: Instant = .origin
    /// The reading was untrusted at some point of this back-off: only its volume ends it.
    public private(set) var byVolume = false
    /// The back-off's flow: `stopBackoffFlow` once a stop asked for it.
    public private(set) var flow: MicrolitersPerSecond = .zero
    let spec: ReleaseSpec

    public init(spec: ReleaseSpec) { self.spec = spec }

    public var isActive: Bool { phase != .none }

    /// Starts a relief; a back-off already under way carries on from where it began,
    /// taking the larger of the two volumes (and relieving by volume if either start
    /// distrusted the reading). `pressureTrusted` says whether the reading at the stop
    /// may end the back-off early.
    public mutating func begin(at now: Instant, displaced: Microliters, afterStop: Bool, pressureTrusted: Bool = true) {
        let wanted = afterStop ? spec.stopBackoffVolume : spec.backoffVolume
        let wantedFlow = afterStop ? spec.stopBackoffFlow : spec.backoffFlow
        if phase == .backingOff {
            volume = Swift.max(volume, wanted)
            flow = Swift.max(flow, wantedFlow)
            byVolume = byVolume || !pressureTrusted
            return
        }
        phase = .backingOff
        startedAt = now
        startDisplaced = displaced
        volume = wanted
        flow = wantedFlow
        byVolume = !pressureTrusted
    }

    public mutating func cancel() { phase = .none }

    /// One tick of relief. `pressureTrusted` is whether `pressure` is a reading to act on
    /// now; once it is not, this back-off ends only by volume (or at the rear end).
    public mutating func advance(at now: Instant, displaced: Microliters, pressure: Kilopascals,
                                 pressureTrusted: Bool = true, rearEndOfTravel: Activation) -> Outcome {
        switch phase {
        case .none:
            return .idle
        case .backingOff:
            if !pressureTrusted { byVolume = true }
            let backedOff = startDisplaced - displaced
            let lowEnough = !byVolume && pressure < spec.releasedBelow
            if backedOff >= volume || lowEnough || rearEndOfTravel.isActive {
                phase = .dwelling
                dwellUntil = now + spec.dwell
                return now >= dwellUntil ? finish() : .dwelling
            }
            if now - startedAt > spec.backoffTimeout {
                phase = .none
                return .failed
            }
            return .backingOff(flow)
        case .dwelling:
            return now >= dwellUntil ? finish() : .dwelling
        }
    }

    private mutating func finish() -> Outcome {
        phase = .none
        return .finished
    }
}
