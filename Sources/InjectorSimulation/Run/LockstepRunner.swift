import InjectorCore
import InjectorPlant

/// Everything one run produced.
public struct RunRecord: Sendable {
    public var outcome: RunOutcome
    /// Decimated samples (empty unless recording was asked for).
    public var series: [TimeSeriesRow]
    /// The controller's events in order (controller runs only), bounded.
    public var events: [ControllerEvent]
}

/// Runs a scenario tick by tick at the controller's rate: the real controller core
/// (or the naive pump), the plant, its sensors, the operator, the observer and the
/// host link, all in one thread with simulated time. Mixing is at the origin; the
/// idle wait until priming is skipped in one step (nothing moves in it), then every
/// tick is simulated.
public enum LockstepRunner {
    /// Events kept per run; more are counted, not stored.
    public static var eventCapacity: Int { EventLog.eventCapacity }

    /// The controller in the loop. `seed` overrides the scenario's; `recordEvery` > 0
    /// keeps every n-th tick for the CSV.
    public static func controller(_ scenario: Scenario, seed: UInt64? = nil, recordEvery: Int = 0) throws -> RunRecord {
        var controller = InjectionController(configuration: try scenario.controller.validated())
        var (plant, sensors) = scenario.plantAndSensors(seed: seed ?? scenario.seed)
        let period = scenario.controller.tickRate.period
        let start = scenario.scheduledStart
        let end = start + scenario.maxDuration
        var bench = Bench(scenario)
        var clock = StopClock(start: start, faultAt: scenario.firstFaultAt)
        var steps = StepGenerator(maxStepRate: scenario.controller.drive.maxStepRate,
                                  tickRate: scenario.controller.tickRate)
        var hash = TraceHash()
        var recorder = TimeSeriesRecorder(decimation: recordEvery, capacity: capacity(scenario, period, recordEvery))
        var log = EventLog()
        var last: ScreenReading?
        var finishedAt: Instant?
        var ticks = 0
        var peakCanal = Celsius(37)

        var now = Instant.origin
        while now <= end {
            plant.advance(to: now, commandedSteps: steps.position)
            // The plant's truth is read in place (`plant.state`), not copied: it is 336 bytes.
            let reading = sensors.read(plant.state)
            let out = controller.step(bench.inputs(plant.state, reading, stepPosition: steps.position,
                                                   screen: last, at: now))
            log.record(controller.events)
            hash.mixTick(steps: steps.position, pressure: reading.pressure.value, out)
            clock.observe(posteriorQuarterReachedAt: plant.state.posteriorQuarterReachedAt,
                          firstLeakAt: plant.state.firstLeak?.at, now: now,
                          injecting: out.telemetry.state == .injecting || out.telemetry.state == .releasing)
            if recorder.due() {
                recorder.append(TimeSeriesRecorder.row(
                    time: (now - start).seconds, state: out.telemetry.state, stepRate: out.stepRate.rawValue,
                    commandedFlow: out.telemetry.commandedFlow.rawValue, reading: reading.pressure.value,
                    plant: plant.state, estimated: out.telemetry.delivered.rawValue, cap: out.telemetry.cap.rawValue))
            }
            if ticks % 1000 == 0 { peakCanal = Swift.max(peakCanal, plant.canalTemperature) }
            ticks += 1
            drive(&steps, out, over: period)
            let screen = ScreenReading(out.telemetry)
            last = screen

            if finishedAt == nil, now >= start, bench.op.isFinished(screen) { finishedAt = now }
            if let f = finishedAt, now >= f + scenario.tail { break }
            now = nextTick(after: now, period: period, primeAt: bench.op.primeAt)
        }

        var outcome = clock.outcome(kind: .controller, plant: plant, peakCanal: peakCanal, ticks: ticks,
                                    hash: hash.value)
        outcome.finalState = controller.state
        outcome.finalReason = controller.stateReason
        outcome.stopReasons = log.stopReasons
        outcome.estimatedDelivered = last?.delivered
        outcome.resumes = bench.op.resumes
        outcome.guardTrips = controller.guardTrips
        outcome.stepsClipped = steps.stepsClipped
        outcome.geometryFinding = controller.geometryFinding
        return RunRecord(outcome: outcome, series: recorder.rows, events: log.events)
    }

