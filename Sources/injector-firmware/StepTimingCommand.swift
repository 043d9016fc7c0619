#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import InjectorCore
import InjectorHardware
import InjectorToolSupport

/// `step-timing`: the real step thread, fed by a control loop at the tick rate as the
/// firmware feeds it, against a step output that notes each pulse's CLOCK_MONOTONIC
/// time; prints the step-time error (pulse time − the Core's ideal time). No GPIO is
/// opened: the figure is the thread's timing, without a GPIO call's 1–2 µs.
struct StepTimingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step-timing",
        abstract: "Measure the step thread's step-time error at a constant rate (no GPIO: pulses are timestamped).")
    @Option(help: "Step rate in steps/s (1–100000).") var rate = 2000.0
    @Option(help: "Duration in seconds (0.1–600).") var seconds = 5.0
    @Option(help: "Control tick rate in Hz (10–10000).") var tickRate = 1000.0
    @Option(help: "Control loop SCHED_FIFO priority (1–99); 0 keeps the default scheduler.") var priority: Int32 = 80
    @Option(help: "Step thread SCHED_FIFO priority (1–99); 0 keeps the default scheduler.") var stepPriority: Int32 = 85
    @Option(help: "Busy spin before each due time, in µs (0–1000).") var spinUs: Int64 = 20
    @Flag(help: "Lock memory (mlockall).") var mlock = false

    func validate() throws {
        guard rate >= 1 && rate <= 100_000 else { throw ValidationError("--rate: 1 – 100000 steps/s, got \(rate)") }
        guard seconds >= 0.1 && seconds <= 600 else { throw ValidationError("--seconds: 0.1 – 600, got \(seconds)") }
        guard tickRate >= 10 && tickRate <= 10_000 else { throw ValidationError("--tick-rate: 10 – 10000 Hz, got \(tickRate)") }
        guard (0...99).contains(priority) else { throw ValidationError("--priority: 0 – 99, got \(priority)") }
        guard (0...99).contains(stepPriority) else { throw ValidationError("--step-priority: 0 – 99, got \(stepPriority)") }
        guard (0...1000).contains(spinUs) else { throw ValidationError("--spin-us: 0 – 1000, got \(spinUs)") }
    }

    func run() throws {
        for step in RealTimeSetup.apply(RealTimeSetup.Options(
            lockMemory: mlock, fifoPriority: priority == 0 ? nil : priority, timerSlackNanoseconds: 1)) {
            print("setup: \(step)")
        }
        let tick = Hertz(tickRate).period
        let maxSteps = StepGenerator.maxStepsPerTick(maxStepRate: StepsPerSecond(rate), tickRate: Hertz(tickRate))
        let capacity = Int(rate * seconds) + 2 * maxSteps
        let output = RecordingStepOutput(capacity: capacity)
        let queue = StepBatchQueue(maxStepsPerBatch: maxSteps)
        let thread = StepThread(queue: queue, output: output, options: StepThread.Options(
            priority: stepPriority == 0 ? nil : stepPriority, spin: .microseconds(spinUs)))
        let setup = thread.start()
        print("setup: \(setup)")
        guard thread.isRunning else { throw ExitCode(failure(.linkFailed, "step thread: \(setup)")) }
        var ideal = [Instant](repeating: Instant(nanoseconds: 0), count: capacity)
        let feed = feedThread(queue, ideal: &ideal, tick: tick, ticks: Int(seconds * tickRate))
        while queue.pending > 0 { usleep(200) }
        thread.stop()
        var error = LatencyHistogram(binCount: 100_000)
        var early = 0
        let measured = min(feed.published, output.pulses, capacity)
        for i in 0..<measured {
            let e = output.time(ofPulse: i) - ideal[i]
            if e < .zero { early += 1 }
            error.record(e)
        }
        print("\(rate) steps/s for \(seconds) s at a \(tickRate) Hz tick, spin \(spinUs) µs: \(measured) steps "
              + "(\(feed.published) published, \(output.pulses) pulsed, \(feed.refused) batches refused); "
              + "step-time error \(error.summary); early pulses \(early); control wake-up \(feed.wake.summary)")
        if feed.refused > 0 || output.pulses != feed.published { throw ExitCode(failure(.expectationFailed, "steps were lost")) }
    }

    /// The firmware's side: at each tick, plan with the Core, note the ideal times and
    /// publish the batch one tick ahead, as `BoardIO` does.
    private func feedThread(_ queue: StepBatchQueue, ideal: inout [Instant], tick: Interval,
                            ticks: Int) -> (published: Int, refused: Int, wake: LatencyHistogram) {
        var generator = StepGenerator(maxStepsPerTick: queue.maxStepsPerBatch)
        var timer = TickTimer(period: tick, clock: SystemClock())
        var wake = LatencyHistogram()
        var published = 0, refused = 0
        for _ in 0..<ticks {
            let w = timer.waitForNextTick()
            wake.record(w.latency)
            queue.collect { planned, issued, _ in generator.record(issued: issued, of: planned) }
            let timing = generator.planTimed(rate: StepsPerSecond(rate), over: tick, driver: .enabled)
            guard timing.planned != 0 else { continue }
            let start = w.deadline + tick
            guard published + timing.count <= ideal.count, queue.publish(timing, start: start) else {
                generator.record(issued: 0, of: timing.planned)
                refused += 1
                continue
            }
            for k in 0..<timing.count { ideal[published + k] = start + timing.offset(ofStep: k) }
            published += timing.count
        }
        return (published, refused, wake)
    }
}
