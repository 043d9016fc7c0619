// One controller tick in steady injection: median time and allocations.
// Target (issue 2): ≤ 250 ns median on the project's machine, zero allocations per tick.
import Benchmark
import InjectorCore

/// A controller brought to the injecting state, with a simple hydraulic load to
/// keep its pressure realistic, so the measured tick runs the full hot path:
/// sensor checks, budget, hazards, rate control, telemetry.
struct TickBench {
    var controller: InjectionController
    var now = Instant(nanoseconds: 1_000_000_000)
    /// The firmware's own step generator (InjectorCore), so the measured tick is the
    /// controller's alone plus one plan-and-record.
    var generator: StepGenerator
    var steps: Steps { generator.position }
    var stored = 0.0
    let switches = SwitchInputs(enable: .active)

    init() {
        var c = InjectorConfiguration()
        c.cement.workingPhaseStart = .seconds(1)
        c.needle.deadVolume = Microliters(20)
        c.procedure.anteriorCapacity = .direct(.milliliters(26)) // a cap that is not reached while measuring
        c.rates.mode = .continuous
        c.release.injectPeriod = .seconds(120)
        controller = InjectionController(configuration: try! c.validated())
        generator = StepGenerator(maxStepRate: c.drive.maxStepRate, tickRate: c.tickRate)
        _ = tick(.cementMixed)
        _ = tick(.prime)
        while controller.state == .priming { _ = tick(nil) }
        _ = tick(.arm)
        for _ in 0..<1500 { _ = tick(nil) }
        _ = tick(.start)
        for _ in 0..<2000 { _ = tick(nil) }
        precondition(controller.state == .injecting, "bench must measure the injecting path, not \(controller.state)")
    }

    mutating func tick(_ command: HostCommand?) -> ControllerOutputs {
        now = now + .milliseconds(1)
        let pressure = Kilopascals(stored / 0.02)
        let out = controller.step(ControllerInputs(
            now: now, stepPosition: steps, pressure: SensorSample(value: pressure, sampledAt: now),
            switches: switches, command: command, hostLastHeard: now))
        let whole = Double(generator.advance(rate: out.stepRate, over: .milliseconds(1), driver: out.driver))
        stored = max(0, stored + whole * controller.geometry.volumePerStep.rawValue - pressure.rawValue / 20 * 0.001)
        return out
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(3))

    Benchmark("Controller tick (injecting)") { benchmark in
        let start = TickBench()
        var bench = start
        var ticks = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(bench.tick(nil).stepRate)
            ticks += 1
            if ticks == 20_000 { bench = start; ticks = 0 } // stay well inside the cap
        }
        benchmark.stopMeasurement()
        precondition(bench.controller.state == .injecting, "left the injecting state: \(bench.controller.state)")
    }
}
