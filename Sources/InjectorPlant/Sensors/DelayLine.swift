import InjectorCore

/// The recent true values of a signal with their times, in a ring of fixed capacity
/// allocated once, so that a sensor with latency can report what it saw `latency` ago.
struct DelayLine: Sendable {
    /// A power of two, so that the ring's index wraps with a mask.
    static let capacity = 128
    private static let mask = capacity - 1

    private struct Entry: Sendable {
        var value: Double
        var time: Int64
    }

    private var entries: [Entry]
    private var newest = -1
    private var count = 0

    init() {
        entries = Array(repeating: Entry(value: 0, time: 0), count: Self.capacity)
    }

    @inline(__always) mutating func record(_ value: Double, at time: Instant) {
        let slot = (newest + 1) & Self.mask
        newest = slot
        entries.withUnsafeMutableBufferPointer { $0[slot] = Entry(value: value, time: time.nanoseconds) }
        if count < Self.capacity { count += 1 }
    }

    /// The newest recorded value taken at or before `time`; the oldest one kept when
    /// all are newer (the start of a run, or a latency longer than the ring holds).
    @inline(__always) func value(atOrBefore time: Instant) -> (value: Double, at: Instant) {
        precondition(count > 0, "record a value before reading the delay line")
        return entries.withUnsafeBufferPointer { ring in
            var index = newest
            for _ in 0..<count {
                let entry = ring[index]
                if entry.time <= time.nanoseconds { return (entry.value, Instant(nanoseconds: entry.time)) }
                index = (index - 1) & Self.mask
            }
            let oldest = ring[(newest - count + 1) & Self.mask]
            return (oldest.value, Instant(nanoseconds: oldest.time))
        }
    }
}
