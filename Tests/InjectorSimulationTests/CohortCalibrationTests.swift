import InjectorCore
import InjectorPlant
import Testing
@testable import InjectorSimulation

/// The campaign-based calibration targets (issue 12): the default campaign's patients,
/// its seed 2024, under the naive pump and the observer (`NaivePumpCohort`), each with
/// low- and with high-viscosity cement. A 5 ms plant step keeps the debug suite's time
/// modest; `injector-sim calibrate` prints the same figures at 1 ms and for more runs
/// (docs/simulator.md, "Calibration against a cohort").
@Suite(.serialized) struct CalibrationTests {
    static let patients = 400
    static let cohort: CohortCalibration = {
        let spec = try! CampaignSpec.load(path: "simulator/campaigns/default.yaml")
        return CohortCalibration(spec, runs: patients, jobs: 2, tick: .milliseconds(5))
    }()

    @Test func highViscosityCementHalvesTheRiskOfAnyLeak() throws {
        // Zhang et al. 2018 (meta-analysis): relative risk 0.38, 95 % CI 0.29–0.51; the
        // model's ratio must lie in that interval.
        let rr = try #require(Self.cohort.anyLeak.ratio)
        #expect(rr >= 0.29 && rr <= 0.51, "any leak: \(Self.cohort.anyLeak.text)")
    }

    @Test func highViscosityCementLowersVeinAndDiscLeaks() throws {
        // Zhang et al. 2018: vein 0.54, disc 0.45; accepted within ±0.2 (their intervals
        // are not in the brief; the disc has few events at this size).
        let vein = try #require(Self.cohort.leak(on: .vein).ratio)
        let disc = try #require(Self.cohort.leak(on: .disc).ratio)
        #expect(abs(vein - 0.54) <= 0.2, "vein: \(Self.cohort.leak(on: .vein).text)")
        #expect(abs(disc - 0.45) <= 0.2, "disc: \(Self.cohort.leak(on: .disc).text)")
    }

    @Test func epiduralLeaksInAQuarterOfVertebrae() throws {
        // Ryu et al.: 26.5 % of vertebrae; accepted 20–30 % for the unassisted constant-rate
        // injector and a typical observer.
        let rate = try #require(Self.cohort.epiduralRate.estimate)
        #expect(rate >= 0.20 && rate <= 0.30, "epidural: \(Self.cohort.epiduralRate.count)/\(Self.patients)")
    }

    @Test func aPosteriorTipRaisesTheEpiduralRisk() throws {
        // Ryu et al.: more epidural leaks with the tip in the posterior body.
        let tips = Self.cohort.epiduralByTip(split: 0.35)
        let posterior = try #require(tips.posterior.estimate), anterior = try #require(tips.anterior.estimate)
        let counts = "posterior \(tips.posterior.count)/\(tips.posterior.trials), "
            + "anterior \(tips.anterior.count)/\(tips.anterior.trials)"
        #expect(posterior > anterior * 1.3, "\(counts)")
    }

    @Test func pairedArmsShareTheirPatients() {
        // Run i of both arms is one patient: only the cement differs.
        let spec = CampaignSpec()
        var high = spec
        high.highViscosityShare = 1
        for seed in spec.runSeeds().prefix(20) {
            var a = spec.scenario(runSeed: seed), b = high.scenario(runSeed: seed)
            #expect(b.plant.cement == .highViscosity && a.plant.cement == .lowViscosity)
            b.plant.cement = a.plant.cement
            a.name = b.name
            #expect(a.plant == b.plant && a.observer == b.observer && a.faults == b.faults)
        }
    }
}
