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
    public static let eventCapacity = 512

    /// The controller in the loop. `seed` overrides the scenario's; `recordEvery` > 0
    /// keeps every n-th tick for the CSV.
    public static func controller(_ scenario: Scenario, seed: UInt64? = nil, recordEvery: Int = 0) throws -> RunRecord {
        let validated = try scenario.controller.validated()
        var controller = InjectionController(configuration: validated)
        var (plant, sensors) = scenario.plantAndSensors(seed: seed ?? scenario.seed)
        let period = scenario.controller.tickRate.period
        let start = scenario.scheduledStart
        let end = start + scenario.maxDuration
        var op = ConsoleOperator(policy: scenario.operatorPolicy, scheduledStart: start)
        var observer = FluoroscopyObserver(policy: scenario.observer)
        let link = HostLinkModel(plan: scenario.host, scenario: scenario)
        let stuck = scenario.stuckInputFault
        let fitted = scenario.controller.positionSensorFitted
        var clock = StopClock(start: start, faultAt: scenario.firstFaultAt)
        var steps = StepGenerator(maxStepRate: scenario.controller.drive.maxStepRate,
                                  tickRate: scenario.controller.tickRate)
        var hash = TraceHash()
        var recorder = TimeSeriesRecorder(decimation: recordEvery, capacity: capacity(scenario, period, recordEvery))
        var events: [ControllerEvent] = []
        events.reserveCapacity(eventCapacity)
        var stopReasons: [Reason] = []
        stopReasons.reserveCapacity(16)
        var last: ScreenReading?
        var finishedAt: Instant?
        var ticks = 0
        var peakCanal = Celsius(37)

        var now = Instant.origin
        while now <= end {
            plant.advance(to: now, commandedSteps: steps.position)
            // The plant's truth is read in place (`plant.state`), not copied: it is 336 bytes.
            let reading = sensors.read(plant.state)
            observer.watch(plant.state, now: now)

            var switches = SwitchInputs(
                enable: op.holdsPedal(at: now) ? .active : .inactive,
                posteriorQuarterStop: observer.posteriorQuarterButton(at: now),
                leakSeenStop: observer.leakButton(at: now),
                forwardEndOfTravel: plant.state.atForwardEnd ? .active : .inactive,
                rearEndOfTravel: plant.state.plungerTravel.rawValue <= 0 ? .active : .inactive)
            switches.apply(stuck, at: now)
            // A command typed while the link is down never arrives.
            let typed = op.command(at: now, after: last)
            let command = link.isUp(at: now) ? typed : nil

            let out = controller.step(ControllerInputs(
                now: now, stepPosition: steps.position, pressure: reading.pressure,
                plungerPosition: fitted ? reading.plungerPosition : nil, pressureTwin: reading.pressureTwin, switches: switches,
                command: command, hostLastHeard: link.lastHeard(at: now)))
            // Most ticks raise nothing; iterating would copy the batch regardless.
            if !controller.events.isEmpty {
                for e in controller.events {
                    if events.count < eventCapacity { events.append(e) }
                    if e.kind == .stateChanged, e.state.isStop(from: e.previousState),
                       stopReasons.count < 16, !stopReasons.contains(e.reason) {
                        stopReasons.append(e.reason)
                    }
                }
            }
            hash.mix(UInt64(bitPattern: steps.position.count))
            hash.mix(reading.pressure.value.rawValue)
            hash.mix(UInt64(out.telemetry.state.rawValue) | UInt64(out.telemetry.relief.rawValue) << 8)
            hash.mix(out.stepRate.rawValue)
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
            steps.advance(rate: out.stepRate, over: period, driver: out.driver)
            let screen = ScreenReading(out.telemetry)
            last = screen

            if finishedAt == nil, now >= start, op.isFinished(screen) { finishedAt = now }
            if let f = finishedAt, now >= f + scenario.tail { break }
            now = nextTick(after: now, period: period, primeAt: op.primeAt)
        }

        var outcome = clock.outcome(kind: .controller, plant: plant, peakCanal: peakCanal, ticks: ticks,
                                    hash: hash.value)
        outcome.finalState = controller.state
        outcome.finalReason = controller.stateReason
        outcome.stopReasons = stopReasons
        outcome.estimatedDelivered = last?.delivered
        outcome.resumes = op.resumes
        return RunRecord(outcome: outcome, series: recorder.rows, events: events)
    }

    /// The naive constant-rate pump in the loop: primes like the controller, starts at
    /// the same moment, then runs at constant flow until the syringe is empty, the
    /// planned volume is in, or (if it listens) the observer presses a stop button.
    public static func baseline(_ scenario: Scenario, seed: UInt64? = nil, recordEvery: Int = 0) -> RunRecord {
        var (plant, _) = scenario.plantAndSensors(seed: seed ?? scenario.seed)
        let geometry = scenario.plant.driveGeometry
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
        let primeSteps = geometry.steps(for: scenario.plant.needle.deadVolume)
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
            var rate = StepsPerSecond.zero
            switch phase {
            case .waiting:
                if now >= primeAt { phase = .priming }
            case .priming:
                if steps.position >= primeSteps { phase = .primed }
            case .primed:
                if now >= start { phase = .injecting }
            case .injecting:
                if plant.state.atForwardEnd || steps.position - primeSteps >= plannedSteps || stopPressed {
                    phase = .stopped
                    stoppedAt = now
                }
            case .stopped:
                break
            }
            switch phase {
            case .priming: rate = primingRate
            case .injecting: rate = injectingRate
            default: break
            }
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

    private enum NaivePhase { case waiting, priming, primed, injecting, stopped }

    /// The next tick; from the mixing instant it skips straight to just before priming.
    @inline(__always) static func nextTick(after now: Instant, period: Interval, primeAt: Instant) -> Instant {
        let next = now + period
        let skipTo = primeAt - period * 10
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
