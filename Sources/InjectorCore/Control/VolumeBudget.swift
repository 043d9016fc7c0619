/// Which term of the cap formula is the smallest, so reports can say why the cap is what it is.
public enum CapLimit: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case anteriorFill = 1
    case perPedicle = 2
    case syringe = 3
    case hardwareCeiling = 4
    case tightened = 5
    /// What the level's earlier plans committed leaves of this plan's cap.
    case levelLedger = 6
    /// What the session ceiling leaves after the session's earlier levels and plans.
    case sessionCeiling = 7
    /// What was committed at a posterior-quarter or leak stop, plus the resume allowance.
    case hazardStop = 8
    /// What the level's ceiling leaves: lowered at a posterior-quarter or leak stop, or
    /// by `tightenCap`, in an earlier plan of this level or before a restart.
    case levelCeiling = 9

    public var description: String {
        switch self {
        case .anteriorFill: "anterior capacity × fill limit"
        case .perPedicle: "per-pedicle cap × pedicles"
        case .syringe: "usable syringe volume less dead volume"
        case .hardwareCeiling: "hardware volume ceiling"
        case .tightened: "tightened at run time"
        case .levelLedger: "this level's cap less its earlier plans"
        case .sessionCeiling: "session ceiling less the session so far"
        case .hazardStop: "committed at a posterior-quarter or leak stop plus the resume allowance"
        case .levelCeiling: "the level's ceiling from an earlier stop or tightened cap"
        }
    }
}

/// How much cement may still go in, and how much has.
///
/// From the plunger displacement `D` (steps since priming ended) and the pressure `p`:
/// - committed = the largest `D` so far. Whatever the plunger has pushed in is either
///   out of the needle or stored in the compliance of syringe, cement and tubing, and
///   stored volume may bleed forward during any relief. Backing the screw off never
///   pulls cement out of bone, it only opens a gap the screw must close before cement
///   moves again; so re-closing the gap is not counted twice and the cap still holds
///   after pressure relief, whatever the true compliance is.
/// - stored `S = C·p` (C a configured lower bound of the compliance) and delivered
///   `E = max over time of (D − S)`, never above committed: an estimate for the
///   operator of what has already left the needle.
/// Forward motion is allowed only while committed stays within the cap.
public struct VolumeBudget: Equatable, Sendable {
    /// The cap from configuration; the active cap never rises above it.
    public let configuredCap: Microliters
    public let configuredLimit: CapLimit
    public private(set) var cap: Microliters
    public private(set) var limit: CapLimit
    public let compliance: MicrolitersPerKilopascal
    public private(set) var displaced: Microliters = .zero
    public private(set) var delivered: Microliters = .zero
    public private(set) var stored: Microliters = .zero
    /// What ends up delivered, at most, if forward motion stops now.
    public private(set) var committed: Microliters = .zero

    /// A budget for the configuration's plan in a level and session that already hold
    /// what `ledger` says: its cap is the plan's, less the level's earlier rounds, and
    /// no more than the session ceiling leaves, nor than the level's ceiling leaves.
    public init(configuration: InjectorConfiguration, ledger: VolumeLedger = VolumeLedger()) {
        var (cap, limit) = Self.cap(for: configuration)
        let planCap = cap
        let left = ledger.cap(forPlan: planCap, sessionCeiling: configuration.ceilings.maxSessionVolume)
        if left < cap {
            cap = left
            let sessionLeft = configuration.ceilings.maxSessionVolume - ledger.sessionBefore
            if let ceilingLeft = ledger.ceilingLeft, ceilingLeft <= Swift.min(planCap - ledger.levelBefore, sessionLeft) {
                limit = .levelCeiling
            } else {
                limit = planCap - ledger.levelBefore <= sessionLeft ? .levelLedger : .sessionCeiling
            }
        }
        self.configuredCap = cap
        self.configuredLimit = limit
        self.cap = cap
        self.limit = limit
        self.compliance = configuration.syringe.compliance
    }

    /// The least of anterior capacity × fill limit, per-pedicle cap × pedicles, usable
    /// syringe volume less the needle's dead volume, and the hardware ceiling.
    public static func cap(for c: InjectorConfiguration) -> (Microliters, CapLimit) {
        let terms: [(Microliters, CapLimit)] = [
            (c.procedure.anteriorCapacity.volume * c.procedure.fillFractionLimit, .anteriorFill),
            (c.procedure.perPedicleCap * Double(c.procedure.approach.pedicleCount), .perPedicle),
            (c.syringe.usableVolume - c.needle.deadVolume, .syringe),
            (c.ceilings.maxVolume, .hardwareCeiling),
        ]
        // On a tie the earlier (clinical) term names the limit.
        return terms.reduce(terms[0]) { $1.0 < $0.0 ? $1 : $0 }
    }

    /// Volume still allowed.
    @inlinable public var remaining: Microliters { Swift.max(.zero, cap - committed) }
    @inlinable public var isExhausted: Bool { remaining.rawValue <= 0 }

    /// Takes this tick's displacement since priming and the last valid pressure.
    public mutating func update(displaced: Microliters, pressure: Kilopascals) {
        self.displaced = displaced
        committed = Swift.max(committed, displaced)
        let held = compliance * Swift.max(.zero, pressure)
        stored = Swift.min(held, Swift.max(.zero, displaced))
        delivered = Swift.min(committed, Swift.max(delivered, displaced - stored))
    }

    /// After a posterior-quarter or leak stop: the cap becomes what is committed now plus
    /// `allowance`, unless it is lower already. Repeated stops never raise it.
    public mutating func tightenAfterHazardStop(allowance: Microliters) {
        let tightened = committed + Swift.max(.zero, allowance)
        guard tightened < cap else { return }
        cap = tightened
        limit = .hazardStop
    }

    /// Lowers the active cap. Returns `false` (and changes nothing) for a value above
    /// the active cap or one that is not a finite, non-negative volume. A cap below
    /// what is already committed becomes the committed volume: "no more from now on";
    /// never more than the cap was, though committed may stand a fraction of a step past
    /// it where the last tick's steps overshot (a 10 000-sequence property run found the
    /// cap "tightened" 0.08 µL above the configured one).
    public mutating func tighten(to newCap: Microliters) -> Bool {
        guard newCap.isFinite, newCap >= .zero, newCap <= cap else { return false }
        cap = Swift.min(cap, Swift.max(newCap, committed))
        limit = .tightened
        return true
    }
}
