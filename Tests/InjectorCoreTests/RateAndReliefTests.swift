import Testing
@testable import InjectorCore

@Suite struct RateControlTests {
    @Test func slowdownIsLinearBetweenStartAndLimit() {
        let limit = Kilopascals(3000)
        func f(_ p: Double) -> Double {
            pressureSlowdownFactor(pressure: Kilopascals(p), limit: limit, startFraction: 0.5, minimumFraction: 0.2)
        }
        #expect(f(1000) == 1)
        #expect(f(1500) == 1)
        #expect(abs(f(2250) - 0.6) < 1e-12)
        #expect(f(3000) == 0)
        #expect(f(5000) == 0)
    }

    @Test func rampsUpAtTheConfiguredAccelerationAndStopsAtOnce() {
        var r = RateController(acceleration: MicrolitersPerSecondSquared(100))
        let dt = Interval.milliseconds(10)
        let target = MicrolitersPerSecond(50)
        var flow = MicrolitersPerSecond.zero
        for _ in 0..<10 { flow = r.advance(toward: target, ceiling: MicrolitersPerSecond(1e9), over: dt) }
        #expect(abs(flow.rawValue - 10) < 1e-9) // 100 µL/s² × 0.1 s
        for _ in 0..<100 { flow = r.advance(toward: target, ceiling: MicrolitersPerSecond(1e9), over: dt) }
        #expect(flow == target)
        flow = r.advance(toward: MicrolitersPerSecond(5), ceiling: MicrolitersPerSecond(1e9), over: dt)
        #expect(flow == MicrolitersPerSecond(5)) // slowing down is immediate
        flow = r.advance(toward: target, ceiling: MicrolitersPerSecond(2), over: dt)
        #expect(flow == MicrolitersPerSecond(2)) // the ceiling (cap) wins
        r.halt()
        #expect(r.flow == .zero)
    }
}

@Suite struct PressureReliefTests {
    let spec = ReleaseSpec(injectPeriod: .seconds(3), backoffVolume: Microliters(30), releasedBelow: Kilopascals(150),
                           backoffFlow: MicrolitersPerSecond(100), dwell: .seconds(1), backoffTimeout: .seconds(2))

    @Test func backsOffByVolumeThenDwells() {
        var r = PressureRelief(spec: spec)
        let t0 = Instant(nanoseconds: 0)
        r.begin(at: t0, displaced: Microliters(1000), afterStop: false)
        let o1 = r.advance(at: t0, displaced: Microliters(1000), pressure: Kilopascals(2000), rearEndOfTravel: .inactive)
        #expect(o1 == .backingOff(MicrolitersPerSecond(100)))
        let o2 = r.advance(at: t0 + .milliseconds(300), displaced: Microliters(970), pressure: Kilopascals(900), rearEndOfTravel: .inactive)
        #expect(o2 == .dwelling)
        #expect(r.phase == .dwelling)
        let o3 = r.advance(at: t0 + .milliseconds(900), displaced: Microliters(970), pressure: Kilopascals(50), rearEndOfTravel: .inactive)
        #expect(o3 == .dwelling)
        let o4 = r.advance(at: t0 + .milliseconds(1300), displaced: Microliters(970), pressure: Kilopascals(50), rearEndOfTravel: .inactive)
        #expect(o4 == .finished)
        #expect(!r.isActive)
    }

    @Test func endsBackOffEarlyOncePressureIsLow() {
        var r = PressureRelief(spec: spec)
        r.begin(at: .origin, displaced: Microliters(500), afterStop: false)
        let o5 = r.advance(at: .origin + .milliseconds(50), displaced: Microliters(495), pressure: Kilopascals(100), rearEndOfTravel: .inactive)
        #expect(o5 == .dwelling)
    }

    @Test func afterAStopItBacksOffFurtherUntilPressureIsLow() {
        var r = PressureRelief(spec: spec) // stop back-off: 175 µL at 200 µL/s by default
        r.begin(at: .origin, displaced: Microliters(1000), afterStop: true)
        let o1 = r.advance(at: .origin + .milliseconds(300), displaced: Microliters(970), pressure: Kilopascals(900),
                           rearEndOfTravel: .inactive)
        #expect(o1 == .backingOff(spec.stopBackoffFlow)) // a cycle's 30 µL is not enough here
        let o2 = r.advance(at: .origin + .milliseconds(900), displaced: Microliters(910), pressure: Kilopascals(140),
                           rearEndOfTravel: .inactive)
        #expect(o2 == .dwelling)
    }

    /// A release cycle backs off at `backoffFlow`; a stop races the after-flow at
    /// `stopBackoffFlow`, and a stop during a cycle's back-off speeds it up.
    @Test func aStopBacksOffFasterThanAReleaseCycle() {
        var r = PressureRelief(spec: spec)
        r.begin(at: .origin, displaced: Microliters(1000), afterStop: false)
        let cycle = r.advance(at: .origin + .milliseconds(10), displaced: Microliters(999), pressure: Kilopascals(900),
                              rearEndOfTravel: .inactive)
        #expect(cycle == .backingOff(spec.backoffFlow))
        r.begin(at: .origin + .milliseconds(10), displaced: Microliters(999), afterStop: true)
        let stop = r.advance(at: .origin + .milliseconds(20), displaced: Microliters(997), pressure: Kilopascals(900),
                             rearEndOfTravel: .inactive)
        #expect(stop == .backingOff(spec.stopBackoffFlow))
        #expect(spec.stopBackoffFlow > spec.backoffFlow)
    }

    @Test func aBackOffThatNeverEndsFails() {
        var r = PressureRelief(spec: spec)
        r.begin(at: .origin, displaced: Microliters(500), afterStop: false)
        let o6 = r.advance(at: .origin + .seconds(2.5), displaced: Microliters(495), pressure: Kilopascals(3000), rearEndOfTravel: .inactive)
        #expect(o6 == .failed)
    }
}
