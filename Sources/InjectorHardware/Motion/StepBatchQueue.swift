import InjectorCore
import Synchronization

/// One tick's steps as the control tick hands them over, and what became of them.
/// The consumer writes the outcome before it marks the batch finished.
struct StepBatchSlot {
    var generation: UInt64 = 0
    var direction: StepDirection = .forward
    /// The signed steps planned (the count of pulses is its magnitude).
    var planned = 0
    /// The signed steps whose pulse went out.
    var issued = 0
    var failure: HardwareError?
}

/// A published batch as the step thread sees it.
public struct StepBatch: Sendable, Equatable {
    public let index: Int
    public let generation: UInt64
    public let direction: StepDirection
    public let count: Int
}

/// The handoff between the control tick (the one producer) and the step thread (the
/// one consumer): a ring of preallocated batches behind two atomic counters, so the
/// real-time path never locks, waits for the other side or allocates.
///
/// Cancelling (a stop: driver disabled, rate 0) bumps `generation`; the consumer
/// checks it before every pulse inside a "pulsing" bracket, and `cancel` waits out a
/// pulse already in that bracket (a few µs), so when `cancel` returns no pulse of an
/// older batch can still go out (the two sequentially consistent stores and loads
/// are Dekker's handshake: one side always sees the other).
public final class StepBatchQueue: @unchecked Sendable {
    /// Batches in the ring: the thread may fall this many ticks behind.
    public let capacity: Int
    public let maxStepsPerBatch: Int
    private let slots: UnsafeMutablePointer<StepBatchSlot>
    private let times: UnsafeMutablePointer<Instant>
    /// Batches published (written only by the producer).
    private let published = Atomic<Int>(0)
    /// Batches finished, issued or cancelled (written only by the consumer).
    private let finished = Atomic<Int>(0)
    private let generation = Atomic<UInt64>(0)
    private let pulsing = Atomic<Bool>(false)
    private let issuedNet = Atomic<Int>(0)
    /// Finished batches whose outcome the producer has read (producer only).
    private var collected = 0

    public init(maxStepsPerBatch: Int, capacity: Int = 4) {
        precondition(maxStepsPerBatch > 0 && capacity > 0, "room for at least one step and one batch")
        self.capacity = capacity
        self.maxStepsPerBatch = maxStepsPerBatch
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: StepBatchSlot(), count: capacity)
        times = .allocate(capacity: capacity * maxStepsPerBatch)
        times.initialize(repeating: Instant(nanoseconds: 0), count: capacity * maxStepsPerBatch)
    }

    deinit {
        slots.deinitialize(count: capacity)
        slots.deallocate()
        times.deallocate()
    }

    // MARK: Producer (the control tick)

    /// Net steps whose pulse went out so far (forward positive).
    public var issuedSteps: Int { issuedNet.load(ordering: .acquiring) }

    /// Batches published and not yet finished by the thread.
    public var pending: Int { published.load(ordering: .relaxed) - finished.load(ordering: .acquiring) }

    /// Hands over one tick's steps, due at `start` plus their offsets. Returns `false`
    /// (and publishes nothing) when the ring is full or the plan exceeds a batch.
    public func publish(_ timing: StepTiming, start: Instant) -> Bool {
        let n = published.load(ordering: .relaxed)
        guard n - collected < capacity, timing.count <= maxStepsPerBatch else { return false }
        let slot = n % capacity
        slots[slot] = StepBatchSlot(generation: generation.load(ordering: .relaxed),
                                    direction: timing.planned < 0 ? .backward : .forward, planned: timing.planned)
        let base = times + slot * maxStepsPerBatch
        for k in 0..<timing.count { base[k] = start + timing.offset(ofStep: k) }
        published.store(n + 1, ordering: .releasing)
        return true
    }

    /// Cancels every published step not yet pulsed. When it returns, no pulse of
    /// those batches goes out any more; `false` if a pulse in progress did not end
    /// within `spinLimit` checks (a stuck GPIO call).
    @discardableResult
    public func cancel(spinLimit: Int = 10_000_000) -> Bool {
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        var spins = 0
        while pulsing.load(ordering: .sequentiallyConsistent) {
            spins += 1
            if spins >= spinLimit { return false }
        }
        return true
    }

    /// Hands `body` the outcome of each batch finished since the last call, oldest first.
    public func collect(_ body: (_ planned: Int, _ issued: Int, _ failure: HardwareError?) -> Void) {
        let done = finished.load(ordering: .acquiring)
        while collected < done {
            let s = slots[collected % capacity]
            body(s.planned, s.issued, s.failure)
            collected += 1
        }
    }

    // MARK: Consumer (the step thread)

    /// The oldest batch not yet finished, if one is published.
    public func nextBatch() -> StepBatch? {
        let index = finished.load(ordering: .relaxed)
        guard index < published.load(ordering: .acquiring) else { return nil }
        let s = slots[index % capacity]
        return StepBatch(index: index, generation: s.generation, direction: s.direction, count: abs(s.planned))
    }

    /// When step `k` of `batch` is due.
    public func dueTime(of batch: StepBatch, step k: Int) -> Instant {
        times[(batch.index % capacity) * maxStepsPerBatch + k]
    }

    /// Whether `batch` is still wanted (not cancelled).
    public func isCurrent(_ batch: StepBatch) -> Bool {
        generation.load(ordering: .sequentiallyConsistent) == batch.generation
    }

    /// Opens the bracket around one pulse; `false` (bracket closed again) if the
    /// batch was cancelled: the pulse must not go out.
    public func beginPulse(_ batch: StepBatch) -> Bool {
        pulsing.store(true, ordering: .sequentiallyConsistent)
        guard generation.load(ordering: .sequentiallyConsistent) == batch.generation else {
            pulsing.store(false, ordering: .releasing)
            return false
        }
        return true
    }

    /// Closes the bracket, counting `steps` (signed: −1, 0 or 1) as gone out.
    public func endPulse(counting steps: Int) {
        if steps != 0 { issuedNet.wrappingAdd(steps, ordering: .releasing) }
        pulsing.store(false, ordering: .releasing)
    }

    /// Records what became of `batch` and hands its slot back.
    public func finish(_ batch: StepBatch, issued: Int, failure: HardwareError?) {
        let slot = batch.index % capacity
        slots[slot].issued = issued
        slots[slot].failure = failure
        finished.store(batch.index + 1, ordering: .releasing)
    }
}
