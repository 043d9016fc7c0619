import Testing
@testable import InjectorCore

/// Issue 9, finding 4: relief trusts a bad reading. A reading stuck low at a stop
/// ended the back-off at once (it is already "below releasedBelow"), and the volume
/// stored in the syringe flowed on into the patient.
@Suite struct ReliefByVolumeTests {
    /// Injects for a while, then freezes the transducer at `stuckAt` with fresh time
    /// stamps: the sudden fall looks like a leak, so the leak detector stops the
    /// injection. Returns the volume backed off by the stop's relief and what flowed out
    /// of the needle from the stop on.
    static func stuckLowStop(stuckAt: Kilopascals = Kilopascals(100)) -> (backedOff: Microliters, afterFlow: Double, rig: TestRig) {
        var rig = TestRig()
        rig.startInjecting()
        rig.run(seconds: 1.5)
        var stopDisplaced = Microliters.zero, deliveredAtStop = 0.0, lowest = Microliters(.infinity)
        for _ in 0..<10_000 {
            rig.pressureOverride = SensorSample(value: stuckAt, sampledAt: rig.now + rig.period)
            let running = rig.state == .injecting || rig.state == .releasing
            rig.tick()
            let stopped = rig.state != .injecting && rig.state != .releasing
            if running && stopped {
                stopDisplaced = rig.controller.budget.displaced
                deliveredAtStop = rig.trueDelivered
            }
            if stopped { lowest = min(lowest, rig.controller.budget.displaced) }
            if stopped && rig.telemetry.relief == .none { break }
        }
        rig.pressureOverride = nil
        rig.run(seconds: 5) // what the syringe still stores flows out
        return (stopDisplaced - lowest, rig.trueDelivered - deliveredAtStop, rig)
    }

    /// Before the fix: backed off 0.0 µL, and 25.7 µL flowed out in the 5 s after the stop on the
    /// toy load. After: the full stop back-off (175 µL), after-flow 5.9 µL.
    @Test func aReadingStuckLowAtAStopIsReliefByVolume() {
        let (backedOff, afterFlow, rig) = Self.stuckLowStop()
        #expect(rig.controller.stateReason == .leakSuspected)
        let full = rig.configuration.release.stopBackoffVolume
        let step = rig.controller.geometry.volumePerStep
        #expect(backedOff >= full - step, "backed off \(backedOff), after-flow \(afterFlow) µL")
        #expect(afterFlow < 10, "after-flow \(afterFlow) µL, backed off \(backedOff)")
    }

    @Test func aReliefThatDistrustsTheReadingRunsItsFullVolume() {
        let spec = ReleaseSpec(stopBackoffVolume: Microliters(175), releasedBelow: Kilopascals(150))
        var r = PressureRelief(spec: spec)
        r.begin(at: .origin, displaced: Microliters(1000), afterStop: true, pressureTrusted: false)
        let low = r.advance(at: .origin + .milliseconds(10), displaced: Microliters(999), pressure: Kilopascals(20),
                            rearEndOfTravel: .inactive)
        #expect(low == .backingOff(spec.stopBackoffFlow))          // a low reading does not end it
        let done = r.advance(at: .origin + .milliseconds(1800), displaced: Microliters(825), pressure: Kilopascals(20),
                             rearEndOfTravel: .inactive)
        #expect(done == .dwelling)
        // Trusted at the start, untrusted during the back-off: by volume from then on.
        var s = PressureRelief(spec: spec)
        s.begin(at: .origin, displaced: Microliters(1000), afterStop: true)
        _ = s.advance(at: .origin, displaced: Microliters(1000), pressure: Kilopascals(900), pressureTrusted: false,
                      rearEndOfTravel: .inactive)
        let later = s.advance(at: .origin + .milliseconds(10), displaced: Microliters(999), pressure: Kilopascals(20),
                              rearEndOfTravel: .inactive)
        #expect(later == .backingOff(spec.stopBackoffFlow))
    }

