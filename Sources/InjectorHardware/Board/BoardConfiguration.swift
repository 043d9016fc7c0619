import InjectorCore

/// The seven switches, by what they do.
extension Switch {
    /// What the switch reads as if its line cannot be read: every stop input fails
    /// active, the pedal, the reset button and the new-level key fail inactive.
    public var onReadFailure: Activation {
        switch self {
        case .eStop, .posteriorQuarterStop, .leakSeenStop, .forwardEndOfTravel, .rearEndOfTravel: .active
        case .enable, .localReset, .newLevel: .inactive
        }
    }

    /// Whether a board file must wire it. The new-level key is optional: a board
    /// without one starts a new level only with a new session (`new-session`).
    public var isRequiredOnBoard: Bool { self != .newLevel }
}

/// One switch input in the board file.
public struct InputSpec: Equatable, Sendable {
    public var line: UInt32
    public var wiring: SwitchWiring
    public var bias: GPIOBias
    public init(line: UInt32, wiring: SwitchWiring, bias: GPIOBias = .asIs) {
        self.line = line
        self.wiring = wiring
        self.bias = bias
    }
}

/// One ADC channel in the board file: where it is and how counts become a value.
public struct ADCChannelSpec: Equatable, Sendable {
    public var device: String
    public var channel: Int
    /// mV per count; `nil` reads the device's `_scale`.
    public var scale: Double?
    public var calibration: LinearCalibration
    /// Counts outside this range are saturation (an error sample).
    public var rawLimits: ClosedRange<Int>
    /// How often the background sampler reads the channel.
    public var sampleInterval: Interval

    public init(device: String, channel: Int, scale: Double? = nil, calibration: LinearCalibration,
                rawLimits: ClosedRange<Int> = -32767...32767, sampleInterval: Interval = .milliseconds(2)) {
        self.device = device
        self.channel = channel
        self.scale = scale
        self.calibration = calibration
        self.rawLimits = rawLimits
        self.sampleInterval = sampleInterval
    }
}

/// Which GPIO lines and ADC channels a board uses (hardware/boards/*.yaml).
public struct BoardConfiguration: Equatable, Sendable {
    public var name: String
    /// The chip the lines are on, by its label (and optionally its name).
    public var chip: GPIOChipSelector
    /// The kernel's name of each line, checked before the request.
    public var lineNames: LineNameRule
    /// The consumer name `gpioinfo` shows for our lines.
    public var consumer: String
    public var step: UInt32
    public var direction: UInt32
    /// The DIR level that moves the plunger forward.
    public var forwardLevel: PinState
    public var enable: UInt32
    /// A4988 / DRV8825 / TMC2209: active-low (low enables).
    public var enablePolarity: Polarity
    public var buzzer: UInt32?
    public var buzzerPolarity: Polarity
    /// The charge-pump line, if wired: toggled on every healthy tick, it keeps a
    /// retriggerable monostable on the driver board letting ENABLE through
    /// (hardware/wiring.md). No toggling for a few ticks and the hardware disables
    /// the driver, whatever the process, the kernel or the released lines do.
    public var chargePump: UInt32?
    /// Minimum STEP high/low time beyond the GPIO call itself.
    public var stepPulseWidth: Interval
    /// DIR change to the next rising STEP edge, and last falling STEP edge to a DIR
    /// change (the driver's DIR setup and hold times); `stepPulseWidth` if not given.
    public var directionSetup: Interval
    public var directionHold: Interval
    public var inputs: [Switch: InputSpec]
    /// The switches this board wires, in `Switch` order: the order of their lines in a request.
    public var wiredSwitches: [Switch] { Switch.allCases.filter { inputs[$0] != nil } }
    public var pressure: ADCChannelSpec
    /// Linear potentiometer on the plunger, if fitted.
    public var position: ADCChannelSpec?
    /// The pressure transducer's twin, if fitted: a load cell under the plunger through
    /// an analogue amplifier on an ADC channel, calibrated to kPa (force over the
    /// plunger's area).
    public var pressureTwin: ADCChannelSpec?
    /// The stepper driver's fault or stall output, if wired (DRV8825 nFAULT, open
    /// drain, low on a fault; TMC2209 DIAG, high on a fault or, with StallGuard set up,
    /// a stall). Its `closedLevel` is the level that means "fault".
    public var driverFault: InputSpec?

