import Testing
@testable import InjectorCore

@Suite struct LeakDetectorTests {
    let spec = FaultSpec(leakDropFraction: 0.35, leakWindow: .milliseconds(400), leakMinimumPeak: Kilopascals(300))

    /// Feeds `pressure(t)` at 1 kHz with flow `flow(t)`; returns the first time (ms) it fires.
    func firstDetection(ms: Int, pressure: (Int) -> Double, flow: (Int) -> Double) -> Int? {
        var d = LeakDetector(spec: spec)
        for t in 0..<ms {
            if d.observe(at: Instant(nanoseconds: Int64(t) * 1_000_000), pressure: Kilopascals(pressure(t)),
                         flow: MicrolitersPerSecond(flow(t))) { return t }
        }
        return nil
    }

    @Test func suddenDropAtSteadyFlowIsALeak() {
        let t = firstDetection(ms: 2000, pressure: { $0 < 1000 ? 1500 : 600 }, flow: { _ in 66 })
        #expect(t == 1000)
    }

    @Test func slowingDownIsNotALeak() {
        let t = firstDetection(ms: 2000, pressure: { $0 < 1000 ? 1500 : 600 }, flow: { $0 < 1000 ? 66 : 20 })
        #expect(t == nil)
    }

    @Test func lowPressureAndSmallDropsAreIgnored() {
        #expect(firstDetection(ms: 2000, pressure: { $0 < 1000 ? 250 : 50 }, flow: { _ in 66 }) == nil)
        #expect(firstDetection(ms: 2000, pressure: { $0 < 1000 ? 1500 : 1100 }, flow: { _ in 66 }) == nil)
    }

    @Test func needsAFullWindowOfHistory() {
        // The drop comes before the window has filled: nothing to compare against yet.
        #expect(firstDetection(ms: 300, pressure: { $0 < 100 ? 1500 : 600 }, flow: { _ in 66 }) == nil)
    }
}

@Suite struct OcclusionDetectorTests {
    let spec = FaultSpec(occlusionPressure: Kilopascals(2500), occlusionQualifyTime: .seconds(2),
                         occlusionReleaseCount: 3, occlusionMinimumProgress: Microliters(15))

    @Test func qualifiesAfterSustainedHighPressure() {
        var d = OcclusionDetector(spec: spec)
        let t0 = Instant.origin
        let r1 = d.observe(at: t0, pressure: Kilopascals(2600))
        #expect(!r1)
        let r2 = d.observe(at: t0 + .seconds(1.9), pressure: Kilopascals(2600))
        #expect(!r2)
        let r3 = d.observe(at: t0 + .seconds(2.0), pressure: Kilopascals(2600))
        #expect(r3)
    }

    @Test func aDipRestartsTheClock() {
        var d = OcclusionDetector(spec: spec)
        let r4 = d.observe(at: .origin, pressure: Kilopascals(2600))
        #expect(!r4)
        let r5 = d.observe(at: .origin + .seconds(1.5), pressure: Kilopascals(2000))
        #expect(!r5)
        let r6 = d.observe(at: .origin + .seconds(2.5), pressure: Kilopascals(2600))
        #expect(!r6)
        let r7 = d.observe(at: .origin + .seconds(4.4), pressure: Kilopascals(2600))
        #expect(!r7)
    }

    @Test func repeatedLimitReleasesWithoutProgressQualify() {
        var d = OcclusionDetector(spec: spec)
        let r8 = d.pressureLimitRelease(delivered: Microliters(100))
        #expect(!r8)
        let r9 = d.pressureLimitRelease(delivered: Microliters(105))
        #expect(!r9)
        let r10 = d.pressureLimitRelease(delivered: Microliters(110))
        #expect(r10)
        var e = OcclusionDetector(spec: spec)
        let r11 = e.pressureLimitRelease(delivered: Microliters(100))
        #expect(!r11)
        let r12 = e.pressureLimitRelease(delivered: Microliters(150))
        #expect(!r12)
        let r13 = e.pressureLimitRelease(delivered: Microliters(200))
        #expect(!r13)
    }
}

@Suite struct ConsistencyCheckTests {
    @Test func pasteBuildsBackPressureLiquidDoesNot() {
        let spec = FaultSpec(consistencyTestVolume: Microliters(100), consistencyMinimumPressure: Kilopascals(250))
        var paste = ConsistencyCheck(spec: spec)
        paste.injectionStarted(delivered: .zero)
        let r14 = paste.observe(delivered: Microliters(50), pressure: Kilopascals(300))
        #expect(r14 == .passed)
        var liquid = ConsistencyCheck(spec: spec)
        liquid.injectionStarted(delivered: .zero)
        let r15 = liquid.observe(delivered: Microliters(60), pressure: Kilopascals(120))
        #expect(r15 == .running)
        let r16 = liquid.observe(delivered: Microliters(100), pressure: Kilopascals(140))
        #expect(r16 == .failed)
        liquid.injectionStarted(delivered: Microliters(100))
        #expect(liquid.status == .running)
    }

