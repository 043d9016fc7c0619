import InjectorCore
import InjectorHardware
import Testing

@Suite struct StepGeneratorTests {
    @Test func slowRateCarriesTheFractionAcrossTicks() throws {
        let step = FakeOutputLine("STEP"), dir = FakeOutputLine("DIR")
        let out = GPIOStepOutput(step: step, direction: dir, forwardLevel: .high)
        var g = StepGenerator(maxStepsPerTick: 30)
        // 4 mL/min on the shipped drive is about 2 100 steps/s; here 66.7 steps/s at 1 kHz.
        for _ in 0..<3000 {
            try g.advance(rate: StepsPerSecond(66.7), over: .milliseconds(1), driver: .enabled, output: out)
        }
        #expect(g.position == Steps(200))   // 66.7 × 3 s = 200.1
        #expect(step.risingEdges == 200)
        #expect(dir.levels == [.high])      // set once, before the first pulse
    }

    @Test func reversingSetsDirectionBeforeThePulsesAndCountsBackwards() throws {
        let step = FakeOutputLine("STEP"), dir = FakeOutputLine("DIR")
        let out = GPIOStepOutput(step: step, direction: dir, forwardLevel: .low)
        var g = StepGenerator(maxStepsPerTick: 30)
        #expect(try g.advance(rate: StepsPerSecond(20_000), over: .milliseconds(1), driver: .enabled, output: out) == 20)
        #expect(try g.advance(rate: StepsPerSecond(-5_000), over: .milliseconds(1), driver: .enabled, output: out) == -5)
        #expect(g.position == Steps(15))
        #expect(dir.levels == [.low, .high])
        #expect(step.risingEdges == 25)
    }

    @Test func disabledDriverIssuesNothingAndDropsTheFraction() throws {
        let out = VirtualStepOutput()
        var g = StepGenerator(maxStepsPerTick: 30)
        try g.advance(rate: StepsPerSecond(500.4), over: .milliseconds(1), driver: .enabled, output: out)
        #expect(g.phase != 0)
        #expect(try g.advance(rate: StepsPerSecond(20_000), over: .milliseconds(1), driver: .disabled, output: out) == 0)
        #expect(g.phase == 0 && out.pulses == 0)
    }

    @Test func burstIsBoundedAndTheExcessCounted() throws {
        let out = VirtualStepOutput()
        var g = StepGenerator(maxStepsPerTick: 10)
        #expect(try g.advance(rate: StepsPerSecond(25_000), over: .milliseconds(1), driver: .enabled, output: out) == 10)
        #expect(g.stepsClipped == 15)
        #expect(StepGenerator.maxStepsPerTick(maxStepRate: StepsPerSecond(20_000), tickRate: Hertz(1000)) == 30)
    }

    @Test func aFailedPulseCountsOnlyTheStepsThatWentOut() {
        let step = FakeOutputLine("STEP"), dir = FakeOutputLine("DIR")
        step.failAfter = 7   // 3 full pulses (6 sets), the 4th rising edge, then the falling edge fails
        let out = GPIOStepOutput(step: step, direction: dir, forwardLevel: .high)
        var g = StepGenerator(maxStepsPerTick: 30)
        #expect(throws: HardwareError.self) {
            try g.advance(rate: StepsPerSecond(10_000), over: .milliseconds(1), driver: .enabled, output: out)
        }
        #expect(g.position == Steps(4))
        #expect(g.shortTicks == 1 && g.phase == 0)
    }
}

@Suite struct TickTimerTests {
    @Test func sleepsToAbsoluteDeadlinesWithoutDrift() {
        let clock = FakeClock()
        let start = clock.now()
        var timer = TickTimer(period: .milliseconds(1), clock: clock, start: start)
        for i in 1...100 {
            clock.advance(.microseconds(300))  // work in the tick does not shift the schedule
            let wake = timer.waitForNextTick()
            #expect(wake.deadline == start + .milliseconds(Double(i)))
            #expect(wake.latency == .microseconds(50))
        }
        #expect(timer.overruns == 0)
    }

    @Test func anOverrunSkipsMissedDeadlinesInsteadOfBursting() {
        let clock = FakeClock()
        let start = clock.now()
        var timer = TickTimer(period: .milliseconds(1), clock: clock, start: start)
        _ = timer.waitForNextTick()                 // deadline 1 ms
        clock.advance(.microseconds(3_500))         // a tick that took 3.5 ms
        let wake = timer.waitForNextTick()
        #expect(wake.missed == 2)
        #expect(wake.deadline == start + .milliseconds(4))
        #expect(timer.overruns == 1 && timer.missedDeadlines == 2)
        let next = timer.waitForNextTick()
        #expect(next.deadline == start + .milliseconds(5))
    }

    @Test func histogramPercentiles() {
        var h = LatencyHistogram(binCount: 1000)
        for us in 1...100 { h.record(.microseconds(Int64(us))) }
        h.record(.milliseconds(5))
        #expect(h.percentile(0.5) == .microseconds(52))   // 51st of 101 lies in the 51 µs bin, [51, 52) µs
        #expect(h.maximum == .milliseconds(5))
        #expect(h.overflow == 1)
    }

    @Test func realClockSleepsUntilTheDeadline() {
        let clock = SystemClock()
        let deadline = clock.now() + .milliseconds(2)
        clock.sleep(until: deadline)
        #expect(clock.now() >= deadline)
    }

    @Test func realTimeSetupReportsEveryStepAndNeverDies() {
        let steps = RealTimeSetup.apply(RealTimeSetup.Options(lockMemory: false, fifoPriority: nil,
                                                              timerSlackNanoseconds: 50_000))
        #expect(steps.count == 1 && steps[0].name == "timer slack")
    }
}
