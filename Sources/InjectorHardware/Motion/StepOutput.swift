import InjectorCore

/// Something that moves the motor one (micro)step at a time: a STEP/DIR driver on
/// two GPIO lines, or a counter when a simulator stands in for the motor.
///
/// Contract: `setDirection` is called before every tick's pulses; it changes DIR only
/// when the direction differs from the last one set, and returns after the driver's
/// DIR setup time; `pulse` issues exactly one step or
/// throws, saying whether the step went out (a failed falling edge still stepped).
public protocol StepOutput: AnyObject, Sendable {
    func setDirection(_ direction: StepDirection) throws(HardwareError)
    func pulse() throws(StepPulseError)
}

/// A pulse that failed, and whether the driver stepped anyway.
public struct StepPulseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var error: HardwareError
    /// The rising edge (which steps the driver) went out; the falling edge failed.
    public var stepIssued: Bool
    public init(_ error: HardwareError, stepIssued: Bool) {
        self.error = error
        self.stepIssued = stepIssued
    }
    public var description: String { (stepIssued ? "after the step: " : "") + error.description }
}

/// STEP and DIR on two output lines. A pulse is STEP high then low; each libgpiod
/// call is a system call of about 1–2 µs, longer than the 1 µs minimum pulse and the
/// 200–650 ns DIR setup and hold times of A4988/DRV8825/TMC2209; `minimumPulse`,
/// `directionSetup` (DIR change to the next rising STEP edge) and `directionHold`
/// (last falling STEP edge to a DIR change) add busy-waits for slower drivers.
public final class GPIOStepOutput: StepOutput, @unchecked Sendable {
    public let step: any OutputLine
    public let direction: any OutputLine
    /// The DIR level that moves the plunger forward (depends on the motor's wiring).
    public let forwardLevel: PinState
    public let minimumPulse: Interval
    public let directionSetup: Interval
    public let directionHold: Interval
    private let clock: any MonotonicClock
    /// The DIR level last set; `nil` before the first and after a failed set.
    private var current: StepDirection?
    /// When STEP last fell: DIR must hold until `directionHold` after it.
    private var lastFall: Instant?

    /// `directionSetup` and `directionHold` default to `minimumPulse`, what the
    /// output waited around a DIR change before the board file had them.
    public init(step: any OutputLine, direction: any OutputLine, forwardLevel: PinState,
                minimumPulse: Interval = .zero, directionSetup: Interval? = nil, directionHold: Interval? = nil,
                clock: any MonotonicClock = SystemClock()) {
        self.step = step
        self.direction = direction
        self.forwardLevel = forwardLevel
        self.minimumPulse = minimumPulse
        self.directionSetup = directionSetup ?? minimumPulse
        self.directionHold = directionHold ?? minimumPulse
        self.clock = clock
    }

    public func setDirection(_ d: StepDirection) throws(HardwareError) {
        guard current != d else { return }
        if let lastFall, directionHold.nanoseconds > 0 { spin(until: lastFall + directionHold) }
        current = nil
        try direction.set(d == .forward ? forwardLevel : forwardLevel.inverted)
        current = d
        spin(directionSetup)
    }

    public func pulse() throws(StepPulseError) {
        do throws(HardwareError) { try step.set(.high) } catch { throw StepPulseError(error, stepIssued: false) }
        spin(minimumPulse)
        // The rising edge stepped the driver; a failed falling edge is reported with
        // the step counted, so the position stays true.
        do throws(HardwareError) { try step.set(.low) } catch { throw StepPulseError(error, stepIssued: true) }
        if directionHold.nanoseconds > 0 { lastFall = clock.now() }
        spin(minimumPulse)
    }

    private func spin(_ interval: Interval) {
        guard interval.nanoseconds > 0 else { return }
        spin(until: clock.now() + interval)
    }

    private func spin(until deadline: Instant) {
        while clock.now() < deadline {}
    }
}

/// A step output with no motor: counts pulses. Used when a simulator's plant turns
/// the step count into plunger motion (hardware-in-the-loop over SimActuators).
public final class VirtualStepOutput: StepOutput, @unchecked Sendable {
    public private(set) var pulses: UInt64 = 0
    public private(set) var direction: StepDirection = .forward
    public init() {}
    public func setDirection(_ d: StepDirection) throws(HardwareError) { direction = d }
    public func pulse() throws(StepPulseError) { pulses &+= 1 }
}
