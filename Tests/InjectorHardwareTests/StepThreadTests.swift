#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import InjectorHardware
import Synchronization
import Testing

/// A fake clock whose every sleep first runs `onSleep` (with the sleep's number, from
/// 1): a test can act "while the step thread sleeps" at an exact point.
final class HookedClock: MonotonicClock, @unchecked Sendable {
    let inner = FakeClock()
    var sleeps = 0
    var onSleep: (Int) -> Void = { _ in }
    func now() -> Instant { inner.now() }
    func sleep(until deadline: Instant) {
        sleeps += 1
        onSleep(sleeps)
        inner.sleep(until: deadline)
    }
}

/// A step output that fails the pulse with a given number (1-based).
final class FailingStepOutput: StepOutput, @unchecked Sendable {
    var pulses = 0
    let failing: Int
    let stepIssued: Bool
    init(failing: Int, stepIssued: Bool) {
        self.failing = failing
        self.stepIssued = stepIssued
    }
    func setDirection(_ direction: StepDirection) throws(HardwareError) {}
    func pulse() throws(StepPulseError) {
        pulses += 1
        if pulses == failing {
            throw StepPulseError(HardwareError(.io, device: "STEP", detail: "fake failure"), stepIssued: stepIssued)
        }
    }
}

@Suite struct StepHandoffTests {
    static let tick = Interval.milliseconds(1)

    /// One tick's plan at `rate` with a fresh generator.
    static func timing(_ rate: Double) -> StepTiming {
        var g = StepGenerator(maxStepsPerTick: 30)
        return g.planTimed(rate: StepsPerSecond(rate), over: tick, driver: .enabled)
    }