    @Test func zeroTestVolumeDisablesTheCheck() {
        let c = ConsistencyCheck(spec: FaultSpec(consistencyTestVolume: .zero))
        #expect(c.status == .passed)
    }
}

@Suite struct SensorHealthTests {
    func health(position: Bool = false, twin: Bool = false) -> SensorHealth {
        var c = InjectorConfiguration()
        c.positionSensorFitted = position
        c.pressureTwinFitted = twin
        return SensorHealth(configuration: c)
    }
    let t = Instant(nanoseconds: 10_000_000_000)

    @Test func freshInRangeSampleIsHealthy() {
        var h = health()
        h.observe(now: t, pressure: SensorSample(value: Kilopascals(500), sampledAt: t), position: nil, stepVolume: .zero)
        #expect(h.isHealthy)
        #expect(h.pressure == Kilopascals(500))
    }

    @Test func staleOutOfRangeAndErrorAreFaults() {
        var h = health()
        h.observe(now: t, pressure: SensorSample(value: Kilopascals(500), sampledAt: t - .milliseconds(80)),
                  position: nil, stepVolume: .zero)
        #expect(h.problem == .pressureStale)
        h.observe(now: t, pressure: SensorSample(value: Kilopascals(9000), sampledAt: t), position: nil, stepVolume: .zero)
        #expect(h.problem == .pressureOutOfRange)
        #expect(h.pressure != Kilopascals(9000)) // never taken as a reading
        h.observe(now: t, pressure: SensorSample(value: .zero, sampledAt: t, status: .error), position: nil, stepVolume: .zero)
        #expect(h.problem == .pressureSensorError)
    }

    @Test func missingSamplesBecomeStaleAfterTheLimit() {
        var h = health()
        h.observe(now: t, pressure: SensorSample(value: Kilopascals(500), sampledAt: t), position: nil, stepVolume: .zero)
        let missing = SensorSample(value: Kilopascals(0), sampledAt: t, status: .missing)
        h.observe(now: t + .milliseconds(40), pressure: missing, position: nil, stepVolume: .zero)
        #expect(h.isHealthy)
        h.observe(now: t + .milliseconds(60), pressure: missing, position: nil, stepVolume: .zero)
        #expect(h.problem == .pressureStale)
    }

    @Test func positionDisagreeingWithStepsIsAFault() {
        var h = health(position: true)
        let p = SensorSample(value: Kilopascals(100), sampledAt: t)
        h.observe(now: t, pressure: p, position: SensorSample(value: Microliters(2000), sampledAt: t),
                  stepVolume: Microliters(100))
        #expect(h.isHealthy) // first reading fixes the offset
        h.observe(now: t, pressure: p, position: SensorSample(value: Microliters(2030), sampledAt: t),
                  stepVolume: Microliters(140))
        #expect(h.isHealthy) // 10 µL apart, within 40 µL
        h.observe(now: t, pressure: p, position: SensorSample(value: Microliters(2030), sampledAt: t),
                  stepVolume: Microliters(200))
        #expect(h.problem == .positionDisagreement) // missed steps: 70 µL apart
        h.observe(now: t, pressure: p, position: nil, stepVolume: Microliters(200))
        #expect(h.problem == .positionSensorError)
    }

    /// A back-off whose plunger goes forward instead (DIR inverted): the steps count
    /// backwards, the sensor forwards. Past the furthest step by more than a quarter of
    /// the tolerance (10 µL) it is a disagreement, long before the 40 µL between them.
    @Test func aPlungerPastTheFurthestStepIsAFault() {
        var h = health(position: true)
        let p = SensorSample(value: Kilopascals(100), sampledAt: t)
        h.observe(now: t, pressure: p, position: SensorSample(value: Microliters(1000), sampledAt: t),
                  stepVolume: Microliters(1000))
        h.observe(now: t, pressure: p, position: SensorSample(value: Microliters(1008), sampledAt: t),
                  stepVolume: Microliters(996))
        #expect(h.isHealthy) // 8 µL past the furthest step, 12 µL from the steps
        h.observe(now: t, pressure: p, position: SensorSample(value: Microliters(1011), sampledAt: t),
                  stepVolume: Microliters(994))
        #expect(h.problem == .positionDisagreement) // 11 µL past it, though only 17 µL from the steps
    }