    /// The naive constant-rate pump in the loop: primes like the controller, starts at
    /// the same moment, then runs at constant flow until the syringe is empty, the
    /// planned volume is in, or (if it listens) the observer presses a stop button.
    public static func baseline(_ scenario: Scenario, seed: UInt64? = nil, recordEvery: Int = 0) -> RunRecord {
        var (plant, _) = scenario.plantAndSensors(seed: seed ?? scenario.seed)
        // The naive pump is set up from the controller's configuration, as a pump on the same
        // cart would be: with a wrong bore or dead volume it is wrong in the same way.
        let geometry = scenario.configuredGeometry
        let period = scenario.controller.tickRate.period
        let start = scenario.scheduledStart
        let end = start + scenario.maxDuration
        let primeAt = start - scenario.operatorPolicy.primeLead
        let policy = scenario.baseline
        var observer = FluoroscopyObserver(policy: scenario.observer, delay: policy.observerDelay)
        var clock = StopClock(start: start, faultAt: scenario.firstFaultAt)
        // The naive pump's motor is the controller's: the same generator, always enabled.
        var steps = StepGenerator(maxStepRate: scenario.controller.drive.maxStepRate,
                                  tickRate: scenario.controller.tickRate)
        var hash = TraceHash()
        var recorder = TimeSeriesRecorder(decimation: recordEvery, capacity: capacity(scenario, period, recordEvery))
        let primingRate = geometry.stepRate(for: scenario.controller.rates.primingFlow)
        let injectingRate = geometry.stepRate(for: policy.flow)
        let primeSteps = geometry.steps(for: scenario.controller.needle.deadVolume)
        let plannedSteps = geometry.steps(for: policy.plannedVolume)
        var phase = NaivePhase.waiting
        var stoppedAt: Instant?
        var ticks = 0
        var peakCanal = Celsius(37)

        var now = Instant.origin
        while now <= end {
            plant.advance(to: now, commandedSteps: steps.position)
            observer.watch(plant.state, now: now)
            let stopPressed = policy.respondsToObserver
                && (observer.posteriorQuarterButton(at: now).isActive || observer.leakButton(at: now).isActive)
            phase = phase.next(at: now, steps: steps.position, primeAt: primeAt, start: start, primeSteps: primeSteps,
                               done: plant.state.atForwardEnd || steps.position - primeSteps >= plannedSteps || stopPressed)
            if phase == .stopped && stoppedAt == nil { stoppedAt = now }
            let rate = phase == .priming ? primingRate : phase == .injecting ? injectingRate : .zero
            hash.mix(UInt64(bitPattern: steps.position.count))
            hash.mix(plant.state.syringePressure.rawValue)
            clock.observe(posteriorQuarterReachedAt: plant.state.posteriorQuarterReachedAt,
                          firstLeakAt: plant.state.firstLeak?.at, now: now, injecting: phase == .injecting)
            if recorder.due() {
                recorder.append(TimeSeriesRecorder.row(
                    time: (now - start).seconds, state: nil, stepRate: rate.rawValue,
                    commandedFlow: geometry.flow(for: rate).rawValue, reading: plant.state.syringePressure,
                    plant: plant.state,
                    estimated: .nan, cap: .nan))
            }
            if ticks % 1000 == 0 { peakCanal = Swift.max(peakCanal, plant.canalTemperature) }
            ticks += 1
            steps.advance(rate: rate, over: period, driver: .enabled)
            if let s = stoppedAt, now >= s + scenario.tail { break }
            now = nextTick(after: now, period: period, primeAt: primeAt)
        }
        let outcome = clock.outcome(kind: .baseline, plant: plant, peakCanal: peakCanal, ticks: ticks, hash: hash.value)
        return RunRecord(outcome: outcome, series: recorder.rows, events: [])
    }

    private enum NaivePhase {
        case waiting, priming, primed, injecting, stopped

        /// The naive pump's sequence: prime at `primeAt`, inject from `start`, stop when `done`.
        @inline(__always)
        func next(at now: Instant, steps: Steps, primeAt: Instant, start: Instant, primeSteps: Steps,
                  done: Bool) -> NaivePhase {
            switch self {
            case .waiting: now >= primeAt ? .priming : self
            case .priming: steps >= primeSteps ? .primed : self
            case .primed: now >= start ? .injecting : self
            case .injecting: done ? .stopped : self
            case .stopped: self
            }
        }
    }

    /// The motor: the firmware's step generator, given the controller's rate and its
    /// ENABLE output, so a disabled driver moves nothing here either.
    @inline(__always) static func drive(_ steps: inout StepGenerator, _ out: ControllerOutputs, over period: Interval) {
        steps.advance(rate: out.stepRate, over: period, driver: out.driver)
    }

    /// Ticks simulated before priming when the idle wait is skipped: enough for the
    /// controller to see its inputs settle (sensors, host link) before the prime command.
    static let primingLeadTicks: Int64 = 10

    /// The next tick; from the mixing instant it skips straight to just before priming.
    @inline(__always) static func nextTick(after now: Instant, period: Interval, primeAt: Instant) -> Instant {
        let next = now + period
        let skipTo = primeAt - period * primingLeadTicks
        if now == .origin && skipTo > next {
            return Instant(nanoseconds: (skipTo.nanoseconds / period.nanoseconds) * period.nanoseconds)
        }
        return next
    }

    static func capacity(_ s: Scenario, _ period: Interval, _ every: Int) -> Int {
        guard every > 0 else { return 0 }
        let span = s.maxDuration + s.operatorPolicy.primeLead + s.tail + .seconds(2)
        return Int(span.nanoseconds / period.nanoseconds) / every + 16
    }
}

extension InjectorState {
    /// Whether entering this state from `previous` stops an injection or priming.
    func isStop(from previous: InjectorState) -> Bool {
        switch self {
        case .paused, .complete, .faulted, .eStopped: previous != self
        case .idle: previous == .priming
        default: false
        }
    }
}
