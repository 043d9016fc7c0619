import InjectorCore

/// What has happened on one leak path.
public struct LeakPathState: Equatable, Sendable {
    public var isOpen: Bool
    public var openedAt: Instant?
    /// Cement that has left the body by this path.
    public var leaked: Microliters
    /// Flow along the path in the last step.
    public var flow: MicrolitersPerSecond

    public static let closed = LeakPathState(isOpen: false, openedAt: nil, leaked: .zero, flow: .zero)
}

/// The plant's truth after a step: what really happened, before any sensor sees it.
public struct PlantState: Equatable, Sendable {
    public var time: Instant
    /// Time since the start of mixing.
    public var cementAge: Interval

    // Drive and syringe
    public var commandedSteps: Steps
    /// Commanded steps that did not turn the screw (missed or stalled).
    public var lostSteps: Double
    public var plungerTravel: Millimeters
    /// Volume the plunger has displaced from its loaded position.
    public var displacedVolume: Microliters
    public var atForwardEnd: Bool
    public var syringePressure: Kilopascals
    /// Force on the plunger, F = p·A, as a load cell under it would read.
    public var plungerForce: Newtons
    /// Volume held in the compliance (negative after backing off past zero pressure).
    public var storedVolume: Microliters
    /// Gap between seal and cement after backing off past the suction floor.
    public var gap: Microliters
    public var peakSyringePressure: Kilopascals

    // Needle and cement
    public var needleFlow: MicrolitersPerSecond
    /// Cement in the needle; the needle is primed when this reaches its dead volume.
    public var needleFill: Microliters
    public var tipPressure: Kilopascals
    public var consistency: PascalSecondsToTheN
    /// The cement has set: nothing flows through the needle any more.
    public var isOccluded: Bool

    // Body and leaks
    public var deliveredToBody: Microliters
    public var bodyFlow: MicrolitersPerSecond
    /// 0 at the anterior cortex … 1 at the posterior wall.
    public var frontPosition: Double
    /// When the front first reached the posterior quarter (≥ 0.75).
    public var posteriorQuarterReachedAt: Instant?
    public var leaks: LeakPaths<LeakPathState>
    /// When the tip pressure split the trabecular bed (`BoneFailure`), if it has.
    public var boneFailedAt: Instant? = nil

    /// Cement that has left the body by any path.
    public var leakedTotal: Microliters {
        leaks.vein.leaked + leaks.epidural.leaked + leaks.needleTract.leaked + leaks.disc.leaked
    }

    /// Whether any leak path has opened.
    @inlinable public var anyLeakOpen: Bool {
        leaks.vein.isOpen || leaks.epidural.isOpen || leaks.needleTract.isOpen || leaks.disc.isOpen
    }

    /// The first leak path to open, and when (the earlier path in declaration order on a tie).
    @inlinable public var firstLeak: (kind: LeakPathKind, at: Instant)? {
        guard anyLeakOpen else { return nil }
        var first: (kind: LeakPathKind, at: Instant)?
        func consider(_ kind: LeakPathKind, _ leak: LeakPathState) {
            if let at = leak.openedAt, first.map({ at < $0.at }) ?? true { first = (kind, at) }
        }
        consider(.vein, leaks.vein)
        consider(.epidural, leaks.epidural)
        consider(.needleTract, leaks.needleTract)
        consider(.disc, leaks.disc)
        return first
    }
}
