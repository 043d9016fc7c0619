import Testing
@testable import InjectorCore

@Suite struct StateMachineTests {
    @Test func nominalProcedureRunsToTheCap() {
        var rig = TestRig()
        rig.controller = InjectionController(configuration: try! {
            var c = TestRig.fastConfiguration()
            c.procedure.anteriorCapacity = .direct(Microliters(2000)) // cap 600 µL
            return c
        }().validated())
        rig.startInjecting()
        #expect(rig.state == .injecting)
        var sawRelease = false
        let done = rig.run(until: { r in
            if r.state == .releasing { sawRelease = true }
            return r.state == .complete
        }, limit: 60)
        #expect(done)
        #expect(sawRelease)
        #expect(rig.controller.stateReason == .capReached)
        #expect(rig.telemetry.committed <= Microliters(600) + rig.controller.geometry.volumePerStep)
        #expect(rig.telemetry.committed > Microliters(590))
        // After the cap: relief, then the driver is released.
        rig.run(seconds: 3)
        #expect(rig.telemetry.relief == .none)
        #expect(rig.lastOutputs!.driver == .disabled)
        #expect(rig.telemetry.releaseCycles >= 3) // 150 µL boluses
        #expect(rig.history.contains { $0.kind == .limitReached && $0.reason == .capReached })
    }

    @Test func primingIsNotCountedAsDelivered() {
        var rig = TestRig()
        rig.tick(.cementMixed)
        rig.tick(.prime)
        #expect(rig.state == .priming)
        let reached1 = rig.run(until: { $0.state == .primed }, limit: 5)
        #expect(reached1)
        let primed = rig.controller.geometry.volume(of: rig.stepPosition)
        #expect(primed >= Microliters(49.9) && primed <= Microliters(50.1))
        #expect(rig.telemetry.delivered == .zero)
        #expect(rig.telemetry.committed == .zero)
    }

    @Test func commandsOutOfOrderAreRefusedSpecifically() {
        var rig = TestRig()
        #expect(rig.tick(.start).reply == .refused(.start, .notAllowedWhileIdle))
        #expect(rig.tick(.arm).reply == .refused(.arm, .notAllowedWhileIdle))
        rig.switches.enable = .inactive
        #expect(rig.tick(.prime).reply == .refused(.prime, .enableNotHeld))
        rig.switches.enable = .active
        #expect(rig.tick(.prime).reply == .accepted(.prime))
        let reached2 = rig.run(until: { $0.state == .primed }, limit: 5)
        #expect(reached2)
        #expect(rig.tick(.arm).reply == .accepted(.arm))
        #expect(rig.tick(.start).reply == .refused(.start, .cementNotMixed))
        rig.tick(.cementMixed)
        #expect(rig.tick(.start).reply == .refused(.start, .cementNotReady))
        rig.run(seconds: 1)
        rig.hostHeard = false
        #expect(rig.tick(.start).reply == .refused(.start, .hostLinkLost))
        rig.hostHeard = true
        rig.switches.posteriorQuarterStop = .active
        #expect(rig.tick(.start).reply == .refused(.start, .operatorStopActive))
        rig.switches.posteriorQuarterStop = .inactive
        #expect(rig.tick(.setRate(MicrolitersPerSecond(1000))).reply == .refused(.setRate, .exceedsCeiling))
        #expect(rig.tick(.start).reply == .accepted(.start))
        #expect(rig.history.contains { $0.kind == .commandRefused && $0.refusal == .cementNotReady })
    }

