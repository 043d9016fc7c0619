import InjectorCore
import InjectorProtocol

/// One point of the live plot.
public struct PlotSample: Equatable, Sendable {
    /// Counts every sample ever kept, so a view asks for what it has not seen yet.
    public var index: UInt64
    /// The firmware's controller time, s.
    public var time: Double
    public var pressureKPa: Double
    public var deliveredUL: Double
    public var capUL: Double
    public var flowULPerS: Double
}

/// The live plot's memory: telemetry thinned to one sample per `spacing` of firmware
/// time, the last `capacity` of them. At the default 50 ms and 1 200 samples that is
/// the last minute, enough to see a pause and its release, small enough to send whole.
public struct TelemetryHistory: Sendable {
    public let capacity: Int
    public let spacing: Interval
    private var ring: [PlotSample] = []
    private var head = 0
    /// The index the next one will get: what a view asks for next time.
    public private(set) var nextIndex: UInt64 = 0
    private var lastTime: Instant?

    public init(capacity: Int = 1_200, spacing: Interval = .milliseconds(50)) {
        precondition(capacity > 0, "a history holds at least one sample")
        self.capacity = capacity
        self.spacing = spacing
        ring.reserveCapacity(capacity)
    }

    /// Keeps `t` if it is at least `spacing` after the last kept one (or the firmware
    /// restarted and its clock went back).
    public mutating func add(_ t: TelemetryReport) {
        if let last = lastTime, t.time >= last, t.time - last < spacing { return }
        lastTime = t.time
        let sample = PlotSample(index: nextIndex, time: Double(t.time.nanoseconds) / 1e9,
                                pressureKPa: t.pressure.rawValue, deliveredUL: t.delivered.rawValue,
                                capUL: t.cap.rawValue, flowULPerS: t.commandedFlow.rawValue)
        nextIndex += 1
        if ring.count < capacity {
            ring.append(sample)
        } else {
            ring[head] = sample
            head = (head + 1) % capacity
        }
    }

    public var count: Int { ring.count }

    /// The samples in order, oldest first; only those with `index >= from`.
    public func samples(from: UInt64 = 0) -> [PlotSample] {
        let ordered = Array(ring[head...] + ring[..<head])
        guard let first = ordered.first, from > first.index else { return ordered }
        return Array(ordered.drop { $0.index < from })
    }
}
