import Testing
@testable import InjectorCore

/// The one step generator's rules, as the firmware, the lockstep runner and these tests' rig use it.
@Suite struct CoreStepGeneratorTests {
    @Test func aSlowRateCarriesItsFractionAcrossTicks() {
        var g = StepGenerator(maxStepsPerTick: 30)
        for _ in 0..<3000 { g.advance(rate: StepsPerSecond(66.7), over: .milliseconds(1), driver: .enabled) }
        #expect(g.position == Steps(200))   // 66.7 × 3 s = 200.1
    }

    @Test func aDisabledDriverIssuesNothingAndOwesNothing() {
        var g = StepGenerator(maxStepsPerTick: 30)
        g.advance(rate: StepsPerSecond(500.4), over: .milliseconds(1), driver: .enabled)
        #expect(g.phase != 0)
        #expect(g.plan(rate: StepsPerSecond(20_000), over: .milliseconds(1), driver: .disabled) == 0)
        #expect(g.phase == 0 && g.position == .zero)
        // A whole second with the driver off builds up no debt to burst out afterwards.
        for _ in 0..<1000 { g.advance(rate: StepsPerSecond(2_000), over: .milliseconds(1), driver: .disabled) }
        #expect(g.advance(rate: StepsPerSecond(2_000), over: .milliseconds(1), driver: .enabled) == 2)
    }

    @Test func aBurstIsBoundedAndTheExcessCountedNotCaughtUp() {
        var g = StepGenerator(maxStepRate: StepsPerSecond(20_000), tickRate: Hertz(1000))
        #expect(g.maxStepsPerTick == 30)
        #expect(g.advance(rate: StepsPerSecond(50_000), over: .milliseconds(1), driver: .enabled) == 30)
        #expect(g.stepsClipped == 20)
        #expect(g.advance(rate: StepsPerSecond(-50_000), over: .milliseconds(1), driver: .enabled) == -30)
        #expect(g.position == .zero && g.stepsClipped == 40)
    }

    @Test func aShortTickDropsItsFractionAndIsCounted() {
        var g = StepGenerator(maxStepsPerTick: 30)
        let planned = g.plan(rate: StepsPerSecond(10_500), over: .milliseconds(1), driver: .enabled)
        #expect(planned == 10 && g.phase > 0)
        g.record(issued: 4, of: planned)
        #expect(g.position == Steps(4) && g.phase == 0 && g.shortTicks == 1)
    }

    @Test func nonFiniteOrZeroRatesAndEmptyTicksIssueNothing() {
        var g = StepGenerator(maxStepsPerTick: 30)
        #expect(g.advance(rate: StepsPerSecond(.nan), over: .milliseconds(1), driver: .enabled) == 0)
        #expect(g.advance(rate: StepsPerSecond(.infinity), over: .milliseconds(1), driver: .enabled) == 0)
        #expect(g.advance(rate: StepsPerSecond(1_000), over: .zero, driver: .enabled) == 0)
        #expect(g.position == .zero && g.phase == 0)
    }
}

/// The single motion decision and the final guard behind it.
@Suite struct MotionDecisionTests {
    @Test func interlocksComeFirstInOnePriorityOrder() {
        var rig = TestRig()
        rig.tick(.cementMixed)
        func block(_ s: SwitchInputs, _ m: ForwardMotion = .injection) -> MotionBlock? {
            rig.controller.forwardBlock(m, ControllerInputs(now: rig.now, stepPosition: rig.stepPosition,
                                                            pressure: SensorSample(value: .zero, sampledAt: rig.now),
                                                            switches: s, hostLastHeard: rig.now))
        }
        let all = SwitchInputs(eStop: .active, enable: .inactive, posteriorQuarterStop: .active, leakSeenStop: .active,
                               forwardEndOfTravel: .active)
        #expect(block(all) == .eStop)
        var s = all
        s.eStop = .inactive
        #expect(block(s) == .enableReleased)
        s.enable = .active
        #expect(block(s) == .posteriorQuarterStop)
        s.posteriorQuarterStop = .inactive
        #expect(block(s) == .leakSeenStop)
        s.leakSeenStop = .inactive
        #expect(block(s) == .forwardEndOfTravel)
        s.forwardEndOfTravel = .inactive
        #expect(block(s, .priming) == nil)
        // Injection also needs the cement in its working phase (1 s in the fast configuration).
        #expect(block(s) == .cementNotReady)
        #expect(MotionBlock.leakSeenStop.refusal == .operatorStopActive && MotionBlock.leakSeenStop.reason == .leakSeen)
    }

    @Test func theFinalGuardCountsEveryForwardRateItHasToZero() {
        var rig = TestRig()
        rig.tick()
        #expect(rig.controller.state == .idle && rig.controller.guardTrips == 0)
        let input = ControllerInputs(now: rig.now, stepPosition: rig.stepPosition,
                                     pressure: SensorSample(value: .zero, sampledAt: rig.now),
                                     switches: SwitchInputs(enable: .active), hostLastHeard: rig.now)
        // Idle may not move forward: a path that asked it to would be a bug the guard catches.
        #expect(rig.controller.finalGuard(StepsPerSecond(100), input) == .zero)
        #expect(rig.controller.finalGuard(StepsPerSecond(-100), input) == StepsPerSecond(-100))
        #expect(rig.controller.guardTrips == 1)
        let out = rig.tick()
        #expect(out.telemetry.guardTrips == 1 && out.telemetry.hazards.contains(.motionGuardTripped))
    }

    /// Found by the guard counter: priming accepted during the relief after a stop pushed
    /// forward into the dwell, and only the guard held it back (every tick).
    @Test func primingWaitsForTheReliefAfterAStop() {
        var rig = TestRig()
        rig.tick(.prime)
        rig.run(seconds: 0.2)
        #expect(rig.tick(.pause).reply == .accepted(.pause))
        #expect(rig.state == .idle && rig.controller.reliefPhase != .none)
        #expect(rig.tick(.prime).reply == .refused(.prime, .reliefInProgress))
        let relieved = rig.run(until: { $0.controller.reliefPhase == .none }, limit: 10)
        #expect(relieved)
        #expect(rig.tick(.prime).reply == .accepted(.prime))
        rig.run(seconds: 0.2)
        #expect(rig.controller.guardTrips == 0)
    }

    @Test func aNormalProcedureNeverTripsTheGuard() {
        var rig = TestRig()
        rig.startInjecting()
        rig.run(seconds: 20)
        #expect(rig.controller.budget.committed > .zero)
        #expect(rig.controller.guardTrips == 0)
    }
}