    /// Cement mixed before the host said so: the working-time clock starts when it was
    /// mixed, so the working phase begins (and ends) on the cement's own time.
    @Test func cementMixedEarlierStartsTheClockThen() {
        var c = TestRig.fastConfiguration()
        c.cement = CementSpec(workingPhaseStart: .seconds(180), workingPhaseEnd: .seconds(600),
                              settingTime: .seconds(900), workingTimeWarning: .seconds(30))
        var rig = TestRig(c)
        rig.tick(.prime)
        let primed = rig.run(until: { $0.state == .primed }, limit: 5)
        #expect(primed)
        rig.tick(.arm)
        rig.tick(.cementMixed)
        #expect(rig.tick(.start).reply == .refused(.start, .cementNotReady))   // mixed "now": 3 min to wait
        let mixedNow = rig.controller.mixedAt
        // Older than the setting time: refused, the clock untouched.
        #expect(rig.tick(.cementMixedAgo(.seconds(901))).reply == .refused(.cementMixedAgo, .invalidParameter))
        #expect(rig.tick(.cementMixedAgo(Interval(nanoseconds: -1))).reply == .refused(.cementMixedAgo, .invalidParameter))
        #expect(rig.controller.mixedAt == mixedNow)
        let out = rig.tick(.cementMixedAgo(.seconds(200)))
        #expect(out.reply == .accepted(.cementMixedAgo))
        #expect(rig.controller.mixedAt == rig.now - .seconds(200))
        #expect(out.telemetry.timeSinceMixing == .seconds(200))
        #expect(rig.controller.events.contains { $0.kind == .cementMixed && $0.value == 200 })
        #expect(rig.tick(.start).reply == .accepted(.start))
        // Not while cement moves.
        #expect(rig.tick(.cementMixedAgo(.seconds(10))).reply == .refused(.cementMixedAgo, .notAllowedWhileInjecting))
    }

    @Test func resumeNeedsTheReasonAcknowledged() {
        var rig = TestRig()
        rig.startInjecting()
        rig.run(seconds: 0.5)
        rig.switches.enable = .inactive
        let out = rig.tick()
        #expect(rig.state == .paused)
        #expect(out.stepRate.rawValue <= 0)
        rig.switches.enable = .active
        rig.run(seconds: 3)
        #expect(rig.tick(.resume(acknowledging: .hostPause)).reply == .refused(.resume, .acknowledgementMismatch))
        #expect(rig.tick(.resume(acknowledging: .enableReleased)).reply == .accepted(.resume))
        #expect(rig.state == .injecting)
    }

    @Test func operatorStopHaltsInTheSameTickThenRelieves() {
        var rig = TestRig()
        rig.startInjecting()
        rig.run(seconds: 1)
        #expect(rig.lastOutputs!.stepRate.rawValue > 0 || rig.state == .releasing)
        _ = rig.run(until: { $0.state == .injecting && $0.lastOutputs!.stepRate.rawValue > 0 }, limit: 5)
        rig.switches.leakSeenStop = .active
        let out = rig.tick()
        #expect(out.stepRate.rawValue <= 0)
        #expect(rig.state == .paused)
        #expect(rig.controller.stateReason == .leakSeen)
        #expect(out.alarm == .alarm)
        // Relief: the screw goes backward.
        let back = rig.tick()
        #expect(back.stepRate.rawValue < 0 || rig.telemetry.relief == .dwelling)
        rig.switches.leakSeenStop = .inactive
        rig.run(seconds: 3)
        #expect(rig.tick(.resume(acknowledging: .leakSeen)).reply == .refused(.resume, .leakPauseNotElapsed))
        rig.run(seconds: 58)
        #expect(rig.tick(.resume(acknowledging: .leakSeen)).reply == .accepted(.resume))
    }

