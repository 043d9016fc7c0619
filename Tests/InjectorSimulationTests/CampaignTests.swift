import InjectorCore
import Testing
@testable import InjectorSimulation

/// Campaigns: randomised runs over several threads, summarised, every failure
/// reproducible from the seed it prints.
@Suite struct CampaignTests {
    func spec(runs: Int) -> CampaignSpec { shortCampaign(runs: runs) }

    @Test func twoThreadsGiveWhatOneGivesAndEveryRunReplaysFromItsSeed() {
        let s = spec(runs: 6)
        let one = CampaignRunner.run(s, jobs: 1)
        let two = CampaignRunner.run(s, jobs: 2)
        #expect(one.runs.map(\.seed) == s.runSeeds())
        #expect(one.runs.map(\.controller) == two.runs.map(\.controller))
        #expect(one.runs.map(\.index) == Array(0..<6))
        for run in two.runs {
            let replayed = CampaignRunner.run(s, index: run.index, seed: run.seed)
            #expect(replayed.controller.traceHash == run.controller.traceHash)
            #expect(replayed.failures == run.failures)
        }
    }

    /// An invariant no run can keep: every run fails, and the report names each by its
    /// seed with the command that rebuilds it; rebuilding it fails the same way.
    @Test func aFailingRunIsPrintedWithTheSeedThatReproducesIt() throws {
        var s = spec(runs: 3)
        s.capTolerance = .zero
        s.pressureMargin = Kilopascals(-3_400)   // peak ≤ 100 kPa: priming alone breaks it
        let result = CampaignRunner.run(s, jobs: 2)
        #expect(result.failures.count == 3)
        let text = CampaignReport.render(result) { "replay --seed \($0)" }
        for run in result.failures {
            #expect(text.contains("run \(run.index) seed \(run.seed): "))
            #expect(text.contains("reproduce: replay --seed \(run.seed)"))
            #expect(CampaignRunner.run(s, index: run.index, seed: run.seed).failures == run.failures)
        }
        #expect(text.contains("runs passing every invariant:    0/3"))
    }

    @Test func thePressureTwinShareDecidesWhichRunsFitOne() throws {
        var s = spec(runs: 200)
        let seeds = s.runSeeds()
        s.pressureTwinShare = 0
        #expect(seeds.allSatisfy { !s.scenario(runSeed: $0).controller.pressureTwinFitted })
        s.pressureTwinShare = 1
        #expect(seeds.allSatisfy { s.scenario(runSeed: $0).controller.pressureTwinFitted })
        s.pressureTwinShare = 0.5
        let fitted = seeds.filter { s.scenario(runSeed: $0).controller.pressureTwinFitted }.count
        #expect((60...140).contains(fitted))
        // The twin is drawn last: the rest of a run's scenario does not depend on it.
        var other = s
        other.pressureTwinShare = 1
        for seed in seeds.prefix(20) {
            var a = s.scenario(runSeed: seed), b = other.scenario(runSeed: seed)
            a.controller.pressureTwinFitted = false
            b.controller.pressureTwinFitted = false
            #expect(a.plant == b.plant && a.controller == b.controller && a.faults == b.faults)
        }
    }

    @Test func aBadCampaignFileNamesTheFieldAndItsRange() {
        let parse = { (text: String) in try CampaignSpec.parse(shippedController + text, directory: scenarioDirectory) }
        #expect(throws: ScenarioError.self) { _ = try parse("draws:\n  pressureTwinShare: 2\n") }
        do {
            _ = try parse("draws:\n  pressureTwinShare: 2\n  flow: [50, 90]\n")
        } catch let e as ScenarioError {
            #expect(e.problems.first { $0.field == "draws.pressureTwinShare" }?.allowed == "0 … 1")
            #expect(e.problems.contains { $0.field == "draws.flow" })   // a flow needs its unit
            #expect(e.problems.count == 2)
        } catch {
            Issue.record("unexpected \(error)")
        }
        let ok = try? parse("runs: 12\ndraws:\n  pressureTwinShare: 0.25\n  flow: [40 µL/s, 1 mL/s]\n")
        #expect(ok == nil)   // 1 mL/s is above the 150 µL/s a draw may reach
        let good = try? parse("runs: 12\ndraws:\n  pressureTwinShare: 0.25\n  flow: [40 µL/s, 60 µL/s]\n")
        #expect(good?.runs == 12 && good?.pressureTwinShare == 0.25 && good?.flow == 40...60)
        // Its controller is a complete configuration, as every configuration is.
        #expect(throws: ScenarioError.self) { _ = try CampaignSpec.parse("runs: 12\n") }
    }

    @Test func theShippedCampaignStartsFromTheShippedConfiguration() throws {
        let spec = try CampaignSpec.load(path: scenarioDirectory + "/../campaigns/default.yaml")
        #expect(spec.controller == InjectorConfiguration())
        #expect(spec.runs == 1000 && spec.seed == 2024 && spec.maxDuration == .seconds(180))
        #expect(spec.cementAgeAtStart == 240...540 && spec.observerDelay == 0.5...2.0)
    }
}

@Suite struct CampaignConfigurationErrorTests {
    /// A run whose controller refuses its configuration: the controller's field holds a
    /// run that never happened, and the naive pump's outcome stays in the baseline's field
    /// (it used to be stored as the controller's).
    @Test func aRefusedConfigurationKeepsEachOutcomeInItsOwnField() throws {
        var s = CampaignSpec()
        s.runs = 1
        s.seed = 11
        s.maxDuration = .seconds(20)
        s.controller.pressure.limit = Kilopascals(9_000)   // above ceilings.maxPressure: refused
        let seed = try #require(s.runSeeds().first)
        let run = CampaignRunner.run(s, index: 0, seed: seed)
        #expect(!run.passed)
        #expect(run.failures.first?.hasPrefix("configuration: ") == true)
        #expect(run.controller.kind == .controller)
        #expect(run.controller.ticks == 0 && run.controller.delivered == .zero)
        let naive = try #require(run.baseline)
        #expect(naive.kind == .baseline && naive.ticks > 0)
        #expect(run.ticks == naive.ticks)
        s.baseline = false
        #expect(CampaignRunner.run(s, index: 0, seed: seed).baseline == nil)
    }
}
