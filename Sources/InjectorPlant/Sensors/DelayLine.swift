import InjectorCore

/// The recent true values of a signal with their times, in a ring of fixed capacity
/// allocated once, so that a sensor with latency can report what it saw `latency` ago.
struct DelayLine: Sendable {
    static let capacity = 128
    private var values: [Double]
    private var times: [Int64]
    private var newest = -1
    private var count = 0

    init() {
        values = Array(repeating: 0, count: Self.capacity)
        times = Array(repeating: 0, count: Self.capacity)
    }

    mutating func record(_ value: Double, at time: Instant) {
        newest = (newest + 1) % Self.capacity
        values[newest] = value
        times[newest] = time.nanoseconds
        count = min(count + 1, Self.capacity)
    }

    /// The newest recorded value taken at or before `time`; the oldest one kept when
    /// all are newer (the start of a run, or a latency longer than the ring holds).
    func value(atOrBefore time: Instant) -> (value: Double, at: Instant) {
        precondition(count > 0, "record a value before reading the delay line")
        var index = newest
        for _ in 0..<count {
            if times[index] <= time.nanoseconds { return (values[index], Instant(nanoseconds: times[index])) }
            index = (index - 1 + Self.capacity) % Self.capacity
        }
        let oldest = (newest - count + 1 + Self.capacity) % Self.capacity
        return (values[oldest], Instant(nanoseconds: times[oldest]))
    }
}
