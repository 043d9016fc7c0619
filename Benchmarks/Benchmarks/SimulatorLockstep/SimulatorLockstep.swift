import Benchmark
import InjectorCore
import InjectorPlant
import InjectorSimulation

/// A procedure whose injection lasts `seconds` of simulated time: slow continuous flow
/// (7 µL/s stays under the 4.5 mL cap for 10 minutes) with cement that stays workable,
/// so every tick runs controller, plant, sensors, operator and observer.
func procedure(seconds: Double) -> Scenario {
    var s = Scenario(name: "lockstep-\(Int(seconds))s", seed: 1, maxDuration: .seconds(seconds), tail: .zero)
    s.operatorPolicy.startAge = .seconds(180)
    s.operatorPolicy.primeLead = .seconds(10)
    s.operatorPolicy.plannedVolume = .milliliters(8)
    s.controller.rates.mode = .continuous
    s.controller.rates.injectionFlow = MicrolitersPerSecond(7)
    s.controller.cement = CementSpec(workingPhaseStart: .seconds(120), workingPhaseEnd: .seconds(1_500),
                                     settingTime: .seconds(1_800), workingTimeWarning: .seconds(60))
    s.plant.cement.settingAge = .seconds(1_800)
    s.plant.cement.growthTimeConstant = .seconds(600)
    // The naive pump at the same flow, so that it too injects for the whole procedure.
    s.baseline = BaselinePolicy(flow: MicrolitersPerSecond(7), plannedVolume: .milliliters(8))
    return s
}

/// The plant of `procedure(seconds:)` alone: primed, driven at 7 µL/s for `ticks` 1 ms
/// steps from the scheduled start, as the lockstep run drives it.
struct PlantOnly {
    let plant: VertebroplastyPlant
    let ticks: Int
    let stepsPerTick: Double

    init(seconds: Double) {
        let s = procedure(seconds: seconds)
        var p = s.plant
        p.cementAgeAtStart = s.operatorPolicy.startAge
        p.needle.primedAtStart = true
        plant = VertebroplastyPlant(parameters: p)
        ticks = Int(seconds * 1000)
        stepsPerTick = 7e-3 / p.driveGeometry.volumePerStep.rawValue
    }

    /// Runs the whole procedure and returns the final state.
    func run() -> PlantState {
        var plant = plant
        for i in 1...ticks {
            plant.advance(to: Instant(nanoseconds: Int64(i) * 1_000_000),
                          commandedSteps: Steps(Int64(Double(i) * stepsPerTick)))
        }
        return plant.state
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .throughput],
                                           warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 20)

    // One iteration = one whole procedure (plus 10 s of priming) at 1 kHz on one core.
    let ten = procedure(seconds: 600)
    // A timing of the wrong physics is worth nothing: the measured run must still be
    // injecting after 10 minutes (releases on schedule, no stop) and have delivered
    // most of what 7 µL/s displaces (2.77 mL of 4.2 mL when written: the rest is the
    // needle's dead volume, compliance and the releases' back-off).
    let check = try! LockstepRunner.controller(ten).outcome
    precondition(check.finalState == .injecting && check.stopReasons.isEmpty
                 && check.delivered.rawValue > 2000 && check.delivered.rawValue < 4200,
                 "lockstep benchmark procedure went wrong: \(check.delivered), stopped for \(check.stopReasons)")
    Benchmark("Lockstep 10-minute procedure (controller + plant, 1 kHz)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try LockstepRunner.controller(ten))
        }
    }
    // The same for 1 minute: equal malloc counts for 1 and 10 minutes mean the loop allocates nothing per tick.
    let one = procedure(seconds: 60)
    Benchmark("Lockstep 1-minute procedure (controller + plant, 1 kHz)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try LockstepRunner.controller(one))
        }
    }

    // Where a tick's time goes (with `ControllerTick` for the controller's step):
    // the naive pump's run is plant + runner without controller or sensors; the plant
    // and the sensors alone are timed over the same 600 000 ticks.
    Benchmark("Naive pump 10-minute procedure (plant + runner, 1 kHz)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(LockstepRunner.baseline(ten))
        }
    }
    let plantOnly = PlantOnly(seconds: 600)
    Benchmark("Plant alone, 10 minutes at 7 µL/s (600 000 steps)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(plantOnly.run())
        }
    }
    let truth = plantOnly.run()
    Benchmark("Sensors alone, pressure + position (600 000 reads)") { benchmark in
        for _ in benchmark.scaledIterations {
            var sensors = PlantSensors(seed: 1)
            var state = truth
            for i in 1...600_000 {
                state.time = Instant(nanoseconds: Int64(i) * 1_000_000)
                blackHole(sensors.read(state).pressure.value)
            }
        }
    }
}
