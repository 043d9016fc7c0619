import InjectorCore
import InjectorPlant

/// The patient-level calibration figures from a campaign's patients under the naive
/// pump (`NaivePumpCohort`): the viscosity meta-analysis as paired runs (the same
/// patients with low- and with high-viscosity cement), Ryu's epidural rate and its
/// dependence on the needle tip's depth.
public struct CohortCalibration: Sendable {
    /// Run i of each arm has the same seed: the same patient, leak routes and observer.
    public var low: [CohortOutcome]
    public var high: [CohortOutcome]
    /// Tip depth of each run (the same in both arms).
    public var tipPositions: [Double]

    /// Runs the first `runs` patients of `spec` with low- and with high-viscosity cement.
    public init(_ spec: CampaignSpec, runs: Int, jobs: Int = 1, tick: Interval = .milliseconds(1)) {
        var lowSpec = spec
        lowSpec.highViscosityShare = 0
        var highSpec = spec
        highSpec.highViscosityShare = 1
        low = NaivePumpCohort.run(lowSpec, runs: runs, jobs: jobs, tick: tick)
        high = NaivePumpCohort.run(highSpec, runs: runs, jobs: jobs, tick: tick)
        tipPositions = spec.runSeeds().prefix(runs).map { lowSpec.scenario(runSeed: $0).plant.body.front.tipPosition }
    }

    /// The same, with the plant's step in milliseconds.
    public init(_ spec: CampaignSpec, runs: Int, jobs: Int = 1, tickMilliseconds: Double) {
        self.init(spec, runs: runs, jobs: jobs, tick: .seconds(tickMilliseconds / 1000))
    }

    var pairs: [(CohortOutcome, CohortOutcome)] { Array(zip(high, low)) }

    /// High- against low-viscosity risk of a leak on any path.
    public var anyLeak: RelativeRisk { RelativeRisk(pairs: pairs) { $0.leaksAnywhere() } }

    /// High- against low-viscosity risk of a leak on `kind`.
    public func leak(on kind: LeakPathKind) -> RelativeRisk { RelativeRisk(pairs: pairs) { $0.leaks(on: kind) } }

    /// Epidural leaks per vertebra with low-viscosity cement.
    public var epiduralRate: Proportion { Proportion(low.filter { $0.leaks(on: .epidural) }.count, of: low.count) }

    /// Epidural leaks with the tip posterior (deeper than `split`) against anterior.
    public func epiduralByTip(split: Double) -> (posterior: Proportion, anterior: Proportion) {
        let runs = Array(zip(low, tipPositions))
        let posterior = runs.filter { $0.1 >= split }
        let anterior = runs.filter { $0.1 < split }
        return (Proportion(posterior.filter { $0.0.leaks(on: .epidural) }.count, of: posterior.count),
                Proportion(anterior.filter { $0.0.leaks(on: .epidural) }.count, of: anterior.count))
    }

    /// The report `injector-sim calibrate` prints.
    public var report: String {
        let tips = epiduralByTip(split: 0.35)
        return """
        Calibration cohort: \(low.count) patients × 2 cements, naive pump with the observer, leak counted from \
        \(NaivePumpCohort.leakCountsFrom)
          high/low viscosity, any leak:   \(anyLeak.text)   (Zhang 2018: 0.38, 0.29–0.51)
          high/low viscosity, vein:       \(leak(on: .vein).text)   (0.54)
          high/low viscosity, disc:       \(leak(on: .disc).text)   (0.45)
          high/low viscosity, epidural:   \(leak(on: .epidural).text)   (intraspinal 0.48, not significant)
          epidural leak, low viscosity:   \(RateText.rate(epiduralRate.count, epiduralRate.trials))   (Ryu: 26.5 % of vertebrae)
          epidural leak by tip depth:     posterior (≥ 0.35) \(RateText.rate(tips.posterior.count, tips.posterior.trials)), \
        anterior \(RateText.rate(tips.anterior.count, tips.anterior.trials))
          bone failed:                    low \(low.filter(\.boneFailed).count), high \(high.filter(\.boneFailed).count)
        """
    }
}
