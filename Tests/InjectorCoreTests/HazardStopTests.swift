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
        #expect(low == .backingOff(spec.backoffFlow))          // a low reading does not end it
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
        #expect(later == .backingOff(spec.backoffFlow))
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
