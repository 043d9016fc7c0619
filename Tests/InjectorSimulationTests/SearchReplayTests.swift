import Foundation
import InjectorCore
import Testing
@testable import InjectorSimulation

/// A CI-sized search (a few short runs) whose worst cases are written as scenario files
/// and replayed: the same run, tick for tick, so the same margins.
@Suite struct SearchReplayTests {
    static let campaignFile = URL(fileURLWithPath: scenarioDirectory).deletingLastPathComponent()
        .appendingPathComponent("campaigns/default.yaml").path

    func smallSearch(_ method: SearchMethod, seed: UInt64 = 3, budget: Int = 6) throws -> SearchSpec {
        var campaign = try CampaignSpec.load(path: Self.campaignFile)
        campaign.maxDuration = .seconds(20)
        var spec = SearchSpec(space: SearchSpace(campaign: campaign))
        spec.method = method
        spec.budget = budget
        spec.settings.population = 3
        spec.seed = seed
        return spec
    }

    @Test func aWrittenWorstCaseReplaysToTheSameMargin() throws {
        let result = FalsificationSearch.run(try smallSearch(.cem), jobs: 2)
        #expect(result.evaluations.map(\.index) == Array(0..<6))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("search-replay-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let controller = try SearchScenarioFiles.controllerFile(ofCampaign: Self.campaignFile)
        for (rank, e) in result.worst(2).enumerated() {
            let path = folder.appendingPathComponent("worst-\(rank + 1).yaml").path
            try SearchScenarioFiles.write(result.spec.scenario(at: e.point, index: e.index), to: path,
                                          controllerFile: controller, note: ["test"])
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("seed: 3\n") && text.contains("extends: "))
            let replayed = try ScenarioFile.load(path: path)
            let outcome = try LockstepRunner.controller(replayed).outcome
            let r = Robustness.measure(outcome, scenario: replayed, campaign: result.spec.space.campaign,
                                       limits: result.spec.limits)
            #expect(r == e.robustness)
            #expect(outcome.traceHash == e.traceHash)
            // `injector-sim run`'s path judges the file's expectations: the campaign's invariants.
            let judged = try ScenarioRunner.run(replayed)
            #expect(judged.passed == !(r.margins.filter { [.cap, .pressure, .stopLatency].contains($0.kind) }
                .contains { $0.normalised < 0 }))
        }
    }

    @Test func aSearchDoesNotDependOnItsThreadCount() throws {
        let spec = try smallSearch(.random, seed: 4, budget: 4)
        let one = FalsificationSearch.run(spec, jobs: 1)
        let two = FalsificationSearch.run(spec, jobs: 2)
        #expect(one.evaluations.map(\.robustness) == two.evaluations.map(\.robustness))
        #expect(one.evaluations.map(\.point) == two.evaluations.map(\.point))
    }

    @Test func aCampaignWhoseControllerOverridesKeysCannotBeWrittenFrom() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("search-overrides-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("c.yaml").path
        try "controller:\n  extends: x.yaml\n  tickRate: 1 kHz\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ScenarioError.self) { _ = try SearchScenarioFiles.controllerFile(ofCampaign: path) }
        #expect(SearchScenarioFiles.relativePath(to: "/a/b/c.yaml", from: "/a/d/e") == "../../b/c.yaml")
    }
}