    public init(name: String, chip: GPIOChipSelector, lineNames: LineNameRule, consumer: String = "injector-firmware",
                step: UInt32, direction: UInt32,
                forwardLevel: PinState = .high, enable: UInt32, enablePolarity: Polarity = .activeLow,
                buzzer: UInt32? = nil, buzzerPolarity: Polarity = .activeHigh, chargePump: UInt32? = nil,
                stepPulseWidth: Interval = .zero,
                inputs: [Switch: InputSpec], pressure: ADCChannelSpec, position: ADCChannelSpec? = nil,
                pressureTwin: ADCChannelSpec? = nil, driverFault: InputSpec? = nil,
                directionSetup: Interval? = nil, directionHold: Interval? = nil) {
        self.name = name
        self.chip = chip
        self.lineNames = lineNames
        self.consumer = consumer
        self.step = step
        self.direction = direction
        self.forwardLevel = forwardLevel
        self.enable = enable
        self.enablePolarity = enablePolarity
        self.buzzer = buzzer
        self.buzzerPolarity = buzzerPolarity
        self.chargePump = chargePump
        self.stepPulseWidth = stepPulseWidth
        self.directionSetup = directionSetup ?? stepPulseWidth
        self.directionHold = directionHold ?? stepPulseWidth
        self.inputs = inputs
        self.pressure = pressure
        self.position = position
        self.pressureTwin = pressureTwin
        self.driverFault = driverFault
    }

    /// Everything wrong with the board, as "key: problem" lines (empty if none).
    public func problems() -> [String] {
        var problems: [String] = []
        var used: [UInt32: String] = [:]
        func claim(_ line: UInt32, _ key: String) {
            if let other = used[line] { problems.append("\(key): line \(line) is already used by \(other)") }
            else { used[line] = key }
        }
        claim(step, "outputs.step.line")
        claim(direction, "outputs.direction.line")
        claim(enable, "outputs.enable.line")
        if let buzzer { claim(buzzer, "outputs.buzzer.line") }
        if let chargePump { claim(chargePump, "outputs.chargePump.line") }
        for role in Switch.allCases {
            guard let input = inputs[role] else {
                if role.isRequiredOnBoard { problems.append("inputs.\(role): missing (every switch but newLevel must be wired)") }
                continue
            }
            claim(input.line, "inputs.\(role).line")
        }
        if let fault = driverFault { claim(fault.line, "driverFault.line") }
        if let eStop = inputs[.eStop], eStop.wiring.contact != .normallyClosed {
            problems.append("inputs.eStop.contact: must be normallyClosed, so that a cut wire reads as a stop")
        }
        if chip.label.isEmpty { problems.append("gpio.label: empty (the chip's label, as `gpiodetect` prints it)") }
        if chip.chip?.isEmpty == true { problems.append("gpio.chip: empty (leave it out to find the chip by label)") }
        if consumer.isEmpty || consumer.utf8.count > 31 { problems.append("gpio.consumer: 1–31 characters") }
        for (key, t) in [("minimumWidth", stepPulseWidth), ("directionSetup", directionSetup),
                         ("directionHold", directionHold)] where t < .zero || t > .microseconds(100) {
            problems.append("stepPulse.\(key): 0–100 µs, got \(t)")
        }
        for (key, adc) in [("pressure", Optional(pressure)), ("position", position), ("pressureTwin", pressureTwin)] {
            guard let adc else { continue }
            if adc.device.isEmpty || adc.device.contains("/") {
                problems.append("\(key).device: an IIO device's name (ads1115) or directory (iio:device0)")
            }
            if adc.channel < 0 || adc.channel > 63 { problems.append("\(key).channel: 0–63") }
            if let s = adc.scale, !(s.isFinite && s > 0) { problems.append("\(key).scale: a positive number (mV per count)") }
            if !(adc.calibration.unitsPerMillivolt.isFinite && adc.calibration.unitsPerMillivolt != 0)
                || !adc.calibration.zeroMillivolts.isFinite {
                problems.append("\(key): calibration must be finite with a non-zero slope")
            }
            if adc.sampleInterval < .microseconds(100) || adc.sampleInterval > .milliseconds(100) {
                problems.append("\(key).sampleInterval: 100 µs – 100 ms")
            }
        }
        return problems
    }
}
