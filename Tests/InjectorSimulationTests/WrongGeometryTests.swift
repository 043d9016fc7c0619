import Foundation
import InjectorCore
import InjectorPlant
import Testing
@testable import InjectorSimulation

/// Issue 9 finding 2: a syringe bore or needle dead volume configured wrong for the
/// hardware fitted. Before the geometry checks the controller counted its cap in the
/// wrong volume: 1 373 µL delivered against a 1 000 µL cap (bore 13.14 mm configured on
/// a 14.5 mm syringe), 1 772 µL against 900 µL (1.8 mL dead volume configured on a
/// 0.9 mL needle). Each test runs the plant, which fills the needle and shows the
/// pressure of a full one, with the plant's geometry apart from the controller's.
@Suite struct WrongGeometryTests {
    /// The events of the controller's run that name a geometry check, measured then configured.
    func geometryEvents(_ record: RunRecord) -> [ControllerEvent] {
        record.events.filter {
            ($0.kind == .hazardDetected || $0.kind == .geometryConfigured)
                && [.primedVolumeMismatch, .plungerAreaMismatch, .syringeSizeMismatch].contains($0.reason)
        }
    }

    @Test func aBoreConfiguredTooSmallIsSeenInPrimingAndArmIsRefused() throws {
        let scenario = try loadScenario("21-wrong-syringe-bore.yaml")
        let record = try LockstepRunner.controller(scenario)
        let o = record.outcome
        let finding = try #require(o.geometryFinding)
        #expect(finding.reason == .primedVolumeMismatch)
        // 900 µL of needle is 739 µL by a 13.14 mm bore's count.
        #expect(finding.measured < 0.9 * 900 && finding.measured > 700)
        #expect(finding.configured == 900)
        #expect(o.finalState == .primed)
        #expect(o.injectionStartedAt == nil)
        #expect(o.delivered.rawValue < 150, "before: 1 373 µL against the 1 000 µL cap")
        #expect(record.events.contains { $0.kind == .commandRefused && $0.refusal == .geometryMismatch })
        let named = geometryEvents(record)
        #expect(named.map(\.value) == [finding.measured, 900])
    }

    @Test func aDeadVolumeConfiguredTooLargeIsSeenInPrimingAndArmIsRefused() throws {
        let scenario = try loadScenario("22-wrong-dead-volume.yaml")
        let record = try LockstepRunner.controller(scenario)
        let o = record.outcome
        let finding = try #require(o.geometryFinding)
        #expect(finding.reason == .primedVolumeMismatch)
        #expect(abs(finding.measured - 900) < 90, "the needle fitted holds 900 µL")
        #expect(finding.configured == 1_800)
        #expect(o.finalState == .primed)
        #expect(o.injectionStartedAt == nil)
        // Priming stopped at the tip, not 900 µL later: what passed it is the detection's lag.
        #expect(o.delivered.rawValue < 150, "before: 1 772 µL against the 900 µL cap")
        #expect(record.events.contains { $0.kind == .commandRefused && $0.refusal == .geometryMismatch })
    }

    /// A bore 3.4 % small (14.0 mm on 14.5 mm) shifts the priming volume by only 7 %,
    /// within its 10 % tolerance; the load cell, read through the configured area, rises
    /// 7.3 % faster than the transducer, past its 6 %, and below the twin's disagreement
    /// fault (150 kPa or 15 %).
    @Test func theLoadCellRevealsAnAreaThePrimingVolumeDoesNot() throws {
        var scenario = try loadScenario("01-nominal.yaml")
        scenario.controller.pressureTwinFitted = true
        scenario.controller.syringe.innerDiameter = Millimeters(14.0)
        scenario.plant.syringe.innerDiameter = Millimeters(14.5)
        let o = try LockstepRunner.controller(scenario).outcome
        let finding = try #require(o.geometryFinding)
        #expect(finding.reason == .plungerAreaMismatch)
        #expect(abs(finding.measured - 14.5) < 0.1, "the bore the load cell implies: \(finding.measured) mm")
        #expect(finding.configured == 14.0)
        #expect(o.finalState == .primed)
        #expect(!o.stopReasons.contains(.pressureDisagreement))
        #expect(o.injectionStartedAt == nil)
    }

    /// With a barrel clamp the other syringe is found before any cement moves.
    @Test func theBarrelClampRefusesPrimingWithAnotherSyringe() throws {
        var scenario = try loadScenario("21-wrong-syringe-bore.yaml")
        scenario.controller.syringeSizeSensorFitted = true
        let record = try LockstepRunner.controller(scenario)
        let o = record.outcome
        let finding = try #require(o.geometryFinding)
        #expect(finding.reason == .syringeSizeMismatch)
        #expect(finding.measured == 14.5 && finding.configured == 13.14)
        #expect(o.finalState == .idle)
        #expect(o.delivered == .zero)
        #expect(record.events.contains {
            $0.kind == .commandRefused && $0.command == .prime && $0.refusal == .geometryMismatch
        })
    }

    /// The right geometry with every witness fitted: no finding, the nominal run as before.
    @Test func theRightGeometryPassesEveryCheck() throws {
        var scenario = try loadScenario("01-nominal.yaml")
        scenario.controller.pressureTwinFitted = true
        scenario.controller.syringeSizeSensorFitted = true
        let o = try LockstepRunner.controller(scenario).outcome
        #expect(o.geometryFinding == nil)
        #expect(o.finalState == .complete)
        #expect(o.delivered.rawValue > 4_000)
    }

    /// The naive pump is set up from the controller's configuration, so in both
    /// scenarios it is wrong in the same way and breaks the cap.
    @Test(arguments: ["21-wrong-syringe-bore.yaml", "22-wrong-dead-volume.yaml"])
    func theNaivePumpWithTheSameConfigurationOverdelivers(_ file: String) throws {
        let r = try ScenarioRunner.run(try loadScenario(file))
        for j in r.judged { #expect(j.controller.passed, "\(r.name): \(j.expectation.summary): \(j.controller.measured)") }
        #expect(r.baseline.outcome.delivered > r.cap + Microliters(300))
    }

    @Test func thePlantSectionNeedsBothKeys() {
        let text = shippedController + "plant:\n  syringeInnerDiameter: 14.5 mm\n"
        do {
            _ = try ScenarioFile.parse(text, directory: scenarioDirectory)
            Issue.record("a plant section without needleDeadVolume was accepted")
        } catch let e as ScenarioError {
            #expect(e.problems.map(\.field) == ["plant.needleDeadVolume"])
        } catch { Issue.record("\(error)") }
    }

    @Test func thePlantFollowsTheConfigurationUnlessTheSectionSaysOtherwise() throws {
        let plain = try ScenarioFile.parse(shippedController + "needle: {deadVolume: 1.8 mL}\n",
                                           directory: scenarioDirectory)
        #expect(plain.plant.needle.deadVolume == plain.controller.needle.deadVolume)
        #expect(plain.plant.syringe.innerDiameter == plain.controller.syringe.innerDiameter)
        let apart = try ScenarioFile.parse(
            shippedController + "plant: {syringeInnerDiameter: 15 mm, needleDeadVolume: 0.5 mL}\n",
            directory: scenarioDirectory)
        #expect(apart.plant.syringe.innerDiameter == Millimeters(15))
        #expect(apart.plant.needle.deadVolume == Microliters(500))
        #expect(apart.controller.syringe.innerDiameter == Millimeters(14.5))
        #expect(apart.controller.needle.deadVolume == Microliters(900))
    }
}