    @Test func eStopLatchesAndOnlyALocalResetClearsIt() {
        var rig = TestRig()
        rig.startInjecting()
        rig.run(seconds: 0.5)
        rig.switches.eStop = .active
        let out = rig.tick()
        // The driver goes off in the same tick, and no relief moves the motor after it.
        #expect(out.stepRate.rawValue == 0 && out.driver == .disabled)
        #expect(rig.state == .eStopped && rig.controller.reliefPhase == .none)
        #expect(rig.tick(.release).reply == .refused(.release, .notAllowedWhileEStopped))
        #expect(rig.lastOutputs?.driver == .disabled)
        rig.switches.eStop = .inactive
        rig.run(seconds: 3)
        #expect(rig.state == .eStopped) // released, still latched
        for command in [HostCommand.resetFault, .resume(acknowledging: .eStop), .start, .prime, .arm] {
            #expect(rig.tick(command).reply?.command == command.code)
            #expect(rig.state == .eStopped)
        }
        rig.switches.localReset = .active
        rig.tick()
        rig.switches.localReset = .inactive
        #expect(rig.state == .paused)
        #expect(rig.controller.stateReason == .localReset)
        rig.tick()
        #expect(rig.tick(.resume(acknowledging: .localReset)).reply == .accepted(.resume))
    }

    @Test func aBadSensorLatchesAFaultThatOnlyClearsWhenItRecovers() {
        var rig = TestRig()
        rig.startInjecting()
        rig.run(seconds: 0.5)
        rig.pressureOverride = SensorSample(value: Kilopascals(99_000), sampledAt: rig.now)
        let out = rig.tick()
        #expect(out.stepRate.rawValue <= 0)
        #expect(rig.state == .faulted)
        #expect(rig.controller.stateReason == .pressureOutOfRange)
        #expect(rig.tick(.resetFault).reply == .refused(.resetFault, .faultConditionPersists))
        rig.pressureOverride = nil
        rig.run(seconds: 1.5)
        #expect(rig.tick(.resetFault).reply == .accepted(.resetFault))
        #expect(rig.state == .paused)
        // The reset leaves the stop's relief running (175 µL back-off at 200 µL/s, then a
        // 1.5 s dwell): resuming waits for it.
        #expect(rig.tick(.resume(acknowledging: .pressureOutOfRange)).reply == .refused(.resume, .reliefInProgress))
        rig.run(seconds: 1)
        #expect(rig.tick(.resume(acknowledging: .pressureOutOfRange)).reply == .accepted(.resume))
    }

    @Test func pressureLimitReleasesAtOnceAndRepeatedLimitsAreAnOcclusion() {
        var c = TestRig.fastConfiguration()
        c.rates.mode = .continuous
        c.release.injectPeriod = .seconds(30)
        c.faults.occlusionPressure = .megapascals(3.4)
        var rig = TestRig(c)
        rig.loadResistance = 1e9 // a blocked needle: nothing flows out
        rig.startInjecting()
        var limits = 0
        var everForwardAtLimit = false
        rig.run(until: { r in
            let o = r.lastOutputs!
            if r.controller.events.contains(where: { $0.reason == .pressureLimit && $0.kind == .limitReached }) {
                limits += 1
                if o.stepRate.rawValue > 0 { everForwardAtLimit = true }
            }
            return r.state == .paused
        }, limit: 60)
        #expect(!everForwardAtLimit)
        #expect(rig.state == .paused)
        #expect(rig.controller.stateReason == .occlusion)
        #expect(limits >= 3)
    }

    @Test func lostHostLinkWhileInjectingStops() {
        var rig = TestRig()
        rig.startInjecting()
        rig.run(seconds: 0.3)
        rig.hostHeard = false
        // Heard last at the previous tick; the timeout is 500 ms.
        let stopped = rig.run(until: { $0.state == .paused }, limit: 1)
        #expect(stopped)
        #expect(rig.controller.stateReason == .hostLinkLost)
    }

    @Test func liquidCementIsStoppedAfterTheTestVolume() {
        var rig = TestRig()
        rig.loadResistance = 0.5 // runs like water: hardly any back-pressure
        rig.startInjecting()
        let reached3 = rig.run(until: { $0.state == .paused }, limit: 10)
        #expect(reached3)
        #expect(rig.controller.stateReason == .cementTooLiquid)
        #expect(rig.telemetry.delivered < Microliters(120))
    }