    /// The stop back-off must cover what the largest compliance stores at the limit.
    @Test func theStopBackOffMustCoverTheMaximumComplianceAtTheLimit() {
        var c = InjectorConfiguration()
        #expect(c.problems().isEmpty)
        #expect(c.release.stopBackoffVolume == Microliters(175))
        c.release.stopBackoffVolume = Microliters(150) // the shipped value before the fix
        let problem = c.problems().first { $0.field == "release.stopBackoffVolume" }
        #expect(problem?.allowed == "at least syringe.maximumCompliance × pressure.limit (175 µL)")
        var d = InjectorConfiguration()
        d.syringe.maximumCompliance = MicrolitersPerKilopascal(0.005) // below the lower bound 0.01
        #expect(d.problems().contains { $0.field == "syringe.maximumCompliance" })
    }
}

/// Issue 9, finding 3: resume forgets the hazard. A resume after a posterior-quarter
/// or leak stop ran on to the full cap (scenarios 18 and 19 show it in the plant).
@Suite struct ResumeAfterHazardStopTests {
    /// Injects, stops with `stop`, waits out the leak pause, resumes and injects on;
    /// returns committed at the stop, the cap then, and committed 20 s after the resume.
    static func resumeAfter(_ stop: (inout TestRig) -> Void, allowance: Microliters)
        -> (atStop: Microliters, cap: Microliters, after: Microliters, reply: CommandReply?) {
        var c = TestRig.fastConfiguration()
        c.faults.resumeAllowanceAfterStop = allowance
        var rig = TestRig(c)
        rig.startInjecting()
        rig.run(seconds: 2)
        stop(&rig)
        let atStop = rig.controller.budget.committed, cap = rig.controller.budget.cap
        rig.switches = SwitchInputs(enable: .active)
        rig.run(seconds: 61)
        let reply = rig.tick(.resume(acknowledging: rig.controller.stateReason)).reply
        rig.run(seconds: 20)
        return (atStop, cap, rig.controller.budget.committed, reply)
    }

    /// Before the fix the resume was accepted and ran on toward the plan's cap (the plant
    /// figures are in scenarios 18 and 19). After: with no allowance the resume is
    /// refused (cap used up); with 100 µL it adds at most 100 µL.
    @Test(arguments: [Reason.posteriorQuarterReached, .leakSeen])
    func aResumeAddsAtMostTheAllowance(_ reason: Reason) {
        let press: (inout TestRig) -> Void = { rig in
            if reason == .leakSeen { rig.switches.leakSeenStop = .active } else { rig.switches.posteriorQuarterStop = .active }
            rig.tick()
        }
        let tol = Microliters(0.2)
        let none = Self.resumeAfter(press, allowance: .zero)
        #expect(none.cap <= none.atStop + tol, "cap \(none.cap) at the stop, committed \(none.atStop)")
        #expect(none.after <= none.atStop + tol, "committed \(none.atStop) at the stop, \(none.after) after resuming")
        #expect(none.reply == .refused(.resume, .capExhausted))
        let some = Self.resumeAfter(press, allowance: Microliters(100))
        #expect(some.reply == .accepted(.resume))
        #expect(some.after <= some.atStop + Microliters(100) + tol)
        #expect(some.after > some.atStop + Microliters(90))
    }

    /// The host's stop intent tightens the cap as the operator's input does.
    @Test func aHostStopIntentTightensTheCapToo() {
        let r = Self.resumeAfter({ rig in rig.tick(.stop(.posteriorQuarterReached)) }, allowance: .zero)
        #expect(r.after <= r.atStop + Microliters(0.2))
        #expect(r.reply == .refused(.resume, .capExhausted))
    }

    @Test func aLeakPauseUnderSixtySecondsIsRefused() {
        var c = InjectorConfiguration()
        c.faults.leakPauseMinimum = .zero
        #expect(c.problems().contains { $0.field == "faults.leakPauseMinimum" && $0.allowed == "60 s … 600 s" })
        c.faults.leakPauseMinimum = .seconds(60)
        c.faults.resumeAllowanceAfterStop = Microliters(501)
        #expect(c.problems().map(\.field) == ["faults.resumeAllowanceAfterStop"])
    }
}

