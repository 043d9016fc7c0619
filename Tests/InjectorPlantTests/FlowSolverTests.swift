import Testing
@testable import InjectorPlant

@Suite struct BodyAloneSolverTests {
    /// The root of A·t² + B·t^m − D by bisection to the last bit.
    func exactRoot(a: Double, b: Double, d: Double, m: Int) -> Double {
        var lo = 0.0, hi = (d / a).squareRoot()
        for _ in 0..<2_000 {
            let mid = (lo + hi) / 2
            guard mid > lo && mid < hi else { break }
            let p = FlowSolver.powers(mid, m)
            if a * p.square + b * p.power - d > 0 { hi = mid } else { lo = mid }
        }
        return (lo + hi) / 2
    }

    /// A body-only step with realistic magnitudes: flow q, needle plus body drop `drop`
    /// (Pa), the body's share of it, compliance C (m³/Pa), back-pressure, Δt = 1 ms.
    struct Case {
        var m: Int, q: Double, drop: Double, bodyShare: Double, c: Double, back: Double
        let dt = 1e-3
        var t: Double { Libm.pow(q, 1 / Double(m)) }
        var a: Double { drop / (t * t) }
        var body: TipBranch { TipBranch(backPressure: back, coefficient: a * bodyShare) }
        var needle: Double { a * (1 - bodyShare) }
        var b: Double { dt / c }
        /// The stored volume S whose exact root is t.
        var stored: Double { (a * t * t + b * q + back) * c }
    }

    @Test func anAcceptedStepIsWithinItsStatedBoundOfTheExactRoot() {
        var rng = Xoshiro256StarStar(seed: 31)
        var accepted = 0
        let epsilon = FlowSolver.bodyAloneAcceptedStep
        for trial in 0..<20_000 {
            let m = [2, 3, 4, 5, 5, 5, 6][Int(rng.next() % 7)]
            let k = Case(m: m, q: Libm.pow(10, rng.uniform(in: -11 ... -6)), drop: Libm.pow(10, rng.uniform(in: 3...6.5)),
                         bodyShare: rng.uniform(in: 0.01...0.99), c: Libm.pow(10, rng.uniform(in: -17 ... -15)),
                         back: rng.uniform(in: 0...1e4))
            // Start from the exact solution of a neighbouring step (S and K a little off).
            let near = trial % 2 == 0 ? 1e-7 : 1e-4
            let s = k.stored
            let previousS = s * (1 + near * rng.uniform(in: -1...1))
            let grown = 1 + near * rng.uniform(in: 0...1)
            var previous = k
            previous.drop /= grown
            let t0 = exactRoot(a: previous.a, b: k.b, d: previousS / k.c - k.back, m: m)
            var start = FlowSolver.bodyAloneStart(tipPressure: k.back + previous.body.coefficient * t0 * t0,
                                                  needleCoefficient: previous.needle, body: previous.body,
                                                  stepOverCompliance: k.b, halves: m)
            let step = FlowSolver.intoBodyAlone(stored: s, compliance: k.c, inverseCompliance: 1 / k.c, dt: k.dt,
                                                needleCoefficient: k.needle, body: k.body, halves: m, start: &start)
            let t = exactRoot(a: k.a, b: k.b, d: s / k.c - k.back, m: m)
            let q = FlowSolver.powers(t, m).power
            let drive = k.body.coefficient * t * t
            guard let step else {
                #expect(near > 1e-7, "a start this close must be accepted (m = \(m))")
                continue
            }
            accepted += 1
            let mm = Double(m)
            #expect(abs(step.flow - q) <= (mm * (mm - 1) / 2 * epsilon * epsilon * 1.01 + 1e-13) * q)
            #expect(abs(step.tipPressure - k.back - drive) <= ((mm - 1) * epsilon * epsilon * 1.01 + 1e-12) * drive)
            #expect(step.branches.body == step.flow && step.branches.total == step.flow)
            #expect(start.root > 0 && start.power == step.flow)
        }
        #expect(accepted > 10_000)
    }

    @Test func noStartNoFlowOrAnOccludedNeedleLeaveTheStepToTheGeneralSolver() {
        let k = Case(m: 5, q: 1e-7, drop: 1e5, bodyShare: 0.1, c: 5e-17, back: 1e3)
        var none = BodyAloneStart()
        #expect(FlowSolver.intoBodyAlone(stored: k.stored, compliance: k.c, inverseCompliance: 1 / k.c, dt: k.dt,
                                         needleCoefficient: k.needle, body: k.body, halves: 5, start: &none) == nil)
        var start = FlowSolver.bodyAloneStart(tipPressure: k.back + k.body.coefficient * k.t * k.t,
                                              needleCoefficient: k.needle, body: k.body, stepOverCompliance: k.b, halves: 5)
        var copy = start
        #expect(FlowSolver.intoBodyAlone(stored: k.stored, compliance: k.c, inverseCompliance: 1 / k.c, dt: k.dt,
                                         needleCoefficient: k.needle, body: k.body, halves: 5, start: &copy) != nil)
        // Syringe pressure below the body's back-pressure: nothing flows.
        #expect(FlowSolver.intoBodyAlone(stored: k.back * k.c / 2, compliance: k.c, inverseCompliance: 1 / k.c,
                                         dt: k.dt, needleCoefficient: k.needle, body: k.body, halves: 5,
                                         start: &start) == nil)
        #expect(FlowSolver.intoBodyAlone(stored: k.stored, compliance: k.c, inverseCompliance: 1 / k.c, dt: k.dt,
                                         needleCoefficient: .infinity, body: k.body, halves: 5, start: &start) == nil)
        #expect(FlowSolver.bodyAloneStart(tipPressure: k.back, needleCoefficient: k.needle, body: k.body,
                                          stepOverCompliance: k.b, halves: 5) == BodyAloneStart())
    }
}