    @Test func eachPulseGoesOutAtItsDueTimeWhenTheSpinCoversTheWakeUp() {
        let clock = FakeClock()   // every sleep wakes 50 µs late
        let out = RecordingStepOutput(capacity: 100, clock: clock)
        let queue = StepBatchQueue(maxStepsPerBatch: 30)
        let start = clock.now() + Self.tick
        #expect(queue.publish(Self.timing(5000), start: start))
        StepIssuer(queue: queue, output: out, clock: clock, spin: .microseconds(50)).issueNext()
        #expect(out.pulses == 5)
        for k in 0..<5 { #expect(out.time(ofPulse: k) == start + .microseconds(200 * Int64(k + 1))) }

        // Without the spin each pulse is as late as the wake-up.
        #expect(queue.publish(Self.timing(5000), start: start + Self.tick))
        StepIssuer(queue: queue, output: out, clock: clock, spin: .zero).issueNext()
        for k in 0..<5 {
            #expect(out.time(ofPulse: 5 + k) == start + Self.tick + .microseconds(200 * Int64(k + 1) + 50))
        }
        var outcomes: [Int] = []
        queue.collect { planned, issued, failure in
            #expect(failure == nil)
            #expect(planned == issued)
            outcomes.append(issued)
        }
        #expect(outcomes == [5, 5])
        #expect(queue.issuedSteps == 10)
    }

    @Test func backwardStepsCountNegativeAndSetTheDirectionFirst() {
        let clock = FakeClock()
        let out = RecordingStepOutput(capacity: 100, clock: clock)
        let queue = StepBatchQueue(maxStepsPerBatch: 30)
        #expect(queue.publish(Self.timing(-3000), start: clock.now()))
        StepIssuer(queue: queue, output: out, clock: clock, spin: .zero).issueNext()
        #expect(queue.issuedSteps == -3)
        #expect(out.directionChanges == 1)
        queue.collect { planned, issued, _ in #expect(planned == -3 && issued == -3) }
    }

    /// A batch in flight, then a stop: the step due after the cancel never goes out,
    /// nor does any step of a batch published before it; one published after does.
    @Test func aCancelStopsTheBatchInFlightBeforeTheNextPulse() throws {
        let clock = HookedClock()
        let out = RecordingStepOutput(capacity: 100, clock: clock)
        let queue = StepBatchQueue(maxStepsPerBatch: 30)
        let start = clock.now() + Self.tick
        #expect(queue.publish(Self.timing(10_000), start: start))           // 10 steps
        #expect(queue.publish(Self.timing(10_000), start: start + Self.tick))
        var cancelledAt: Instant?
        var pulsesAtCancel: Int?
        clock.onSleep = { n in
            // While the thread sleeps towards the 4th step: the controller stops.
            if n == 4 {
                #expect(queue.cancel())
                cancelledAt = clock.now()
                pulsesAtCancel = out.pulses
            }
        }
        let issuer = StepIssuer(queue: queue, output: out, clock: clock, spin: .zero)
        #expect(issuer.issueNext())
        #expect(issuer.issueNext())
        #expect(out.pulses == 3)
        #expect(queue.issuedSteps == 3)
        #expect(pulsesAtCancel == 3)   // none after the cancel point
        let cancel = try #require(cancelledAt)
        for k in 0..<out.pulses { #expect(out.time(ofPulse: k) <= cancel) }
        var outcomes: [(Int, Int)] = []
        queue.collect { planned, issued, _ in outcomes.append((planned, issued)) }
        #expect(outcomes.map(\.0) == [10, 10] && outcomes.map(\.1) == [3, 0])

        // After the stop, a new batch goes out in full.
        clock.onSleep = { _ in }
        #expect(queue.publish(Self.timing(2000), start: clock.now()))
        #expect(issuer.issueNext())
        #expect(out.pulses == 5)
        #expect(!issuer.issueNext())   // nothing left
    }

    @Test func aPulseErrorIsReportedWithTheStepsThatWentOut() {
        let clock = FakeClock()
        let queue = StepBatchQueue(maxStepsPerBatch: 30)
        for (failing, stepIssued, expected) in [(3, false, 2), (3, true, 3)] {
            let out = FailingStepOutput(failing: failing, stepIssued: stepIssued)
            #expect(queue.publish(Self.timing(8000), start: clock.now()))
            StepIssuer(queue: queue, output: out, clock: clock, spin: .zero).issueNext()
            #expect(out.pulses == failing)   // nothing after the failed pulse
            var seen: (Int, HardwareError?)?
            queue.collect { _, issued, failure in seen = (issued, failure) }
            #expect(seen?.0 == expected)
            #expect(seen?.1?.detail == "fake failure")
        }
        #expect(queue.issuedSteps == 5)
    }

    @Test func aFullRingRefusesTheBatchInsteadOfOverwriting() {
        let queue = StepBatchQueue(maxStepsPerBatch: 30, capacity: 2)
        let now = Instant(nanoseconds: 0)
        #expect(queue.publish(Self.timing(3000), start: now))
        #expect(queue.publish(Self.timing(3000), start: now))
        #expect(!queue.publish(Self.timing(3000), start: now))
        #expect(queue.pending == 2)
        let clock = FakeClock()
        StepIssuer(queue: queue, output: VirtualStepOutput(), clock: clock, spin: .zero).issueNext()
        #expect(!queue.publish(Self.timing(3000), start: now))   // finished but not yet collected
        queue.collect { _, _, _ in }
        #expect(queue.publish(Self.timing(3000), start: now))
    }

    /// The real thread (its scheduling is whatever this process may have): every
    /// published step goes out once, in order. No timing is asserted here.
    @Test func theThreadIssuesEveryPublishedStep() {
        let out = RecordingStepOutput(capacity: 1000)
        let queue = StepBatchQueue(maxStepsPerBatch: 30)
        let thread = StepThread(queue: queue, output: out, options: StepThread.Options(priority: nil))
        let setup = thread.start()
        #expect(setup.name == "step thread SCHED_FIFO" && thread.isRunning)
        let now = SystemClock().now()
        var published = 0
        for t in 0..<20 {
            let timing = Self.timing(Double(1000 + 500 * t))
            // As the control tick does: take in finished batches, then publish.
            while !queue.publish(timing, start: now + Self.tick * Int64(t)) {
                usleep(100)
                queue.collect { _, _, _ in }
            }
            published += timing.count
        }
        for _ in 0..<10_000 where queue.pending > 0 { usleep(1000) }
        thread.stop()
        #expect(queue.pending == 0)
        #expect(out.pulses == published)
        #expect(queue.issuedSteps == published)
        for k in 1..<out.pulses { #expect(out.time(ofPulse: k - 1) <= out.time(ofPulse: k)) }
    }
}
