import InjectorCore
import InjectorPlant
import Testing
@testable import InjectorSimulation

@Suite struct ScenarioFileErrors {
    func error(_ yaml: String) -> ScenarioError? {
        do { _ = try ScenarioFile.parse(yaml); return nil } catch let e as ScenarioError { return e } catch { return nil }
    }

    @Test func unknownTopLevelKeyIsNamed() {
        let e = error("name: x\nsede: 3\n")
        #expect(e?.field == "sede")
        #expect(e?.message.contains("unknown key") == true)
    }

    @Test func unknownNestedKeyIsNamedWithItsPath() {
        #expect(error("observer:\n  reactionDelay: 1\n")?.field == "observer.reactionDelay")
        #expect(error("leaks:\n  - path: vein\n    threshold_kPa: 4\n")?.field == "leaks[0].threshold_kPa")
        #expect(error("faults:\n  pressure: {kind: stuck, at_s: 1, colour: red}\n")?.field == "faults.pressure.colour")
    }

    @Test func outOfRangeValueNamesFieldAndRange() throws {
        let e = try #require(error("observer:\n  reactionDelay_s: 500\n"))
        #expect(e.field == "observer.reactionDelay_s")
        #expect(e.message.contains("0 … 120 s"))
    }

    @Test func malformedValuesAreNamed() {
        #expect(error("patient:\n  permeability_m2: lots\n")?.field == "patient.permeability_m2")
        #expect(error("expect:\n  finalState: done\n")?.field == "expect.finalState")
        #expect(error("leaks:\n  - path: artery\n")?.field == "leaks[0].path")
        #expect(error("faults:\n  pressure: {kind: drift, at_s: 5}\n")?.field == "faults.pressure.rate_kPa_s")
        #expect(error("faults:\n  missedSteps: {at_s: 5, until_s: 2, fraction: 0.3}\n")?.field == "faults.missedSteps.until_s")
    }

    @Test func aGoodFileReadsEveryField() throws {
        let s = try ScenarioFile.parse("""
            name: t
            seed: 9
            patient: {permeability_m2: 5.0e-10}
            needle: {gauge: "13"}
            cement: {ageAtStart_s: 400}
            leaks:
              - {path: needleTract, opensAtFilledVolume_uL: 300}
            controller: {positionSensorFitted: true, leakWindow_s: 1.0}
            operator: {onLeakSeen: {resumeAfter_s: 90}}
            host: {lostAt_s: 12}
            faults: {pressure: {kind: noiseBurst, at_s: 5, until_s: 8, sigma_kPa: 30}}
            expect: {finalState: paused, stoppedFor: hostLinkLost, leakedOnPathAtMost_uL: {vein: 5}}
            """)
        #expect(s.seed == 9)
        #expect(s.plant.body.permeability.rawValue == 5e-10)
        #expect(s.plant.needle.bore.rawValue == 1.8 && s.controller.needle.bore.rawValue == 1.8)
        #expect(s.operatorPolicy.startAge == .seconds(400))
        #expect(s.plant.leaks.needleTract.opensAtFilledVolume == Microliters(300))
        #expect(s.controller.positionSensorFitted)
        #expect(s.operatorPolicy.onLeakSeen == .resume(after: .seconds(90)))
        #expect(s.host.lostAfterStart == .seconds(12))
        #expect(s.faults.pressure?.kind == .noiseBurst(standardDeviation: Kilopascals(30)))
        #expect(s.expectations == [.leakedOnPathAtMost(.vein, Microliters(5)), .finalState(.paused), .stoppedFor(.hostLinkLost)])
    }

    @Test func everyShippedScenarioParses() throws {
        let files = try ScenarioLibrary.files(in: scenarioDirectory)
        #expect(files.count >= 15)
        for f in files { _ = try ScenarioFile.load(path: f) }
    }
}
