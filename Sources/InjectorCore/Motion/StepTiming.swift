/// When each of one tick's planned steps is due, measured from the tick's start.
///
/// The generator's phase accumulator rises at `rate` through the tick: a step is owed
/// each time it crosses a whole number. Step `k` (1-based) of a tick that began with
/// the fraction `p` is therefore due at `(k − s·p) / |rate|` (s the rate's sign), so
/// the spacing is exactly 1/rate, within a tick and across ticks (the fraction the
/// tick ends with is the one the next begins with). Pure arithmetic on the plan: no
/// clock, no allocation; the step thread adds these offsets to the tick's instant.
public struct StepTiming: Sendable, Equatable {
    /// The signed number of steps planned (what `StepGenerator.plan` returned).
    public let planned: Int
    /// The generator's fraction before the plan, in (−1, 1).
    public let phaseBefore: Double
    /// The tick's rate (0 when nothing is planned).
    public let rate: StepsPerSecond
    /// The tick's length: no offset lies beyond it.
    public let interval: Interval

    public init(planned: Int, phaseBefore: Double, rate: StepsPerSecond, interval: Interval) {
        self.planned = planned
        self.phaseBefore = phaseBefore
        self.rate = rate
        self.interval = interval
    }

    /// The number of pulses: `|planned|`.
    public var count: Int { abs(planned) }

    /// The offset from the tick's start of step `index` (0-based, `0 ..< count`),
    /// rounded to the nanosecond and kept inside the tick.
    @inline(__always)
    public func offset(ofStep index: Int) -> Interval {
        let speed = rate.rawValue.magnitude
        guard speed > 0, speed.isFinite else { return .zero }
        let sign: Double = rate.rawValue < 0 ? -1 : 1
        let seconds = (Double(index + 1) - sign * phaseBefore) / speed
        let ns = (seconds * 1e9).rounded()
        return Interval(nanoseconds: Int64(Swift.min(Swift.max(ns, 0), Double(interval.nanoseconds))))
    }
}

extension StepGenerator {
    /// `plan`, with when each planned step is due: the same count (the one step rule)
    /// and, from the fraction carried in, the steps' offsets inside the tick.
    @inline(__always)
    public mutating func planTimed(rate: StepsPerSecond, over interval: Interval, driver: DriverEnable) -> StepTiming {
        let before = phase
        let planned = plan(rate: rate, over: interval, driver: driver)
        return StepTiming(planned: planned, phaseBefore: before, rate: planned == 0 ? .zero : rate, interval: interval)
    }
}
