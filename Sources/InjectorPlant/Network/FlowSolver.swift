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

/// Where the last body-only step ended, as `FlowSolver.intoBodyAlone` starts from it:
/// t = √((p_tip − p_body)/H_body) with t², t^m and 1/R′(t). All zero (no start) until a
/// step has flowed into the body alone.
struct BodyAloneStart: Equatable, Sendable {
    var root = 0.0
    var square = 0.0
    var power = 0.0
    var inverseSlope = 0.0
}

extension FlowSolver {
    /// A body-only step is accepted when its Newton step in t is at most this share of t.
    static let bodyAloneAcceptedStep = 2e-5
    /// Newton steps `intoBodyAlone` takes before leaving the step to `intoNetwork`: a step
    /// on which the plunger's microstep makes S jump needs a second one.
    static let bodyAloneNewtonSteps = 4

    /// t², t^m and t^(m−1) for m ≥ 2, by multiplication.
    @inline(__always) static func powers(_ t: Double, _ m: Int) -> (square: Double, power: Double, below: Double) {
        let square = t * t
        switch m {
        case 5:
            let fourth = square * square
            return (square, fourth * t, fourth)
        case 4: return (square, square * square, square * t)
        case 3: return (square, square * t, square)
        case 2: return (square, square, t)
        default:
            var below = square
            for _ in 3..<m { below *= t }
            return (square, below * t, below)
        }
    }

    /// The step with the body as the only open branch, without bracket or bisection, or
    /// `nil` when it cannot be taken that way (the general `intoNetwork` then solves it).
    ///
    /// With 1/n = m/2 (`HalfIntegerPower.halves`, m ≥ 2) and t = √((p − p_body)/H_body),
    /// the body takes Q = t^m and the needle drops H_needle·Qⁿ = H_needle·t², so the step's
    /// residual (the one `intoNetwork` solves in p, which is affine in t²) is the polynomial
    ///
    ///     R(t) = A·t² + B·t^m − D,   A = H_needle + H_body, B = Δt/C, D = S/C − p_body,
    ///
    /// rising and convex for t > 0: no power, square root or bracket. From the last root
    /// t₀ one chord step along the last slope, t₀ − R(t₀)/R′(t₀) with this step's A, B and
    /// D, predicts the root; Newton steps from there (at most `bodyAloneNewtonSteps`; past
    /// the first they descend monotonically onto the root, the residual being convex) end
    /// with one that moves t by at most `bodyAloneAcceptedStep` (ε) of t. Convexity bounds R″/R′ by (m − 1)/t, so the
    /// accepted t is within (m − 1)/2·ε² of the root, relative (8e-10 for n = 0.4), Q = t^m
    /// within m(m − 1)/2·ε² (4e-9) and p − p_body within (m − 1)·ε² (1.6e-9). The flow is
    /// t^m at the accepted t, so the plant conserves volume exactly as before.
    @inline(__always) static func intoBodyAlone(stored s: Double, compliance c: Double, inverseCompliance: Double,
                                                dt: Double, needleCoefficient hn: Double, body: TipBranch,
                                                halves m: Int, start: inout BodyAloneStart) -> FlowStep? {
        let a = hn + body.coefficient
        let b = dt * inverseCompliance
        let d = s * inverseCompliance - body.backPressure
        var t = start.root - (a * start.square + b * start.power - d) * start.inverseSlope
        guard t > 0, d > 0, a < .infinity else { return nil }
        var slope = 0.0
        var accepted = false
        for _ in 0..<bodyAloneNewtonSteps {
            let guess = powers(t, m)
            slope = 2 * a * t + Double(m) * b * guess.below
            let change = (a * guess.square + b * guess.power - d) / slope
            t -= change
            guard t > 0 else { return nil }
            if Swift.abs(change) <= bodyAloneAcceptedStep * t {
                accepted = true
                break
            }
        }
        guard accepted else { return nil }
        let root = powers(t, m)
        let inverseSlope = 1 / slope
        start = BodyAloneStart(root: t, square: root.square, power: root.power, inverseSlope: inverseSlope)
        let q = root.power
        var branches = BranchFlows.none
        branches.body = q
        return FlowStep(flow: q, tipPressure: body.backPressure + body.coefficient * root.square,
                        syringePressure: (s - dt * q) * inverseCompliance, branches: branches, iterations: 1,
                        tipSensitivity: 2 * body.coefficient * t * inverseCompliance * inverseSlope)
    }

    /// The start for `intoBodyAlone` from a body-only step solved some other way, at tip
    /// pressure `p`; no start when nothing flowed.
    static func bodyAloneStart(tipPressure p: Double, needleCoefficient hn: Double, body: TipBranch,
                               stepOverCompliance b: Double, halves m: Int) -> BodyAloneStart {
        let w = (p - body.backPressure) / body.coefficient
        guard m >= 2, w > 0, w.isFinite, hn.isFinite else { return BodyAloneStart() }
        let t = w.squareRoot()
        let p = powers(t, m)
        let slope = 2 * (hn + body.coefficient) * t + Double(m) * b * p.below
        return BodyAloneStart(root: t, square: p.square, power: p.power, inverseSlope: 1 / slope)
    }
}
