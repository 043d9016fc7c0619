import InjectorCore
import InjectorPlant
import Testing
@testable import InjectorSimulation

/// The shipped configuration, from the scenarios' directory, for scenarios written in tests.
let shippedController = "controller: {extends: ../../hardware/configs/lumbar-10ml-11g.yaml}\n"

@Suite struct ScenarioFileErrors {
    /// The error for `yaml`, read as if it were in simulator/scenarios, with the shipped
    /// controller unless `controller` is false.
    func error(_ yaml: String, controller: Bool = true) -> ScenarioError? {
        do {
            _ = try ScenarioFile.parse((controller ? shippedController : "") + yaml, directory: scenarioDirectory)
            return nil
        } catch let e as ScenarioError { return e } catch { return nil }
    }

    @Test func unknownTopLevelKeyIsNamedWithTheNearestKnownOne() {
        let e = error("name: x\nsede: 3\n")
        #expect(e?.field == "sede")
        #expect(e?.message.contains("unknown key") == true)
        #expect(e?.message.contains("did you mean \"seed\"?") == true)
    }

    @Test func unknownNestedKeyIsNamedWithItsPath() {
        #expect(error("observer:\n  reactionDelai: 1 s\n")?.field == "observer.reactionDelai")
        #expect(error("leaks:\n  - path: vein\n    threshold: 4 kPa\n")?.field == "leaks[0].threshold")
        #expect(error("faults:\n  pressure: {kind: stuck, at: 1 s, colour: red}\n")?.field == "faults.pressure.colour")
    }

    @Test func outOfRangeValueNamesFieldAndRange() throws {
        let e = try #require(error("observer:\n  reactionDelay: 500 s\n"))
        #expect(e.field == "observer.reactionDelay")
        #expect(e.message.contains("0 s … 120 s"))
    }

    @Test func aDimensionedValueNeedsItsUnit() throws {
        let e = try #require(error("observer:\n  reactionDelay: 1.5\n"))
        #expect(e.field == "observer.reactionDelay")
        #expect(e.message.contains("a number with a unit"))
        #expect(error("baseline: {flow: 70}\n")?.field == "baseline.flow")
    }

    @Test func malformedValuesAreNamed() {
        #expect(error("patient:\n  permeability: lots\n")?.field == "patient.permeability")
        #expect(error("expect:\n  finalState: done\n")?.field == "expect.finalState")
        #expect(error("leaks:\n  - path: artery\n")?.field == "leaks[0].path")
        #expect(error("faults:\n  pressure: {kind: drift, at: 5 s}\n")?.field == "faults.pressure.rate")
        #expect(error("faults:\n  missedSteps: {at: 5 s, until: 2 s, fraction: 0.3}\n")?.field == "faults.missedSteps.until")
    }

    @Test func everyProblemOfTheFileIsInOneReport() throws {
        let e = try #require(error("sede: 3\nobserver: {reactionDelay: 500 s}\nexpect: {finalState: done}\n"))
        #expect(Set(e.problems.map(\.field)) == ["sede", "observer.reactionDelay", "expect.finalState"])
        #expect(e.description.contains("3 problems"))
    }

    /// The controller's configuration is required and complete, in the configuration
    /// files' own format; a partial one names what it lacks under `controller.`.
    @Test func theControllerIsAConfigurationInTheSameFormat() throws {
        let none = try #require(error("name: x\n", controller: false))
        #expect(none.field == "controller" && none.message.contains("missing"))
        let partial = try #require(error("controller: {rates: {injectionFlow: 70 µL/s}}\n", controller: false))
        #expect(partial.problems.contains { $0.field == "controller.needle.bore" && $0.value == "missing" })
        #expect(!partial.problems.contains { $0.field == "controller.rates.injectionFlow" })
        let typo = try #require(error("""
            controller:
              extends: ../../hardware/configs/lumbar-10ml-11g.yaml
              rates: {injectionFlo: 70 µL/s}
            """, controller: false))
        #expect(typo.field == "controller.rates.injectionFlo" && typo.message.contains("did you mean \"injectionFlow\"?"))
        let s = try ScenarioFile.parse("""
            controller:
              extends: ../../hardware/configs/lumbar-10ml-11g.yaml
              rates: {injectionFlow: 70 µL/s}
              pressureTwinFitted: true
            """, directory: scenarioDirectory)
        #expect(s.controller.rates.injectionFlow == MicrolitersPerSecond(70))
        #expect(s.controller.pressureTwinFitted)
        // The needle belongs to the scenario, which sets the plant's and the controller's.
        #expect(error("""
            controller:
              extends: ../../hardware/configs/lumbar-10ml-11g.yaml
              needle: {bore: 1.8 mm}
            """, controller: false)?.field == "controller.needle")
    }

    @Test func aGoodFileReadsEveryField() throws {
        let s = try ScenarioFile.parse(shippedController + """
            name: t
            seed: 9
            patient: {permeability: 5.0e-10 m²}
            needle: {gauge: "13"}
            cement: {ageAtStart: 400 s}
            leaks:
              - {path: needleTract, opensAtFilledVolume: 300 µL}
            operator: {onLeakSeen: {resumeAfter: 90 s}}
            host: {lostAt: 12 s}
            faults: {pressure: {kind: noiseBurst, at: 5 s, until: 8 s, sigma: 30 kPa}}
            expect: {finalState: paused, stoppedFor: hostLinkLost, leakedOnPathAtMost: {vein: 5 µL}}
            """, directory: scenarioDirectory)
        #expect(s.seed == 9)
        #expect(s.plant.body.permeability.rawValue == 5e-10)
        #expect(s.plant.needle.bore.rawValue == 1.8 && s.controller.needle.bore.rawValue == 1.8)
        #expect(s.operatorPolicy.startAge == .seconds(400))
        #expect(s.plant.leaks.needleTract.opensAtFilledVolume == Microliters(300))
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