/// The hole in finding 3: the cap tightened at a posterior-quarter or leak stop lived
/// only in the running budget, so a new plan in the same level, or a restart, got the
/// plan's cap back less the level's earlier rounds.
@Suite struct HazardCeilingKeptInTheLedgerTests {
    /// Injects 2 s, stops at the posterior quarter, finishes and sends the plan again.
    static func stoppedThenReplanned(allowance: Microliters) -> (rig: TestRig, atStop: Microliters) {
        var c = TestRig.fastConfiguration()
        c.faults.resumeAllowanceAfterStop = allowance
        var rig = TestRig(c)
        rig.startInjecting()
        rig.run(seconds: 2)
        rig.switches.posteriorQuarterStop = .active
        rig.tick()
        let atStop = rig.controller.ledger.levelCommitted(running: rig.controller.budget.committed)
        rig.switches = SwitchInputs(enable: .active)
        rig.tick(.stop(.finish))
        rig.run(seconds: 5)
        #expect(rig.tick(.configureProcedure(c.procedure)).reply == .accepted(.configureProcedure))
        return (rig, atStop)
    }

    /// Before the fix the new plan's cap was 4 374.0 µL (the plan's less the ~126 µL
    /// committed at the stop) and `start` was accepted; after, the cap is what the
    /// allowance leaves (0 µL here).
    @Test func aNewPlanAfterAPosteriorQuarterStopKeepsTheTightenedCap() {
        var (rig, _) = Self.stoppedThenReplanned(allowance: .zero)
        #expect(rig.controller.budget.cap < rig.controller.geometry.volumePerStep, "cap \(rig.controller.budget.cap)")
        rig.tick(.arm)
        rig.run(seconds: 1)
        #expect(rig.tick(.start).reply == .refused(.start, .capExhausted))
    }

    /// Before the fix the level took 1 175.7 µL against 226.2 µL (at the stop + 100 µL).
    @Test func aNewPlanGetsAtMostTheAllowanceLeft() {
        var (rig, atStop) = Self.stoppedThenReplanned(allowance: Microliters(100))
        #expect(rig.controller.budget.cap <= Microliters(100.2), "cap \(rig.controller.budget.cap)")
        rig.tick(.arm)
        rig.run(seconds: 1)
        #expect(rig.tick(.start).reply == .accepted(.start))
        _ = rig.run(until: { $0.state == .complete }, limit: 30)
        let level = rig.controller.ledger.levelCommitted(running: rig.controller.budget.committed)
        #expect(level <= atStop + Microliters(100.2), "level \(level), \(atStop) at the stop")
    }

    /// Before the fix a controller restored from `persistentLedger` had a 4 374.0 µL cap.
    @Test func aRestartKeepsTheTightenedCap() {
        let (rig, _) = Self.stoppedThenReplanned(allowance: .zero)
        let restarted = InjectionController(configuration: try! rig.configuration.validated(),
                                            ledger: rig.controller.persistentLedger)
        #expect(restarted.budget.cap < restarted.geometry.volumePerStep, "cap \(restarted.budget.cap)")
        // And a record read back from disk says the same.
        let reread = VolumeLedger(record: rig.controller.persistentLedger.record)
        #expect(reread == rig.controller.persistentLedger)
    }

    /// `tightenCap` lowers the level's ceiling too: a new plan cannot undo it (before the
    /// fix the new plan's cap was 4 373.9 µL).
    @Test func aTightenedCapSurvivesANewPlan() {
        var rig = TestRig()
        rig.startInjecting()
        rig.run(seconds: 2)
        let committed = rig.controller.budget.committed
        #expect(rig.tick(.tightenCap(committed + Microliters(20))).reply == .accepted(.tightenCap))
        rig.tick(.stop(.finish))
        rig.run(seconds: 5)
        rig.tick(.configureProcedure(rig.configuration.procedure))
        #expect(rig.controller.budget.cap <= Microliters(20.2), "cap \(rig.controller.budget.cap)")
    }
}

