// What the benchmarks feed the code they time: a telemetry report as the firmware
// sends it, shared so that the codec and capture benchmarks time the same frame.
import InjectorCore
import InjectorProtocol

/// A telemetry report with every field populated, as the firmware sends it.
public func sampleReport(_ tick: Int64) -> TelemetryReport {
    TelemetryReport(
        time: Instant(nanoseconds: tick &* 1_000_000), state: .injecting, relief: .none, stateReason: .none,
        driver: .enabled, alarm: .off, switches: SwitchInputs(enable: .active),
        hazards: [.consistencyCheckPassed, .leakWatchArmed], stepPosition: Steps(51_200 &+ tick),
        pressure: Kilopascals(1700.125), delivered: Microliters(1234.5), committed: Microliters(1250),
        cap: Microliters(3000), plungerPosition: Microliters(1240.125), commandedFlow: MicrolitersPerSecond(66.667),
        stepRate: StepsPerSecond(2812.5), timeSinceMixing: .seconds(240), hostSilence: .milliseconds(12),
        releaseCycles: 3, eventsDropped: 0)
}