    /// A back-off below the furthest step whose plunger goes forward: after 10 µL of
    /// commanded motion the plunger moved the other way.
    @Test func aPlungerMovingAgainstTheStepsIsAFault() {
        var h = health(position: true)
        let p = SensorSample(value: Kilopascals(100), sampledAt: t)
        func at(_ sensor: Double, steps: Double) {
            h.observe(now: t, pressure: p, position: SensorSample(value: Microliters(sensor), sampledAt: t),
                      stepVolume: Microliters(steps))
        }
        at(1000, steps: 1000)
        at(1020, steps: 1020)
        at(990, steps: 990)      // a healthy back-off of 30 µL
        #expect(h.isHealthy)
        at(993, steps: 985)      // 5 µL back commanded, 3 µL forward: within the span
        #expect(h.isHealthy)
        at(996, steps: 980)      // 10 µL back commanded, 6 µL forward: the other way
        #expect(h.problem == .positionDisagreement)
    }

    /// Defaults: 150 kPa or 15 % of the higher reading, whichever is larger, for at most 200 ms.
    func observe(_ h: inout SensorHealth, at time: Instant, pressure: Double, twin: Double) {
        h.observe(now: time, pressure: SensorSample(value: Kilopascals(pressure), sampledAt: time),
                  twin: SensorSample(value: Kilopascals(twin), sampledAt: time), position: nil, stepVolume: .zero)
    }

    @Test func pressureDisagreeingWithItsTwinForLongerThanAllowedIsAFault() {
        var h = health(twin: true)
        observe(&h, at: t, pressure: 1000, twin: 1040)
        #expect(h.isHealthy)
        #expect(h.pressureTwin == Kilopascals(1040))
        // 300 kPa apart (allowed 150): tolerated while the two may see a change at different times…
        observe(&h, at: t + .milliseconds(1), pressure: 700, twin: 1000)
        observe(&h, at: t + .milliseconds(200), pressure: 700, twin: 1000)
        #expect(h.isHealthy)
        // …not once it has lasted 200 ms.
        observe(&h, at: t + .milliseconds(201), pressure: 700, twin: 1000)
        #expect(h.problem == .pressureDisagreement)
        #expect(h.pressure == Kilopascals(700)) // the transducer stays the reading; the twin only checks it
        // Agreeing again clears the problem (the latched fault is the controller's business).
        observe(&h, at: t + .milliseconds(202), pressure: 990, twin: 1000)
        #expect(h.isHealthy)
        // A new disagreement starts its own 200 ms.
        observe(&h, at: t + .milliseconds(203), pressure: 700, twin: 1000)
        observe(&h, at: t + .milliseconds(350), pressure: 700, twin: 1000)
        #expect(h.isHealthy)
    }

    @Test func twinToleranceGrowsWithPressure() {
        var h = health(twin: true)
        // At 3 MPa, 15 % is 450 kPa: 400 kPa apart is agreement, however long it lasts.
        for ms in 0...1000 { observe(&h, at: t + .milliseconds(Double(ms)), pressure: 3000, twin: 2600) }
        #expect(h.isHealthy)
        for ms in 1001...1300 { observe(&h, at: t + .milliseconds(Double(ms)), pressure: 3000, twin: 2500) }
        #expect(h.problem == .pressureDisagreement)
    }

    @Test func aMissingErroringStaleOrOutOfRangeTwinIsAFault() {
        var h = health(twin: true)
        let p = SensorSample(value: Kilopascals(500), sampledAt: t)
        h.observe(now: t, pressure: p, twin: nil, position: nil, stepVolume: .zero)
        #expect(h.problem == .pressureTwinSensorError)
        h.observe(now: t, pressure: p, twin: SensorSample(value: Kilopascals(500), sampledAt: t, status: .error),
                  position: nil, stepVolume: .zero)
        #expect(h.problem == .pressureTwinSensorError)
        h.observe(now: t, pressure: p, twin: SensorSample(value: Kilopascals(90_000), sampledAt: t),
                  position: nil, stepVolume: .zero)
        #expect(h.problem == .pressureTwinSensorError)
        #expect(h.pressureTwin.rawValue.isNaN) // never taken as a reading
        h.observe(now: t, pressure: p, twin: SensorSample(value: Kilopascals(500), sampledAt: t - .milliseconds(80)),
                  position: nil, stepVolume: .zero)
        #expect(h.problem == .pressureTwinStale)
        h.observe(now: t, pressure: p, twin: SensorSample(value: Kilopascals(510), sampledAt: t), position: nil,
                  stepVolume: .zero)
        #expect(h.isHealthy)
    }

    @Test func theTransducersOwnFaultComesFirstAndAnUnfittedTwinIsIgnored() {
        var h = health(twin: true)
        h.observe(now: t, pressure: SensorSample(value: Kilopascals(500), sampledAt: t - .milliseconds(80)),
                  twin: SensorSample(value: Kilopascals(2000), sampledAt: t), position: nil, stepVolume: .zero)
        #expect(h.problem == .pressureStale)
        var without = health(twin: false)
        without.observe(now: t, pressure: SensorSample(value: Kilopascals(500), sampledAt: t),
                        twin: SensorSample(value: .zero, sampledAt: t, status: .error), position: nil, stepVolume: .zero)
        #expect(without.isHealthy)
    }
}
