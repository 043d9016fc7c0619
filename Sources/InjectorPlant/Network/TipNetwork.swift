/// One branch leaving the needle tip, in SI units: it carries Q = ((p − p_back)/H)^(1/n)
/// when the tip pressure p exceeds its back-pressure, nothing otherwise.
struct TipBranch: Equatable, Sendable {
    /// Pa.
    var backPressure: Double
    /// H = K·G in Δp = H·Qⁿ (Pa per (m³/s)ⁿ); infinite for a closed branch.
    var coefficient: Double

    static let closed = TipBranch(backPressure: 0, coefficient: .infinity)

    var isOpen: Bool { coefficient.isFinite }

    /// Flow at tip pressure `p` (m³/s); `inverseIndex` raises to 1/n.
    @inline(__always) func flow(at p: Double, inverseIndex: HalfIntegerPower) -> Double {
        let drive = p - backPressure
        guard drive > 0, coefficient.isFinite else { return 0 }
        return inverseIndex(drive / coefficient)
    }
}

/// The needle tip's node: the body and the four leak paths in parallel, each against
/// its own back-pressure, so the split between them follows from one tip pressure.
struct TipNetwork: Equatable, Sendable {
    var body: TipBranch
    var leaks: LeakPaths<TipBranch>

    /// Whether the body is the only open branch; then Qⁿ = (p − p_body)/H_body needs no power.
    @inline(__always) var onlyBodyIsOpen: Bool {
        !leaks.vein.isOpen && !leaks.epidural.isOpen && !leaks.needleTract.isOpen && !leaks.disc.isOpen
    }

    /// The lowest back-pressure of an open branch: below it nothing flows.
    @inline(__always) var lowestBackPressure: Double {
        var lowest = body.isOpen ? body.backPressure : Double.infinity
        if leaks.vein.isOpen { lowest = min(lowest, leaks.vein.backPressure) }
        if leaks.epidural.isOpen { lowest = min(lowest, leaks.epidural.backPressure) }
        if leaks.needleTract.isOpen { lowest = min(lowest, leaks.needleTract.backPressure) }
        if leaks.disc.isOpen { lowest = min(lowest, leaks.disc.backPressure) }
        return lowest
    }

    /// The highest back-pressure below `p` of an open branch: p minus it is the smallest
    /// driving pressure of a branch that flows at `p`.
    @inline(__always) func highestBackPressure(below p: Double) -> Double {
        var highest = -Double.infinity
        @inline(__always) func consider(_ branch: TipBranch) {
            if branch.isOpen && branch.backPressure < p { highest = Swift.max(highest, branch.backPressure) }
        }
        consider(body)
        consider(leaks.vein)
        consider(leaks.epidural)
        consider(leaks.needleTract)
        consider(leaks.disc)
        return highest
    }

    /// Each branch's flow out of the tip at pressure `p`, and its derivative dQ_j/dp.
    /// `onlyBody`: no leak path is open (`onlyBodyIsOpen`), so only the body is evaluated.
    @inline(__always) func flows(at p: Double, inverseIndex: HalfIntegerPower,
                                 onlyBody: Bool) -> (flows: BranchFlows, slopes: BranchFlows) {
        var flows = BranchFlows.none
        var slopes = BranchFlows.none
        @inline(__always) func branch(_ branch: TipBranch, _ flow: inout Double, _ slope: inout Double) {
            let q = branch.flow(at: p, inverseIndex: inverseIndex)
            guard q > 0 else { return }
            flow = q
            // d/dp of (drive/H)^(1/n) is q/(n·drive).
            slope = q * inverseIndex.exponent / (p - branch.backPressure)
        }
        branch(body, &flows.body, &slopes.body)
        guard !onlyBody else { return (flows, slopes) }
        branch(leaks.vein, &flows.leaks.vein, &slopes.leaks.vein)
        branch(leaks.epidural, &flows.leaks.epidural, &slopes.leaks.epidural)
        branch(leaks.needleTract, &flows.leaks.needleTract, &slopes.leaks.needleTract)
        branch(leaks.disc, &flows.leaks.disc, &slopes.leaks.disc)
        return (flows, slopes)
    }
}

/// How the flow out of the tip splits at one tip pressure (m³/s).
struct BranchFlows: Equatable, Sendable {
    var body: Double
    var leaks: LeakPaths<Double>

    static let none = BranchFlows(body: 0, leaks: LeakPaths(repeating: 0))

    var total: Double { body + leaks.vein + leaks.epidural + leaks.needleTract + leaks.disc }

    /// The flows moved to a tip pressure `change` away along their slopes, none below zero.
    @inline(__always) func extrapolated(by change: Double, slopes: BranchFlows) -> BranchFlows {
        @inline(__always) func move(_ q: Double, _ slope: Double) -> Double { Swift.max(0, q + slope * change) }
        return BranchFlows(body: move(body, slopes.body),
                           leaks: LeakPaths(vein: move(leaks.vein, slopes.leaks.vein),
                                            epidural: move(leaks.epidural, slopes.leaks.epidural),
                                            needleTract: move(leaks.needleTract, slopes.leaks.needleTract),
                                            disc: move(leaks.disc, slopes.leaks.disc)))
    }
}
