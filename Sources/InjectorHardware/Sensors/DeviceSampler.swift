#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import Synchronization

/// One sampling thread per ADC device, reading its channels in a fixed order.
///
/// An ADS1115 (the kernel's ti-ads1015 driver) converts continuously on one channel at
/// a time: a read of the channel it is on returns the last conversion at once, a read
/// of another switches its multiplexer and waits about 2.5 ms for a settled
/// conversion. Two threads reading two channels of the same chip therefore thrash the
/// multiplexer and each wait for every read (about 7.7 ms per sample was measured with
/// a sampler per channel). One thread per device, going round its channels in order,
/// switches exactly once per channel per round. The thread asks for SCHED_FIFO at
/// `priority` (below the control loop's), so ordinary processes cannot starve the
/// sensors; each channel's latest sample keeps its own time, so a device that stops
/// answering shows as stale, never as fresh old values.
public final class DeviceSampler: @unchecked Sendable {
    public let device: String
    private var reads: [@Sendable (Instant) -> Void] = []
    private let running = Atomic<Bool>(true)
    private let clock: any MonotonicClock
    /// One round of every channel at most this often (a slow read stretches it).
    public private(set) var interval: Interval
    private var thread: pthread_t?
    /// What the thread got when it asked for SCHED_FIFO ("SCHED_FIFO 70", or why not).
    public let scheduling = Mutex<String>("not started")

    public init(device: String, interval: Interval, clock: any MonotonicClock = SystemClock()) {
        self.device = device
        self.interval = interval
        self.clock = clock
    }

    /// Adds a channel, read after the ones added before it; its samples land in the
    /// returned slot. The round's interval becomes the shortest asked for.
    public func add<Value: Quantity>(interval: Interval,
                                     read: @escaping @Sendable (Instant) -> SensorSample<Value>) -> SampleSlot<Value> {
        precondition(thread == nil, "channels are added before the sampler starts")
        let slot = SampleSlot<Value>()
        reads.append { now in slot.store(read(now)) }
        self.interval = min(self.interval, interval)
        return slot
    }

    public var channelCount: Int { reads.count }

    /// Starts the thread; `false` if `pthread_create` failed.
    @discardableResult
    public func start(priority: Int32?) -> Bool {
        guard thread == nil else { return true }
        guard let t = startThread({ self.loop(priority: priority) }) else { return false }
        thread = t
        return true
    }

    private func loop(priority: Int32?) {
        scheduling.withLock { $0 = Self.askForFIFO(priority) }
        var deadline = clock.now()
        while running.load(ordering: .relaxed) {
            for read in reads { read(clock.now()) }
            deadline = deadline + interval
            let now = clock.now()
            if deadline < now { deadline = now }
            clock.sleep(until: deadline)
        }
    }

    /// Moves the calling thread to SCHED_FIFO at `priority`; says what happened.
    static func askForFIFO(_ priority: Int32?) -> String {
        guard let priority else { return "default scheduling (no priority asked)" }
        var parameter = sched_param()
        parameter.sched_priority = priority
        let result = pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameter)
        return result == 0 ? "SCHED_FIFO \(priority)" : "default scheduling (SCHED_FIFO \(priority): \(systemMessage(result)))"
    }

    /// Stops the thread and waits for it.
    public func stop() {
        running.store(false, ordering: .relaxed)
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
    }

    deinit { running.store(false, ordering: .relaxed) }
}

/// The latest sample of one channel, written by its device's sampler.
public final class SampleSlot<Value: Quantity>: @unchecked Sendable {
    private let latest = Mutex<SensorSample<Value>?>(nil)
    init() {}
    func store(_ sample: SensorSample<Value>) { latest.withLock { $0 = sample } }
    /// The latest sample; `.missing` (stamped at `now`) before the first one.
    public func latestSample(at now: Instant) -> SensorSample<Value> {
        latest.withLock { $0 } ?? SensorSample(value: .zero, sampledAt: now, status: .missing)
    }
}

/// A pressure reading from its device's sampler.
public final class SampledPressureSensor: PressureSensor, @unchecked Sendable {
    public let slot: SampleSlot<Kilopascals>
    public init(_ slot: SampleSlot<Kilopascals>) { self.slot = slot }
    public func sample(at now: Instant) -> SensorSample<Kilopascals> { slot.latestSample(at: now) }
}

/// A position reading from its device's sampler.
public final class SampledPositionSensor: PositionSensor, @unchecked Sendable {
    public let slot: SampleSlot<Microliters>
    public init(_ slot: SampleSlot<Microliters>) { self.slot = slot }
    public func sample(at now: Instant) -> SensorSample<Microliters> { slot.latestSample(at: now) }
}
