import InjectorCore

/// The recent true values of a signal with their times, in a ring of fixed capacity held
/// inline (no array, so recording needs no uniqueness check and nothing is allocated),
/// so that a sensor with latency can report what it saw `latency` ago.
///
/// A read remembers where its answer lay. While the times recorded since then do not go
/// backwards, the next read (for a later or equal time) scans forward from there, one or
/// two entries a tick, instead of back from the newest; otherwise it searches the whole
/// ring as before. Both give the same entry.
struct DelayLine: Sendable {
    /// A power of two, so that the ring's index wraps with a mask.
    static let capacity = 128
    private static let mask = capacity - 1

    private struct Entry: Sendable {
        var value: Double
        var time: Int64
    }

    private typealias Eight = (Entry, Entry, Entry, Entry, Entry, Entry, Entry, Entry)
    private typealias Ring = (Eight, Eight, Eight, Eight, Eight, Eight, Eight, Eight,
                              Eight, Eight, Eight, Eight, Eight, Eight, Eight, Eight)

    private var ring: Ring
    /// Records are numbered from 0; the entry numbered i lives in slot i & mask.
    private var newest = -1
    private var count = 0
    /// From this record on, times do not decrease.
    private var orderedFrom = 0
    /// The record the last read returned (−1: none).
    private var cursor = -1

    init() {
        let zero = Entry(value: 0, time: 0)
        let eight: Eight = (zero, zero, zero, zero, zero, zero, zero, zero)
        ring = (eight, eight, eight, eight, eight, eight, eight, eight,
                eight, eight, eight, eight, eight, eight, eight, eight)
    }

    @inline(__always) private static func entries<R>(_ ring: inout Ring,
                                                     _ body: (UnsafeMutablePointer<Entry>) -> R) -> R {
        withUnsafeMutablePointer(to: &ring) {
            body(UnsafeMutableRawPointer($0).assumingMemoryBound(to: Entry.self))
        }
    }

    @inline(__always) mutating func record(_ value: Double, at time: Instant) {
        let number = newest &+ 1, previous = newest, mask = Self.mask
        let wentBack = Self.entries(&ring) { ring in
            ring[number & mask] = Entry(value: value, time: time.nanoseconds)
            return previous >= 0 && time.nanoseconds < ring[previous & mask].time
        }
        if wentBack { orderedFrom = number }
        newest = number
        if count < Self.capacity { count &+= 1 }
    }

    /// The newest recorded value taken at or before `time`; the oldest one kept when
    /// all are newer (the start of a run, or a latency longer than the ring holds).
    @inline(__always) mutating func value(atOrBefore time: Instant) -> (value: Double, at: Instant) {
        precondition(count > 0, "record a value before reading the delay line")
        let target = time.nanoseconds
        let newest = newest, oldest = newest &- count &+ 1, mask = Self.mask
        let remembered = cursor >= oldest && cursor >= orderedFrom ? cursor : -1
        let (found, entry) = Self.entries(&ring) { ring -> (Int, Entry) in
            var found = remembered
            if found >= 0 && ring[found & mask].time <= target {
                while found < newest && ring[(found &+ 1) & mask].time <= target { found &+= 1 }
            } else {
                found = newest
                while found >= oldest && ring[found & mask].time > target { found &-= 1 }
                // All newer than `time`: the oldest kept, not remembered.
                guard found >= oldest else { return (-1, ring[oldest & mask]) }
            }
            return (found, ring[found & mask])
        }
        cursor = found
        return (entry.value, Instant(nanoseconds: entry.time))
    }
}
