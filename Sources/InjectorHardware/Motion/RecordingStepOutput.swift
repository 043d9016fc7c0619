import InjectorCore

/// A step output with no motor that notes when each pulse went out, on `clock`
/// (CLOCK_MONOTONIC for `injector-firmware step-timing`): the step thread's timing
/// measured where a GPIO call would stand. Times go into a buffer allocated up front,
/// so recording costs a clock read and a store; pulses beyond it are only counted.
public final class RecordingStepOutput: StepOutput, @unchecked Sendable {
    public let capacity: Int
    private let stamps: UnsafeMutablePointer<Instant>
    private let clock: any MonotonicClock
    public private(set) var pulses = 0
    public private(set) var directionChanges = 0
    private var direction: StepDirection?

    public init(capacity: Int, clock: any MonotonicClock = SystemClock()) {
        precondition(capacity > 0, "room for at least one pulse")
        self.capacity = capacity
        self.clock = clock
        stamps = .allocate(capacity: capacity)
        stamps.initialize(repeating: Instant(nanoseconds: 0), count: capacity)
    }

    deinit { stamps.deallocate() }

    public func setDirection(_ d: StepDirection) throws(HardwareError) {
        if direction != d { directionChanges += 1 }
        direction = d
    }

    public func pulse() throws(StepPulseError) {
        let now = clock.now()
        if pulses < capacity { stamps[pulses] = now }
        pulses += 1
    }

    /// When pulse `i` (0-based, `i < min(pulses, capacity)`) went out.
    public func time(ofPulse i: Int) -> Instant {
        precondition(i >= 0 && i < Swift.min(pulses, capacity), "a recorded pulse")
        return stamps[i]
    }
}
