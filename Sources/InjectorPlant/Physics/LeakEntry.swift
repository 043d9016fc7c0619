import InjectorCore

/// How cement enters a leak channel (a vein, a cleft, a defect), which bone shows to
/// depend on the cement: low-viscosity cement fingers into veins and fracture clefts,
/// high-viscosity cement interdigitates compactly with the trabeculae (Zhang et al.,
/// Medicine 2018, meta-analysis: relative risk of any leak 0.38, high against low
/// viscosity; Habib et al. 2010, bench leak mass). Two relations:
///
/// - **Interdigitation**: a channel's resistance is its tube's times 1 + K/K_c. The
///   thicker the cement, the more of it the bed around the channel holds back, so the
///   share a path takes falls as the cement thickens instead of staying at what one
///   consistency for every branch would give (about half). K_c = 10⁴ Pa·sⁿ (calibrated:
///   Habib's low-viscosity leak 9.5 against 3.5 min, 0.65).
/// - **Yield pressure**: a cohesive cement with yield stress τ_y enters a channel of
///   length L and diameter d only above 4·L·τ_y/d, which adds to the channel's exit
///   pressure (a Bingham plug in a tube). τ_y is the cement's (`CementRheology.yieldStress`):
///   0 for a low-viscosity cement, which therefore fingers into any open channel.
/// - **Entry**: a route (vein, cleft, defect) is reached through a throat between
///   trabeculae. When its trigger fires, cement whose yield stress is at or above the
///   throat's `LeakPathParameters.entryYieldStress` does not enter: the front passes the
///   route by and the route stays closed. A low-viscosity cement (τ_y = 0) enters every
///   route it meets. The campaign draws each route's limit (docs/simulator.md).
public struct LeakEntry: Equatable, Sendable {
    /// K_c in 1 + K/K_c; `.infinity` turns interdigitation off.
    public var interdigitationConsistency: PascalSecondsToTheN

    public init(interdigitationConsistency: PascalSecondsToTheN = PascalSecondsToTheN(10_000)) {
        precondition(interdigitationConsistency.rawValue > 0, "the interdigitation consistency must be positive")
        self.interdigitationConsistency = interdigitationConsistency
    }

    /// No interdigitation: every branch shares one consistency (the model before issue 12).
    public static let none = LeakEntry(interdigitationConsistency: PascalSecondsToTheN(.infinity))

    /// 1 + K/K_c for consistency `k` (Pa·sⁿ).
    @inline(__always) func resistanceFactor(consistency k: Double) -> Double {
        1 + k / interdigitationConsistency.rawValue
    }

    /// 4·L/d of a channel: its yield pressure per pascal of yield stress.
    static func yieldPressurePerStress(_ path: LeakPathParameters) -> Double {
        4 * path.channelLength.rawValue / path.channelDiameter.rawValue
    }
}
