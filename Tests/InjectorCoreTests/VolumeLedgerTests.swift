import Testing
@testable import InjectorCore

/// Issue 9, finding 1: the serial host could reset the cap. After `complete`, a new
/// plan rebuilt the budget from zero and `prime` pushed the dead volume again through a
/// needle already in bone; a restart zeroed the budget too. The ledger keeps both.
@Suite struct VolumeLedgerTests {
    /// A rig with a 300 µL cap, injected to its cap.
    func rigAtCap() -> TestRig {
        var c = TestRig.fastConfiguration()
        c.procedure.anteriorCapacity = .direct(Microliters(1000))   // 30 % fill: 300 µL
        var rig = TestRig(c)
        rig.startInjecting()
        let done = rig.run(until: { $0.state == .complete }, limit: 60)
        precondition(done, "never reached the cap: \(rig.state) \(rig.controller.stateReason)")
        return rig
    }

    @Test func aNewPlanAfterCompleteDoesNotResetTheLevelsCap() {
        var rig = rigAtCap()
        let first = rig.controller.budget.committed
        #expect(first.rawValue > 290 && first.rawValue <= 301)
        var plan = ProcedurePlan.defaultLumbar
        plan.anteriorCapacity = .direct(Microliters(1000))
        #expect(rig.tick(.configureProcedure(plan)).reply == .accepted(.configureProcedure))
        // Same level, needle still primed: no priming again, and nothing left of the cap.
        #expect(rig.state == .primed && rig.controller.stateReason == .levelStillPrimed)
        #expect(rig.tick(.prime).reply == .refused(.prime, .notAllowedWhilePrimed))
        #expect(rig.controller.budget.cap.rawValue < 10)
        rig.tick(.arm)
        rig.run(seconds: 1)
        let start = rig.tick(.start).reply
        #expect(start == .refused(.start, .capExhausted))
        rig.run(seconds: 5)
        #expect(rig.trueDelivered <= 301, "the load received \(rig.trueDelivered) µL against a 300 µL cap")
        #expect(rig.telemetry.levelCommitted.rawValue <= 301)
    }

    @Test func aLargerPlanInTheSameLevelGetsOnlyWhatItsCapLeaves() {
        var rig = rigAtCap()
        var plan = ProcedurePlan.defaultLumbar
        plan.anteriorCapacity = .direct(Microliters(2000))          // a 600 µL plan
        rig.tick(.configureProcedure(plan))
        #expect(rig.controller.budget.cap.rawValue > 290 && rig.controller.budget.cap.rawValue <= 310)
        #expect(rig.controller.budget.limit == .levelLedger)
        rig.tick(.arm)
        rig.run(seconds: 1)
        #expect(rig.tick(.start).reply == .accepted(.start))
        _ = rig.run(until: { $0.state == .complete }, limit: 60)
        #expect(rig.trueDelivered <= 602, "the level received \(rig.trueDelivered) µL against a 600 µL plan")
    }

    @Test func primingTwiceInALevelIsRefused() {
        var rig = TestRig()
        rig.tick(.cementMixed)
        rig.tick(.prime)
        _ = rig.run(until: { $0.state == .primed }, limit: 5)
        rig.tick(.stop(.finish))
        #expect(rig.tick(.configureProcedure(.defaultLumbar)).reply == .accepted(.configureProcedure))
        #expect(rig.state == .primed)
        rig.tick(.stop(.finish))
        rig.run(seconds: 3)
        // Even from idle after a restart: the restored ledger says the level is primed.
        var restarted = InjectionController(configuration: try! rig.configuration.validated(),
                                            ledger: rig.controller.persistentLedger)
        let out = restarted.step(ControllerInputs(now: rig.now, stepPosition: .zero,
                                                  pressure: SensorSample(value: .zero, sampledAt: rig.now),
                                                  switches: SwitchInputs(enable: .active), command: .prime,
                                                  hostLastHeard: rig.now))
        #expect(out.reply == .refused(.prime, .levelAlreadyPrimed))
    }

    @Test func aRestartResumesTheLedgerInsteadOfZeroingIt() {
        let rig = rigAtCap()
        let ledger = rig.controller.persistentLedger
        #expect(ledger.levelBefore == rig.controller.budget.committed && ledger.levelPrimed)
        let restarted = InjectionController(configuration: try! rig.configuration.validated(), ledger: ledger)
        #expect(restarted.budget.cap.rawValue < 10)
        #expect(restarted.budget.limit == .levelLedger)
    }

