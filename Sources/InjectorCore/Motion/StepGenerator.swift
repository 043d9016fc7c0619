/// Which way the plunger moves.
public enum StepDirection: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Into the syringe: injects.
    case forward = 0
    /// Out of the syringe: backs off, relieves pressure.
    case backward = 1

    public var description: String { self == .forward ? "forward" : "backward" }
}

/// Turns the controller's signed step rate into whole steps, one tick at a time, and
/// counts the steps actually issued (the controller's `stepPosition`).
///
/// The one step generator: the firmware's board and simulated I/O, the lockstep runner
/// and the hardware-in-the-loop server all plan their steps here, so the motor the
/// simulator validates is the motor the firmware drives. It is pure: `plan` says how
/// many steps the coming tick owes, the caller issues them (GPIO pulses, or a plant's
/// counter), then `record` says how many went out.
///
/// Rules kept here, not at the callers:
/// - a phase accumulator carries the fraction of a step from tick to tick, so a rate
///   of 66.7 steps/s at 1 kHz issues a step on every 15th tick, not never;
/// - with the driver disabled, or no rate, nothing is owed and the fraction is dropped
///   (a disabled driver does not move, so no debt builds up behind it);
/// - at most `maxStepsPerTick` steps a tick: the rest are counted in `stepsClipped`
///   and never caught up (a burst must not outrun the driver or the tick);
/// - a tick whose steps did not all go out drops the fraction it carried.
public struct StepGenerator: Sendable, Equatable {
    /// Net steps issued since start (forward positive).
    public private(set) var position: Steps
    /// Steps owed but not yet issued, in (-1, 1) between ticks.
    public private(set) var phase: Double = 0
    /// Steps the rate asked for beyond `maxStepsPerTick` (dropped, never caught up).
    public private(set) var stepsClipped: UInt64 = 0
    /// Ticks whose planned steps did not all go out.
    public private(set) var shortTicks: UInt64 = 0
    public let maxStepsPerTick: Int

    /// Headroom of the per-tick bound over the drive's top rate: the controller never
    /// asks for more than `maxStepRate`, so a plan beyond 1.5× of it is a bug to clip,
    /// while a late tick (up to half a period) still gets its steps.
    public static let burstHeadroom = 1.5

    public init(position: Steps = .zero, maxStepsPerTick: Int) {
        precondition(maxStepsPerTick > 0, "at least one step per tick")
        self.position = position
        self.maxStepsPerTick = maxStepsPerTick
    }

    /// The generator for a drive's top rate at a tick rate.
    public init(position: Steps = .zero, maxStepRate: StepsPerSecond, tickRate: Hertz) {
        self.init(position: position, maxStepsPerTick: Self.maxStepsPerTick(maxStepRate: maxStepRate, tickRate: tickRate))
    }

    /// The burst bound for a drive's top rate at a tick rate, with `burstHeadroom`.
    public static func maxStepsPerTick(maxStepRate: StepsPerSecond, tickRate: Hertz) -> Int {
        Swift.max(1, Int((maxStepRate.rawValue / tickRate.rawValue * burstHeadroom).rounded(.up)))
    }

    /// The signed number of steps owed over `interval` (the coming tick) at `rate`.
    /// Issue exactly these, in their direction, then call `record`.
    @inline(__always)
    public mutating func plan(rate: StepsPerSecond, over interval: Interval, driver: DriverEnable) -> Int {
        guard driver == .enabled, rate.rawValue.isFinite, rate.rawValue != 0, interval.nanoseconds > 0 else {
            phase = 0
            return 0
        }
        phase += rate.rawValue * interval.seconds
        let wanted = phase.rounded(.towardZero)
        phase -= wanted
        let magnitude = Swift.min(wanted.magnitude, Double(Int32.max))
        var count = Int(magnitude)
        if count > maxStepsPerTick {
            stepsClipped &+= UInt64(count - maxStepsPerTick)
            count = maxStepsPerTick
        }
        return wanted < 0 ? -count : count
    }

    /// Records the steps that went out of the `planned` ones (same sign, no more).
    @inline(__always)
    public mutating func record(issued: Int, of planned: Int) {
        precondition((issued == 0 || issued.signum() == planned.signum()) && issued.magnitude <= planned.magnitude,
                     "issued steps are a part of the planned ones")
        position = position + Steps(Int64(issued))
        if issued != planned {
            shortTicks &+= 1
            phase = 0
        }
    }

    /// Plans and records in one call, for a motor that issues every step it is given
    /// (a simulated plant). Returns the signed steps issued.
    @discardableResult @inline(__always)
    public mutating func advance(rate: StepsPerSecond, over interval: Interval, driver: DriverEnable) -> Int {
        let n = plan(rate: rate, over: interval, driver: driver)
        record(issued: n, of: n)
        return n
    }
}
