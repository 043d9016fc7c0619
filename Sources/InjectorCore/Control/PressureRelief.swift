/// Drops pressure by backing the screw off, then holds still.
///
/// Backing off ends after its volume (`backoffVolume` in a release cycle,
/// `stopBackoffVolume` after a stop), or as soon as pressure is below
/// `releasedBelow`, or at the rear end of travel; then the dwell runs. A back-off that
/// has not ended within `backoffTimeout` means relief failed.
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
    let spec: ReleaseSpec

    public init(spec: ReleaseSpec) { self.spec = spec }

    public var isActive: Bool { phase != .none }

    /// Starts a relief; a back-off already under way carries on from where it began,
    /// taking the larger of the two volumes.
    public mutating func begin(at now: Instant, displaced: Microliters, afterStop: Bool) {
        let wanted = afterStop ? spec.stopBackoffVolume : spec.backoffVolume
        if phase == .backingOff {
            volume = Swift.max(volume, wanted)
            return
        }
        phase = .backingOff
        startedAt = now
        startDisplaced = displaced
        volume = wanted
    }

    public mutating func cancel() { phase = .none }

    public mutating func advance(at now: Instant, displaced: Microliters, pressure: Kilopascals,
                                 rearEndOfTravel: Activation) -> Outcome {
        switch phase {
        case .none:
            return .idle
        case .backingOff:
            let backedOff = startDisplaced - displaced
            if backedOff >= volume || pressure < spec.releasedBelow || rearEndOfTravel.isActive {
                phase = .dwelling
                dwellUntil = now + spec.dwell
                return now >= dwellUntil ? finish() : .dwelling
            }
            if now - startedAt > spec.backoffTimeout {
                phase = .none
                return .failed
            }
            return .backingOff(spec.backoffFlow)
        case .dwelling:
            return now >= dwellUntil ? finish() : .dwelling
        }
    }

    private mutating func finish() -> Outcome {
        phase = .none
        return .finished
    }
}
