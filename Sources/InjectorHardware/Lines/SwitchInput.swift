import InjectorCore

/// One physical switch: an input line, its wiring, and what a read failure means.
public struct SwitchInput: Sendable {
    public let line: any InputLine
    public let wiring: SwitchWiring
    /// What the switch reads as when the line cannot be read: `.active` for every
    /// stop (e-stop, operator stops, end of travel), `.inactive` for the pedal and the
    /// reset button — so a failing input can only stop the motor, never start it.
    public let onReadFailure: Activation

    public init(line: any InputLine, wiring: SwitchWiring, onReadFailure: Activation) {
        self.line = line
        self.wiring = wiring
        self.onReadFailure = onReadFailure
    }

    /// The switch now, and whether the read failed.
    public func read() -> (Activation, failed: Bool) {
        do throws(HardwareError) {
            return (wiring.activation(of: try line.read()), false)
        } catch {
            return (onReadFailure, true)
        }
    }
}

/// The switches the board wires, each with its `Switch`. Reads all of them every tick;
/// a line that cannot be read takes its fail-safe value and is counted. A switch the
/// board does not wire (the optional new-level key) reads inactive.
public final class SwitchPanel: @unchecked Sendable {
    public let inputs: [(Switch, SwitchInput)]
    /// Reads that failed since start (each took its fail-safe value).
    public private(set) var readFailures: UInt64 = 0

    public init(_ inputs: [(Switch, SwitchInput)]) {
        precondition(Set(inputs.map(\.0)).count == inputs.count, "each switch wired once")
        self.inputs = inputs
    }

    public func read() -> SwitchInputs {
        var switches = SwitchInputs()
        var failures: UInt64 = 0
        for (name, input) in inputs {
            let (value, failed) = input.read()
            if failed { failures += 1 }
            switches[name] = value
        }
        readFailures &+= failures
        return switches
    }
}

/// The stepper driver's ENABLE line. Request it with `polarity.inactiveLevel` as the
/// default and wire a resistor to that level (hardware/wiring.md): then a process
/// that never started, crashed or released the line leaves the driver disabled.
public struct DriverEnableOutput: Sendable {
    public let line: any OutputLine
    public let polarity: Polarity

    public init(line: any OutputLine, polarity: Polarity) {
        self.line = line
        self.polarity = polarity
    }

    public func set(_ enable: DriverEnable) throws(HardwareError) {
        try line.set(polarity.level(active: enable == .enabled))
    }
}

/// The buzzer / lamp: off, an intermittent beep for a notice, continuous for an alarm.
public struct AlarmOutput: Sendable {
    public let line: any OutputLine
    public let polarity: Polarity
    /// A notice beeps for `noticeOn` in every `noticePeriod`.
    public let noticePeriod: Interval
    public let noticeOn: Interval

    public init(line: any OutputLine, polarity: Polarity, noticePeriod: Interval = .seconds(2),
                noticeOn: Interval = .milliseconds(150)) {
        precondition(noticePeriod.nanoseconds > 0 && noticeOn < noticePeriod, "the beep must fit in its period")
        self.line = line
        self.polarity = polarity
        self.noticePeriod = noticePeriod
        self.noticeOn = noticeOn
    }

    /// Whether the buzzer sounds at `now` for `level`.
    public func sounds(_ level: AlarmLevel, at now: Instant) -> Bool {
        switch level {
        case .off: false
        case .alarm: true
        case .notice:
            now.nanoseconds >= 0 && now.nanoseconds % noticePeriod.nanoseconds < noticeOn.nanoseconds
        }
    }

    public func set(_ level: AlarmLevel, at now: Instant) throws(HardwareError) {
        try line.set(polarity.level(active: sounds(level, at: now)))
    }
}
