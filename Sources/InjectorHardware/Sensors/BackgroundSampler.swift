#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import Synchronization

/// Reads a slow sensor on its own thread and hands the control loop the latest
/// sample without waiting.
///
/// An IIO read of an ADS1115 starts a conversion and blocks until it is done (about
/// 1.2 ms at 860 samples/s, 8 ms at the driver's default 128/s) — too long for a
/// 1 kHz loop. The sampler keeps each sample's own `sampledAt`, so a sensor that
/// stops answering shows up as stale in the controller, never as a fresh old value.
public final class BackgroundSampler<Value: Quantity>: @unchecked Sendable {
    private let latest: Mutex<SensorSample<Value>?>
    private let running = Atomic<Bool>(true)
    private let read: @Sendable (Instant) -> SensorSample<Value>
    private let clock: any MonotonicClock
    private let interval: Interval
    private var thread: pthread_t?

    /// Samples every `interval` (at least; a slow read stretches it) once `start()` is called.
    public init(interval: Interval, clock: any MonotonicClock = SystemClock(),
                read: @escaping @Sendable (Instant) -> SensorSample<Value>) {
        self.latest = Mutex(nil)
        self.read = read
        self.clock = clock
        self.interval = interval
    }

    /// Starts the sampling thread; returns `false` if `pthread_create` failed. The
    /// thread holds the sampler until `stop()`.
    @discardableResult
    public func start() -> Bool {
        guard thread == nil else { return true }
        guard let t = startThread({ self.loop() }) else { return false }
        thread = t
        return true
    }

    /// Whether the sampling thread started.
    public var isRunning: Bool { thread != nil && running.load(ordering: .relaxed) }

    private func loop() {
        var deadline = clock.now()
        while running.load(ordering: .relaxed) {
            let sample = read(clock.now())
            latest.withLock { $0 = sample }
            deadline = deadline + interval
            let now = clock.now()
            if deadline < now { deadline = now }
            clock.sleep(until: deadline)
        }
    }

    /// The latest sample; `.missing` (stamped at `now`) before the first one.
    public func latestSample(at now: Instant) -> SensorSample<Value> {
        latest.withLock { $0 } ?? SensorSample(value: .zero, sampledAt: now, status: .missing)
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

/// A pressure sensor read in the background.
public final class BackgroundPressureSensor: PressureSensor, @unchecked Sendable {
    public let sampler: BackgroundSampler<Kilopascals>
    public init(_ sensor: any PressureSensor, interval: Interval) {
        sampler = BackgroundSampler(interval: interval) { now in sensor.sample(at: now) }
        sampler.start()
    }
    public func sample(at now: Instant) -> SensorSample<Kilopascals> { sampler.latestSample(at: now) }
}

/// A position sensor read in the background.
public final class BackgroundPositionSensor: PositionSensor, @unchecked Sendable {
    public let sampler: BackgroundSampler<Microliters>
    public init(_ sensor: any PositionSensor, interval: Interval) {
        sampler = BackgroundSampler(interval: interval) { now in sensor.sample(at: now) }
        sampler.start()
    }
    public func sample(at now: Instant) -> SensorSample<Microliters> { sampler.latestSample(at: now) }
}

/// The body of a thread started by `startThread`.
private final class ThreadBody: @unchecked Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

/// Starts a POSIX thread running `body`; `nil` if `pthread_create` failed.
public func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var t = pthread_t()
    let result = pthread_create(&t, nil, { raw in
        let body = Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue()
        body.run()
        return nil
    }, box)
    guard result == 0 else {
        Unmanaged<ThreadBody>.fromOpaque(box).release()
        return nil
    }
    return t
}
