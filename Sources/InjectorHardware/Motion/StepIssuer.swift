import InjectorCore

/// The step thread's work, one batch at a time, apart from the thread itself, so a
/// test can drive it with a fake clock and output and see every decision.
///
/// For each step: sleep to shortly before its due time (absolute deadline), spin the
/// rest (`spin`: a wake-up is late by tens of µs, a spin is not), check the batch is
/// still wanted, pulse. Steps already late go out at once, in order, never skipped:
/// the count per tick is the Core's, only the moment moves.
public struct StepIssuer: Sendable {
    public let queue: StepBatchQueue
    public let output: any StepOutput
    public let clock: any MonotonicClock
    /// How long before a due time the sleep ends and the spin begins.
    public let spin: Interval

    public init(queue: StepBatchQueue, output: any StepOutput, clock: any MonotonicClock, spin: Interval) {
        self.queue = queue
        self.output = output
        self.clock = clock
        self.spin = spin
    }

    /// Issues the oldest published batch, or returns `false` if there is none.
    @discardableResult
    public func issueNext() -> Bool {
        guard let batch = queue.nextBatch() else { return false }
        let sign = batch.direction == .forward ? 1 : -1
        var issued = 0
        var failure: HardwareError?
        if batch.count > 0, queue.isCurrent(batch) {
            do throws(HardwareError) { try output.setDirection(batch.direction) } catch { failure = error }
            var k = 0
            while failure == nil, k < batch.count {
                wait(until: queue.dueTime(of: batch, step: k))
                guard queue.beginPulse(batch) else { break }
                var stepped = true
                do throws(StepPulseError) { try output.pulse() } catch {
                    stepped = error.stepIssued
                    failure = error.error
                }
                queue.endPulse(counting: stepped ? sign : 0)
                if stepped { issued += 1 }
                k += 1
            }
        }
        queue.finish(batch, issued: sign * issued, failure: failure)
        return true
    }

    private func wait(until due: Instant) {
        let wake = due - spin
        if clock.now() < wake { clock.sleep(until: wake) }
        while clock.now() < due {}
    }
}
