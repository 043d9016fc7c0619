import InjectorCore

/// Turns the controller's signed step rate into STEP/DIR pulses, one tick at a
/// time, and counts the steps actually issued (the controller's `stepPosition`).
///
/// A phase accumulator carries the fraction of a step from tick to tick, so a rate
/// of 66.7 steps/s at 1 kHz issues a step on every 15th tick, not never. The steps
/// of one tick go out as a burst at the start of the tick; `maxStepsPerTick` bounds
/// the burst (and so the time the loop spends in GPIO calls). Only steps whose pulse
/// went out are counted; a failed pulse stops the tick's burst and is reported
/// (a failed falling edge after a rising one counts: the driver stepped).
public struct StepGenerator: Sendable {
    /// Net steps issued since start (forward positive).
    public private(set) var position: Steps
    /// Steps owed but not yet issued, in (-1, 1) between ticks.
    public private(set) var phase: Double = 0
    public private(set) var direction: StepDirection?
    /// Steps the rate asked for beyond `maxStepsPerTick` (dropped, never caught up).
    public private(set) var stepsClipped: UInt64 = 0
    /// Pulses that failed.
    public private(set) var pulseFailures: UInt64 = 0
    public let maxStepsPerTick: Int

    public init(position: Steps = .zero, maxStepsPerTick: Int) {
        precondition(maxStepsPerTick > 0, "at least one step per tick")
        self.position = position
        self.maxStepsPerTick = maxStepsPerTick
    }

    /// The burst bound for a drive's top rate at a tick rate, with 50 % headroom.
    public static func maxStepsPerTick(maxStepRate: StepsPerSecond, tickRate: Hertz) -> Int {
        max(1, Int((maxStepRate.rawValue / tickRate.rawValue * 1.5).rounded(.up)))
    }

    /// Issues the steps `rate` asks for over `interval` (the coming tick). With the
    /// driver disabled nothing moves and the owed fraction is dropped. Returns the
    /// signed number of steps issued; throws after counting the ones that went out.
    @discardableResult
    public mutating func advance(rate: StepsPerSecond, over interval: Interval, driver: DriverEnable,
                                 output: some StepOutput) throws(HardwareError) -> Int {
        guard driver == .enabled, rate.rawValue.isFinite, rate.rawValue != 0, interval.nanoseconds > 0 else {
            phase = 0
            return 0
        }
        phase += rate.rawValue * interval.seconds
        let wanted = phase.rounded(.towardZero)
        phase -= wanted
        var count = Int(Swift.min(Swift.max(wanted.magnitude, 0), Double(Int32.max)))
        if count > maxStepsPerTick {
            stepsClipped &+= UInt64(count - maxStepsPerTick)
            count = maxStepsPerTick
        }
        guard count > 0 else { return 0 }
        let d: StepDirection = wanted > 0 ? .forward : .backward
        if direction != d {
            do throws(HardwareError) {
                try output.setDirection(d)
            } catch {
                direction = nil
                pulseFailures &+= 1
                phase = 0
                throw error
            }
            direction = d
        }
        let sign: Int64 = d == .forward ? 1 : -1
        for issued in 0..<count {
            do throws(StepPulseError) {
                try output.pulse()
            } catch {
                pulseFailures &+= 1
                phase = 0
                let done = Int64(issued) + (error.stepIssued ? 1 : 0)
                position = position + Steps(sign * done)
                throw error.error
            }
        }
        position = position + Steps(sign * Int64(count))
        return Int(sign) * count
    }
}