    @Test func workingTimeEndStopsInjection() {
        var c = TestRig.fastConfiguration()
        c.cement.workingPhaseEnd = .seconds(31)
        c.cement.settingTime = .seconds(60)
        c.cement.workingTimeWarning = .seconds(1)
        var rig = TestRig(c)
        rig.startInjecting()
        let reached4 = rig.run(until: { $0.state == .paused }, limit: 40)
        #expect(reached4)
        #expect(rig.controller.stateReason == .workingTimeExceeded)
        #expect(rig.history.contains { $0.kind == .warning && $0.reason == .workingTimeExceeded })
        rig.run(seconds: 3)
        #expect(rig.tick(.resume(acknowledging: .workingTimeExceeded)).reply == .refused(.resume, .workingTimeExceeded))
    }

    @Test func tightenedCapStopsEarlierAndCannotBeRaised() {
        var rig = TestRig()
        rig.startInjecting()
        #expect(rig.tick(.tightenCap(Microliters(200))).reply == .accepted(.tightenCap))
        #expect(rig.tick(.tightenCap(Microliters(300))).reply == .refused(.tightenCap, .wouldRaiseCap))
        let reached5 = rig.run(until: { $0.state == .complete }, limit: 30)
        #expect(reached5)
        #expect(rig.telemetry.committed <= Microliters(200) + rig.controller.geometry.volumePerStep)
        // A new plan in the same level: still primed, and the tightened cap is the level's
        // ceiling now (kept in the ledger): the level has used it up.
        let held = rig.telemetry.committed
        #expect(rig.tick(.configureProcedure(.defaultLumbar)).reply == .accepted(.configureProcedure))
        #expect(rig.state == .primed)
        #expect(rig.controller.ledger.levelCeiling == Microliters(200))
        #expect(rig.controller.budget.cap == max(.zero, Microliters(200) - held))
        #expect(rig.controller.budget.limit == .levelCeiling)
    }

    @Test func contradictoryEndOfTravelSwitchesAreAFault() {
        var rig = TestRig()
        rig.startInjecting()
        rig.switches.forwardEndOfTravel = .active
        rig.switches.rearEndOfTravel = .active
        let out = rig.tick()
        #expect(out.stepRate.rawValue <= 0)
        #expect(rig.state == .faulted)
        #expect(rig.controller.stateReason == .contradictoryInputs)
    }

    @Test func continuousModeReleasesEveryPeriod() {
        var c = TestRig.fastConfiguration()
        c.rates.mode = .continuous
        c.release.injectPeriod = .seconds(1)
        var rig = TestRig(c)
        rig.startInjecting()
        rig.run(seconds: 8)
        #expect(rig.telemetry.releaseCycles >= 3)
        let releases = rig.history.filter { $0.kind == .stateChanged && $0.state == .releasing && $0.reason == .releaseDue }
        #expect(releases.count >= 3)
    }
}

@Suite struct FrozenSensorTests {
    @Test func aReadingFrozenWhileThePlungerPushesIsAFault() {
        var rig = TestRig()
        rig.startInjecting()
        rig.run(seconds: 2)
        let frozen = rig.pressure
        var faultedAfter: Double?
        for i in 1...6000 {
            rig.pressureOverride = SensorSample(value: frozen, sampledAt: rig.now + rig.period)
            let out = rig.tick()
            if rig.state == .faulted { faultedAfter = Double(i) / 1000; #expect(out.stepRate.rawValue <= 0); break }
        }
        #expect(rig.controller.stateReason == .pressureStuck)
        // Pushing time is counted across releases: caught after 1 s of pushing plus at
        // most one release's back-off and dwell (1.8 s).
        #expect((faultedAfter ?? 99) <= 2.9)
    }

    @Test func aLiveReadingNeverTripsTheStuckCheck() {
        var rig = TestRig()
        rig.startInjecting()
        rig.run(seconds: 20)
        #expect(rig.state != .faulted)
    }
}
