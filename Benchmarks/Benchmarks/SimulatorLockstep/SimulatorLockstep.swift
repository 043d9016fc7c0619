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
    return s
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .throughput],
                                           warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 20)

    // One iteration = one whole procedure (plus 10 s of priming) at 1 kHz on one core.
    let ten = procedure(seconds: 600)
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
}