    @Test func theSessionCeilingCapsTotalCementAcrossLevels() {
        var c = TestRig.fastConfiguration()
        c.ceilings.maxSessionVolume = Microliters(1000)             // the least a configuration may say
        c.procedure.anteriorCapacity = .direct(Microliters(2000))   // 600 µL per level
        var rig = TestRig(c)
        rig.startInjecting()
        _ = rig.run(until: { $0.state == .complete }, limit: 60)
        // A new level needs the key on the device; without it the plan stays in this level.
        rig.switches.newLevel = .active
        rig.tick()
        rig.switches.newLevel = .inactive
        #expect(rig.controller.newLevelRequested)
        #expect(rig.tick(.configureProcedure(c.procedure)).reply == .accepted(.configureProcedure))
        #expect(rig.controller.ledger.levelIndex == 2 && rig.state == .idle)
        #expect(rig.controller.budget.cap.rawValue > 390 && rig.controller.budget.cap.rawValue < 410)
        #expect(rig.controller.budget.limit == .sessionCeiling)
    }

    @Test func theNewLevelKeyCountsOnlyWhileNothingIsUnderWay() {
        var rig = TestRig()
        rig.startInjecting()
        rig.switches.newLevel = .active
        rig.run(seconds: 0.1)
        #expect(!rig.controller.newLevelRequested)
    }

    @Test func aPersistedRecordThatIsNotOneIsRefused() {
        #expect(VolumeLedger(levelIndex: 0, levelPrimed: false, levelCommitted: .zero, sessionCommitted: .zero) == nil)
        #expect(VolumeLedger(levelIndex: 1, levelPrimed: true, levelCommitted: Microliters(10),
                             sessionCommitted: Microliters(5)) == nil)
        #expect(VolumeLedger(levelIndex: 1, levelPrimed: true, levelCommitted: Microliters(.nan),
                             sessionCommitted: Microliters(5)) == nil)
        #expect(VolumeLedger(levelIndex: 2, levelPrimed: true, levelCommitted: Microliters(10),
                             sessionCommitted: Microliters(50)) != nil)
    }
}

@Suite struct VolumeLedgerRecordTests {
    @Test func aRecordReadsBackToTheSameLedger() throws {
        let ledger = try #require(VolumeLedger(levelIndex: 3, levelPrimed: true, levelCommitted: Microliters(1234.5678),
                                               sessionCommitted: Microliters(4321.25)))
        #expect(VolumeLedger(record: ledger.record) == ledger)
        #expect(ledger.record.hasPrefix(VolumeLedger.recordHeader + "\n"))
    }

    @Test func anythingElseIsRefused() {
        let good = VolumeLedger().record
        for bad in ["", "garbage", good.replacingFirst("levelIndex=1", "levelIndex=x"),
                    good.replacingFirst("levelPrimed=0", "levelPrimed=2"), good + "extra=1\n",
                    good.replacingFirst("injector-volume-ledger 2", "injector-volume-ledger 3"),
                    good.replacingFirst("levelCeilingUL=none", "levelCeilingUL=-5"),
                    good.replacingFirst("levelCeilingUL=none\n", ""),
                    good.replacingFirst("sessionCommittedUL=0.0", "sessionCommittedUL=-1")] {
            #expect(VolumeLedger(record: bad) == nil, "accepted: \(bad)")
        }
    }

    @Test func aCeilingReadsBackAndVersion1RecordsAreStillRead() throws {
        let ledger = try #require(VolumeLedger(levelIndex: 2, levelPrimed: true, levelCommitted: Microliters(300),
                                               sessionCommitted: Microliters(900), levelCeiling: Microliters(350)))
        #expect(ledger.record.contains("levelCeilingUL=350.0\n"))
        #expect(VolumeLedger(record: ledger.record) == ledger)
        let v1 = "injector-volume-ledger 1\nlevelIndex=2\nlevelPrimed=1\nlevelCommittedUL=300.0\nsessionCommittedUL=900.0\n"
        let old = try #require(VolumeLedger(record: v1))
        #expect(old.levelBefore == Microliters(300) && old.levelCeiling == nil)
        #expect(VolumeLedger(record: v1 + "levelCeilingUL=350.0\n") == nil)   // a version 1 record has four keys
        // The ceiling only falls, caps the next plan, and a new level clears it.
        var l = ledger
        l.lowerLevelCeiling(toRunningCap: Microliters(100))                    // 300 + 100 > 350: kept
        #expect(l.levelCeiling == Microliters(350))
        #expect(l.cap(forPlan: Microliters(4000), sessionCeiling: Microliters(7000)) == Microliters(50))
        l.beginNewLevel()
        #expect(l.levelCeiling == nil)
    }

    @Test func aMarginIsAddedToBothVolumes() throws {
        let l = try #require(VolumeLedger(levelIndex: 1, levelPrimed: true, levelCommitted: Microliters(10),
                                          sessionCommitted: Microliters(20))).adding(Microliters(5))
        #expect(l.levelBefore == Microliters(15) && l.sessionBefore == Microliters(25))
    }
}

extension String {
    func replacingFirst(_ a: String, _ b: String) -> String {
        guard let r = range(of: a) else { return self }
        return replacingCharacters(in: r, with: b)
    }
}
