import InjectorCore
import PropertyBased
import Testing

/// The step thread's timing rule, in the Core: the ideal time of each step follows
/// from the rate and the generator's carried fraction, so steps are 1/rate apart
/// within a tick and across ticks, and timing a plan never changes its count.
@Suite struct StepTimingProperties {
    static let tick = Interval.milliseconds(1)

    /// A steady rate for 200 ticks: every gap between consecutive steps, wherever the
    /// tick boundaries fall, is 1/rate to within 2 ns (two roundings to the ns).
    @Test func stepsAreEvenlySpacedAcrossTicks() async {
        await propertyCheck(count: 300, input: Gen.int(in: 1...80_000)) { code in
            // Odd codes run backwards; up to 29 200 steps/s, under the 60-step bound.
            let rate = StepsPerSecond(Double(code / 2 + 1) * (code % 2 == 1 ? -1 : 1) / 1.37)
            var g = StepGenerator(maxStepsPerTick: 60)
            var times: [Int64] = []
            for t in 0..<200 {
                let timing = g.planTimed(rate: rate, over: Self.tick, driver: .enabled)
                for k in 0..<timing.count {
                    let offset = timing.offset(ofStep: k)
                    #expect(offset >= .zero && offset <= Self.tick, "offset \(offset) outside the tick")
                    times.append(Int64(t) * Self.tick.nanoseconds + offset.nanoseconds)
                }
                g.record(issued: timing.planned, of: timing.planned)
            }
            let spacing = 1e9 / rate.rawValue.magnitude
            #expect((Double(times.count) - rate.rawValue.magnitude * 0.2).magnitude <= 1, "\(times.count) steps in 200 ms")
            for (a, b) in zip(times, times.dropFirst()) {
                #expect((Double(b - a) - spacing).magnitude <= 2, "gap \(b - a) ns, want \(spacing) ns at \(rate)")
            }
            // The first step comes one spacing after the start (the fraction starts at 0).
            if let first = times.first { #expect((Double(first) - spacing).magnitude <= 1) }
        }
    }

    /// Random rates, signs and driver states tick by tick: `planTimed` plans exactly
    /// what `plan` does, and leaves the generator in the same state.
    @Test func timingAPlanKeepsItsCount() async {
        await propertyCheck(count: 300, input: Gen.int(in: -60_000...60_000).array(of: 1...80)) { codes in
            var timed = StepGenerator(maxStepsPerTick: 45)
            var plain = timed
            for code in codes {
                let driver: DriverEnable = code % 7 == 0 ? .disabled : .enabled
                let rate = StepsPerSecond(Double(code) / 1.9)
                let timing = timed.planTimed(rate: rate, over: Self.tick, driver: driver)
                let count = plain.plan(rate: rate, over: Self.tick, driver: driver)
                #expect(timing.planned == count)
                #expect(timed == plain)
                for k in 0..<timing.count {
                    let o = timing.offset(ofStep: k)
                    #expect(o >= .zero && o <= Self.tick)
                    if k > 0 { #expect(timing.offset(ofStep: k - 1) < o) }
                }
                timed.record(issued: count, of: count)
                plain.record(issued: count, of: count)
            }
        }
    }

    /// A fraction carried in from the last tick brings the first step forward: at
    /// 1 500 steps/s the ticks alternate one and two steps, 667 µs apart throughout.
    @Test func theCarriedFractionPlacesTheFirstStep() {
        var g = StepGenerator(maxStepsPerTick: 30)
        let first = g.planTimed(rate: StepsPerSecond(1500), over: Self.tick, driver: .enabled)
        g.record(issued: first.planned, of: first.planned)
        let second = g.planTimed(rate: StepsPerSecond(1500), over: Self.tick, driver: .enabled)
        #expect(first.planned == 1 && second.planned == 2)
        #expect(first.offset(ofStep: 0) == Interval(nanoseconds: 666_667))
        #expect(second.offset(ofStep: 0) == Interval(nanoseconds: 333_333))   // 1.333 ms after the first tick began
        #expect(second.offset(ofStep: 1) == Interval(nanoseconds: 1_000_000))
    }
}
