import InjectorCore

/// Wake-up latencies in 1 µs bins, preallocated: recording never allocates, so it
/// can run inside the control loop.
public struct LatencyHistogram: Sendable {
    /// Bins 0 ..< binCount µs; later wake-ups go to the overflow count (and `maximum`).
    public let binCount: Int
    private var bins: [UInt64]
    public private(set) var count: UInt64 = 0
    public private(set) var overflow: UInt64 = 0
    public private(set) var maximum: Interval = .zero
    public private(set) var minimum: Interval?
    private var sumNanoseconds: Double = 0

    public init(binCount: Int = 20_000) {
        precondition(binCount > 0, "at least one bin")
        self.binCount = binCount
        bins = [UInt64](repeating: 0, count: binCount)
    }

    public mutating func record(_ latency: Interval) {
        let ns = max(0, latency.nanoseconds)
        let bin = Int(ns / 1000)
        if bin < binCount { bins[bin] &+= 1 } else { overflow &+= 1 }
        count &+= 1
        sumNanoseconds += Double(ns)
        if latency > maximum { maximum = latency }
        if minimum.map({ latency < $0 }) ?? true { minimum = latency }
    }

    public var mean: Interval { count == 0 ? .zero : Interval(nanoseconds: Int64(sumNanoseconds / Double(count))) }

    /// The latency at or below which `fraction` of wake-ups fell, to the bin's upper
    /// edge (1 µs resolution); the maximum if it lies in the overflow.
    public func percentile(_ fraction: Double) -> Interval {
        precondition(fraction >= 0 && fraction <= 1, "a fraction 0…1")
        guard count > 0 else { return .zero }
        let target = UInt64((Double(count) * fraction).rounded(.up))
        var seen: UInt64 = 0
        for (i, n) in bins.enumerated() {
            seen += n
            if seen >= max(1, target) { return .microseconds(Int64(i + 1)) }
        }
        return maximum
    }

    /// "median 62 µs, p99 118 µs, max 1.9 ms (n=5000)".
    public var summary: String {
        func text(_ i: Interval) -> String {
            i.nanoseconds >= 1_000_000 ? "\(Double(i.nanoseconds / 10_000) / 100) ms" : "\(i.nanoseconds / 1000) µs"
        }
        return "median \(text(percentile(0.5))), p99 \(text(percentile(0.99))), p99.9 \(text(percentile(0.999))), "
            + "max \(text(maximum)) (n=\(count))"
    }
}
