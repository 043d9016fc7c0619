/// The outcome of one time step of flow, in SI units.
struct FlowStep: Equatable, Sendable {
    /// Flow through the needle over the step (m³/s).
    var flow: Double
    /// Pressure at the needle tip (Pa).
    var tipPressure: Double
    /// Syringe pressure at the end of the step (Pa).
    var syringePressure: Double
    /// How the flow split at the tip (all zero while the needle fills).
    var branches: BranchFlows
    /// Iterations the solve took (for tests and tuning).
    var iterations: Int
    /// While the needle fills: Qⁿ, the unknown solved for (the next step's starting point).
    var fillPower: Double = 0
    /// Into the network: dp_tip/dS at the solution, 1/(C·∂residual/∂p) (0 when nothing flowed).
    /// The next step's tip pressure is predicted from the change of S along it.
    var tipSensitivity: Double = 0
}

/// Solves one time step of syringe → needle → tip network by backward Euler.
///
/// With S the stored volume after the plunger has moved (before any outflow), C the
/// compliance and Δt the step, the step's flow Q satisfies
///
///     p_syringe = (S − Q·Δt)/C = H_needle·Qⁿ + p_tip,   Q = Σ branches Q_j(p_tip)
///
/// Implicit in Q, so it stays stable for any Δt even when a liquid cement or an open
/// leak makes the time constant C·dp/dQ far shorter than a millisecond. One unknown,
/// p_tip, whose residual rises monotonically: Newton's method warm-started from a guess
/// (the plant's prediction: the last tip pressure moved along dp_tip/dS by the change in
/// S, which the plunger's microsteps make jump), kept inside a shrinking bracket by
/// bisection, bounded in iterations.
///
/// Cost: a step usually evaluates the branches once. A Newton step Δp no longer than
/// `acceptedStep` of the smallest driving pressure d of a flowing branch (p minus its
/// back-pressure) is taken without evaluating again: the next Newton step would move p by
/// about 0.75·Δp²/d, under 1e-8 of d, and the branch flows are moved to it along their
/// slopes, Q_j ∝ d_j^(1/n), off by about 0.75·(Δp/d_j)² ≤ 1e-8 of Q_j (n = 0.4). The
/// branches, summed, are still the step's flow, so volume is conserved exactly.
enum FlowSolver {
    static let maximumIterations = 60
    /// A Newton step at most this share of the smallest driving pressure ends the solve.
    static let acceptedStep = 1e-4

    /// Flow from the needle into the tip network. `guess` is the predicted tip pressure.
    static func intoNetwork(stored s: Double, compliance c: Double, dt: Double, needleCoefficient hn: Double,
                            flowIndex n: Double, inverseIndex: HalfIntegerPower, network: TipNetwork,
                            guess: Double) -> FlowStep {
        let ceiling = s / c
        let floor = network.lowestBackPressure
        guard dt > 0, hn.isFinite, ceiling > floor else {
            return FlowStep(flow: 0, tipPressure: max(0, min(ceiling, floor)), syringePressure: ceiling,
                            branches: .none, iterations: 0)
        }
        let tolerance = 1e-10 * ceiling + 1e-9
        let onlyBody = network.onlyBodyIsOpen
        var lo = floor
        var hi = ceiling
        var p = min(max(guess, lo), hi)
        var iterations = 0
        // The last evaluation: where, the flows and their slopes there.
        var evaluatedAt = Double.nan
        var flows = BranchFlows.none
        var slopes = BranchFlows.none
        var derivative = 1.0
        while iterations < maximumIterations {
            iterations += 1
            (flows, slopes) = network.flows(at: p, inverseIndex: inverseIndex, onlyBody: onlyBody)
            evaluatedAt = p
            let q = flows.total
            let slope = slopes.total
            // H·qⁿ; with the body alone qⁿ = (p − p_body)/H_body, which saves a power per iteration.
            let needleDrop: Double
            if q <= 0 {
                needleDrop = 0
            } else if onlyBody {
                needleDrop = hn * (p - network.body.backPressure) / network.body.coefficient
            } else {
                needleDrop = hn * Libm.pow(q, n)
            }
            let residual = needleDrop + p - (s - dt * q) / c
            // d(H qⁿ)/dq = n·Δp/q; chain rule through dq/dp.
            derivative = 1 + (q > 0 ? (n * needleDrop / q + dt / c) * slope : 0)
            if Swift.abs(residual) <= tolerance { break }
            if residual > 0 { hi = p } else { lo = p }
            if hi - lo <= tolerance { break }
            let newton = p - residual / derivative
            guard newton > lo && newton < hi else {
                p = (lo + hi) / 2
                continue
            }
            // A Newton step this small lands within tolerance: take it without another evaluation.
            let change = Swift.abs(newton - p)
            p = newton
            if change <= tolerance || change <= acceptedStep * smallestDrive(p, network) { break }
        }
        let branches = p == evaluatedAt ? flows
            : Swift.abs(p - evaluatedAt) <= acceptedStep * smallestDrive(Swift.min(p, evaluatedAt), network)
            ? flows.extrapolated(by: p - evaluatedAt, slopes: slopes)
            : network.flows(at: p, inverseIndex: inverseIndex, onlyBody: onlyBody).flows
        let q = branches.total
        return FlowStep(flow: q, tipPressure: p, syringePressure: (s - dt * q) / c,
                        branches: branches, iterations: iterations, tipSensitivity: 1 / (c * derivative))
    }

    /// p less the highest back-pressure of a branch that flows at p.
    @inline(__always) private static func smallestDrive(_ p: Double, _ network: TipNetwork) -> Double {
        p - network.highestBackPressure(below: p)
    }

    /// Flow into a needle that is still filling: the cement front inside it is at zero
    /// gauge pressure. Solved in y = Qⁿ, where the residual H·y + (Δt/C)·y^(1/n) − S/C is
    /// convex and rising: Newton from above descends to the root without overshoot, and
    /// from below (`guess`, the last step's y) it lands above the root in one step.
    static func intoOpenNeedle(stored s: Double, compliance c: Double, dt: Double, needleCoefficient hn: Double,
                               flowIndex n: Double, inverseIndex: HalfIntegerPower, guess: Double = 0) -> FlowStep {
        guard dt > 0, hn.isFinite, s > 0 else {
            return FlowStep(flow: 0, tipPressure: 0, syringePressure: s / c, branches: .none, iterations: 0)
        }
        precondition(hn > 0, "a filling needle still has resistance")
        let a = s / c
        let b = dt / c
        // Each term alone reaching S/C bounds the root from above; the second costs a power,
        // so a positive guess below the first bound is used instead.
        let bound = a / hn
        var y = guess > 0 && guess < bound ? guess : min(bound, Libm.pow(a / b, n))
        var iterations = 0
        while iterations < maximumIterations {
            iterations += 1
            let powered = inverseIndex(y)
            let residual = hn * y + b * powered - a
            if Swift.abs(residual) <= 1e-10 * a { break }
            let derivative = hn + b * inverseIndex.exponent * powered / y
            y -= residual / derivative
            if y <= 0 { y = 0; break }
        }
        let q = inverseIndex(y)
        return FlowStep(flow: q, tipPressure: 0, syringePressure: (s - dt * q) / c,
                        branches: .none, iterations: iterations, fillPower: y)
    }
}