/// A fault reset must not cut short the relief of the stop that latched the fault.
@Suite struct ResetFaultKeepsTheReliefTests {
    /// Before the fix `resetFault` cancelled the back-off: 0.155 µL of the 175 µL were backed
    /// off. After: the reset is accepted and the back-off runs its full volume.
    @Test func aFaultResetLetsTheBackOffFinish() {
        var rig = TestRig()
        rig.startInjecting()
        rig.run(seconds: 2)
        let before = rig.controller.budget.displaced
        rig.pressureOverride = SensorSample(value: .zero, sampledAt: rig.now + rig.period, status: .error)
        rig.tick()
        #expect(rig.state == .faulted && rig.controller.reliefPhase == .backingOff)
        rig.pressureOverride = nil
        rig.tick()
        rig.tick()
        #expect(rig.tick(.resetFault).reply == .accepted(.resetFault))
        #expect(rig.state == .paused)
        var lowest = rig.controller.budget.displaced
        _ = rig.run(until: { r in
            lowest = min(lowest, r.controller.budget.displaced)
            return r.controller.reliefPhase == .none
        }, limit: 10)
        let backedOff = before - lowest
        let full = rig.configuration.release.stopBackoffVolume
        #expect(backedOff >= full - rig.controller.geometry.volumePerStep * 2, "backed off \(backedOff) of \(full)")
        // Resuming waits for it, as after any stop.
        #expect(rig.controller.reliefPhase == .none)
    }
}

/// Issue 9, finding 3b: after a leak, a resume must bring the injection pressure back
/// toward its pre-leak level; while it does not, the injection pauses again.
@Suite struct LeakPressureRecoveryTests {
    /// A leak seen at the operator's input, the pause waited out, a resume with a
    /// 500 µL allowance (shipped: 0, and the resume is refused). `openLeak` lowers the
    /// load's resistance tenfold before resuming: the path is still open and pressure
    /// stays at a tenth of its old level. Returns the rig 20 s after the resume, the
    /// pressure at the stop and the volume committed since the resume.
    static func resumeAfterLeak(openLeak: Bool) -> (rig: TestRig, atStop: Kilopascals, added: Microliters) {
        var c = TestRig.fastConfiguration()
        c.faults.resumeAllowanceAfterStop = Microliters(500)
        c.faults.leakRecoveryWindow = .seconds(3)
        var rig = TestRig(c)
        rig.startInjecting()
        rig.run(seconds: 4)
        let atStop = rig.pressure
        rig.switches.leakSeenStop = .active
        rig.tick()
        rig.switches = SwitchInputs(enable: .active)
        rig.run(seconds: 61)
        if openLeak { rig.loadResistance /= 10 }
        let before = rig.controller.budget.committed
        #expect(rig.tick(.resume(acknowledging: .leakSeen)).reply == .accepted(.resume))
        rig.run(seconds: 20)
        return (rig, atStop, rig.controller.budget.committed - before)
    }

    /// Before: the resume into the open path ran on to the 500 µL allowance (500.0 µL added,
    /// state complete, no pause). After: paused with `leakPressureNotRecovered` 3 s in.
    @Test func aResumeIntoALeakStillOpenPausesAgain() {
        let (rig, atStop, added) = Self.resumeAfterLeak(openLeak: true)
        #expect(rig.state == .paused && rig.controller.stateReason == .leakPressureNotRecovered,
                "\(rig.state) \(rig.controller.stateReason), \(added) added, \(atStop) at the stop")
        #expect(added < Microliters(250), "\(added) added after the resume")
        #expect(rig.history.contains { $0.kind == .hazardDetected && $0.reason == .leakPressureNotRecovered })
    }

    /// A sealed path: pressure comes back and the resume runs on to the allowance.
    @Test func aResumeWhosePressureRecoversRunsOn() {
        let (rig, _, added) = Self.resumeAfterLeak(openLeak: false)
        #expect(!rig.history.contains { $0.reason == .leakPressureNotRecovered })
        #expect(rig.state == .complete, "\(rig.state) \(rig.controller.stateReason)")
        #expect(added > Microliters(490) && added <= Microliters(500.2))
    }

    @Test func theRecoveryKeysAreRangeChecked() {
        var c = InjectorConfiguration()
        #expect(c.faults.leakRecoveryFraction == 0.6 && c.faults.leakRecoveryWindow == .seconds(10))
        c.faults.leakRecoveryFraction = 0.05
        c.faults.leakRecoveryWindow = .seconds(1)
        #expect(c.problems().map(\.field) == ["faults.leakRecoveryFraction", "faults.leakRecoveryWindow"])
    }
}
