import InjectorCore
import InjectorPlant

/// What one unassisted injection did to its patient (the plant's truth).
public struct CohortOutcome: Equatable, Sendable {
    public var seed: UInt64
    /// Leaked on each path, after-flow included.
    public var leaked: LeakPaths<Microliters>
    public var peakPressure: Kilopascals
    public var front: Double
    public var delivered: Microliters
    public var boneFailed: Bool

    /// Whether path `kind` leaked at least `visible` (a leak seen on the post-operative CT).
    public func leaks(on kind: LeakPathKind, visible: Microliters = NaivePumpCohort.leakCountsFrom) -> Bool {
        leaked[kind] >= visible
    }

    /// Whether any path leaked at least `visible`.
    public func leaksAnywhere(visible: Microliters = NaivePumpCohort.leakCountsFrom) -> Bool {
        LeakPathKind.allCases.contains { leaks(on: $0, visible: visible) }
    }
}

/// The calibration targets that describe patients, not the controller (Ryu's epidural
/// rate, the viscosity meta-analysis, Krebs's pressures), measured on a campaign's
/// randomised patients under the injector those series used: an unassisted constant-rate
/// injector and a typical observer, who stops it `reactionDelay` after the front passes
/// the posterior quarter or after a leak grows visible on fluoroscopy.
///
/// The plant alone, stepped every `tick` (the flow solve is implicit, so a coarser tick
/// than the lockstep's 1 ms changes the figures by little: docs/simulator.md,
/// "Calibration against a cohort"), with the needle primed at the scheduled start. No
/// controller, sensors or step generator, so that a calibration test can afford
/// hundreds of runs.
public enum NaivePumpCohort {
    /// A leak counts from 10 µL, about what post-operative CT shows (estimate).
    public static let leakCountsFrom = Microliters(10)
    /// The injection is followed this long after the stop, for the after-flow.
    static let afterFlow = Interval.seconds(5)

    /// One run of scenario `s`'s patient and cement under the naive pump and observer.
    public static func run(_ s: Scenario, tick: Interval = .milliseconds(1)) -> CohortOutcome {
        var p = s.plant
        p.cementAgeAtStart = s.operatorPolicy.startAge
        p.needle.primedAtStart = true
        var plant = VertebroplastyPlant(parameters: p, start: .origin)
        let geometry = p.driveGeometry
        let flow = s.baseline.flow
        let planned = s.baseline.plannedVolume
        let delay = s.baseline.observerDelay ?? s.observer.reactionDelay
        let visible = s.observer.leakVisibleAbove
        var stopAt = Instant.origin + .seconds(planned.rawValue / flow.rawValue)
        var t = Instant.origin
        var pushed = Microliters.zero
        while t < stopAt + afterFlow {
            t = t + tick
            if t <= stopAt { pushed = Microliters(flow.rawValue * (t - .origin).seconds) }
            plant.advance(to: t, commandedSteps: geometry.steps(for: pushed))
            let state = plant.state
            if s.baseline.respondsToObserver, s.observer.enabled, t < stopAt {
                if state.posteriorQuarterReachedAt != nil || maximumLeak(state) > visible {
                    stopAt = Swift.min(stopAt, t + delay)
                }
            }
        }
        let state = plant.state
        return CohortOutcome(seed: s.seed, leaked: state.leaks.map(\.leaked), peakPressure: state.peakSyringePressure,
                             front: state.frontPosition, delivered: state.deliveredToBody + state.leakedTotal,
                             boneFailed: state.boneFailedAt != nil)
    }

    static func maximumLeak(_ s: PlantState) -> Microliters {
        max(max(s.leaks.vein.leaked, s.leaks.epidural.leaked), max(s.leaks.needleTract.leaked, s.leaks.disc.leaked))
    }

    /// The first `runs` runs of campaign `spec` (its run seeds, its draws), on `jobs` threads.
    public static func run(_ spec: CampaignSpec, runs: Int, jobs: Int = 1,
                           tick: Interval = .milliseconds(1)) -> [CohortOutcome] {
        let seeds = Array(spec.runSeeds().prefix(runs))
        return WorkerPool.map(count: seeds.count, jobs: jobs, progress: nil) { i in
            run(spec.scenario(runSeed: seeds[i]), tick: tick)
        }
    }
}
