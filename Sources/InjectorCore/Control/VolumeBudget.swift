/// Which term of the cap formula is the smallest, so reports can say why the cap is what it is.
public enum CapLimit: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case anteriorFill = 1
    case perPedicle = 2
    case syringe = 3
    case hardwareCeiling = 4
    case tightened = 5

    public var description: String {
        switch self {
        case .anteriorFill: "anterior capacity × fill limit"
        case .perPedicle: "per-pedicle cap × pedicles"
        case .syringe: "usable syringe volume less dead volume"
        case .hardwareCeiling: "hardware volume ceiling"
        case .tightened: "tightened at run time"
        }
    }
}

/// How much cement may still go in, and how much has.
///
/// Three volumes are tracked from the plunger displacement `D` (steps since priming
/// ended) and the pressure `p`:
/// - stored `S = C·p`: held in the compliance of syringe, cement and tubing;
/// - delivered `E = max over time of (D − S)`: cement that has left the needle; it
///   never decreases, because backing the screw off does not pull cement out of bone;
/// - committed `max(E, D)`: what ends up delivered if the plunger stops now and the
///   stored volume bleeds forward. After a back-off `D < E` (a gap the screw must close
///   before cement moves again), so the back-off volume is not counted twice.
/// Forward motion is allowed only while committed stays within the cap, so the cap
/// holds after pressure relief whether or not the screw backs off. This needs `C` to
/// be a lower bound of the true compliance (docs/safety.md).
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

    public init(configuration: InjectorConfiguration) {
        let (cap, limit) = Self.cap(for: configuration)
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

    /// What ends up delivered if forward motion stops now.
    @inlinable public var committed: Microliters { Swift.max(delivered, displaced) }
    /// Volume still allowed.
    @inlinable public var remaining: Microliters { Swift.max(.zero, cap - committed) }
    @inlinable public var isExhausted: Bool { remaining.rawValue <= 0 }

    /// Takes this tick's displacement since priming and the last valid pressure.
    public mutating func update(displaced: Microliters, pressure: Kilopascals) {
        self.displaced = displaced
        let held = compliance * Swift.max(.zero, pressure)
        stored = Swift.min(held, Swift.max(.zero, displaced))
        delivered = Swift.max(delivered, displaced - stored)
    }

    /// Lowers the active cap. Returns `false` (and changes nothing) for a value above
    /// the active cap or one that is not a finite, non-negative volume.
    public mutating func tighten(to newCap: Microliters) -> Bool {
        guard newCap.isFinite, newCap >= .zero, newCap <= cap else { return false }
        cap = newCap
        limit = .tightened
        return true
    }
}
