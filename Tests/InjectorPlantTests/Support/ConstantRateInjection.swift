import InjectorCore
@testable import InjectorPlant

/// A naive constant-rate injector for tests: from the plant's present time and step
/// position, waits `start`, steps at `flow` for `duration`, then holds for `hold`,
/// stepping the plant every `tick`. Runs can follow one another on one plant.
struct ConstantRateInjection {
    var flow: MicrolitersPerSecond = .millilitersPerMinute(4.2)
    var start: Interval = .zero
    var duration: Interval
    var hold: Interval = .zero
    var tick: Interval = .milliseconds(1)

    /// Runs `plant` and calls `observe` after each step.
    func run(_ plant: inout VertebroplastyPlant, observe: (PlantState) -> Void = { _ in }) {
        let geometry = plant.parameters.driveGeometry
        let origin = plant.state.time
        let base = plant.state.commandedSteps
        let end = start + duration + hold
        var t = Interval.zero
        while t < end {
            t = t + tick
            let pushing = min(max(t - start, .zero), duration)
            plant.advance(to: origin + t, commandedSteps: base + geometry.steps(for: flow.volume(over: pushing)))
            observe(plant.state)
        }
    }
}
