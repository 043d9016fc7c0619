import InjectorCore

/// Every line and sensor of one board, opened from its board file.
///
/// `open` requests ENABLE first, driven to "disabled" from the moment of the request,
/// so the driver is held off before STEP and DIR are touched; on any failure the lines
/// already requested are released (the ENABLE resistor keeps the driver off).
public final class BoardHardware: @unchecked Sendable {
    public let configuration: BoardConfiguration
    public let chip: GPIOChip
    public let driver: DriverEnableOutput
    public let stepOutput: GPIOStepOutput
    public let alarm: AlarmOutput?
    public let switches: SwitchPanel
    public let pressure: any PressureSensor
    public let position: (any PositionSensor)?
    public let pressureTwin: (any PressureSensor)?
    private let outputLines: [GPIOOutputLine]
    private let inputLines: [GPIOInputLine]
    private let samplers: [() -> Void]

    private init(configuration: BoardConfiguration, chip: GPIOChip, driver: DriverEnableOutput,
                 stepOutput: GPIOStepOutput, alarm: AlarmOutput?, switches: SwitchPanel,
                 pressure: any PressureSensor, position: (any PositionSensor)?, pressureTwin: (any PressureSensor)?,
                 outputLines: [GPIOOutputLine], inputLines: [GPIOInputLine], samplers: [() -> Void]) {
        self.configuration = configuration
        self.chip = chip
        self.driver = driver
        self.stepOutput = stepOutput
        self.alarm = alarm
        self.switches = switches
        self.pressure = pressure
        self.position = position
        self.pressureTwin = pressureTwin
        self.outputLines = outputLines
        self.inputLines = inputLines
        self.samplers = samplers
    }

    /// Opens the chip, requests every line and opens the ADC channels.
    /// `backgroundSampling` reads the ADCs on their own threads (the firmware does;
    /// tests read inline).
    public static func open(_ board: BoardConfiguration, calls: GPIOCalls = .libgpiod,
                            iioRoot: String = "/sys/bus/iio/devices",
                            backgroundSampling: Bool = true) throws(HardwareError) -> BoardHardware {
        let chip = try GPIOChip.open(board.chip, calls: calls)
        let consumer = board.consumer
        // ENABLE first, at "disabled"; if anything below throws, the lines requested so
        // far are released by their deinit.
        let enableLine = try chip.requestOutput(board.enable, role: "ENABLE", consumer: consumer,
                                                initial: board.enablePolarity.inactiveLevel)
        let stepLine = try chip.requestOutput(board.step, role: "STEP", consumer: consumer, initial: .low)
        let dirLine = try chip.requestOutput(board.direction, role: "DIR", consumer: consumer,
                                             initial: board.forwardLevel)
        var outputs = [enableLine, stepLine, dirLine]
        var alarm: AlarmOutput?
        if let buzzer = board.buzzer {
            let line = try chip.requestOutput(buzzer, role: "BUZZER", consumer: consumer,
                                              initial: board.buzzerPolarity.inactiveLevel)
            outputs.append(line)
            alarm = AlarmOutput(line: line, polarity: board.buzzerPolarity)
        }
        var inputs: [SwitchRole: SwitchInput] = [:]
        var inputLines: [GPIOInputLine] = []
        for role in SwitchRole.allCases {
            guard let spec = board.inputs[role] else {
                throw HardwareError(.configuration, device: "inputs.\(role)", detail: "not in the board file")
            }
            let line = try chip.requestInput(spec.line, role: role.rawValue, consumer: consumer, bias: spec.bias)
            inputLines.append(line)
            inputs[role] = SwitchInput(line: line, wiring: spec.wiring, onReadFailure: role.onReadFailure)
        }
        let panel = SwitchPanel(
            eStop: inputs[.eStop]!, enable: inputs[.enable]!, posteriorQuarterStop: inputs[.posteriorQuarterStop]!,
            leakSeenStop: inputs[.leakSeenStop]!, forwardEndOfTravel: inputs[.forwardEndOfTravel]!,
            rearEndOfTravel: inputs[.rearEndOfTravel]!, localReset: inputs[.localReset]!)

        var samplers: [() -> Void] = []
        func openPressure(_ p: ADCChannelSpec) throws(HardwareError) -> any PressureSensor {
            let channel = try IIOChannel(root: iioRoot, device: p.device, channel: p.channel, scaleOverride: p.scale)
            let sensor = IIOPressureSensor(channel: channel, calibration: p.calibration, rawLimits: p.rawLimits)
            guard backgroundSampling else { return sensor }
            let background = BackgroundPressureSensor(sensor, interval: p.sampleInterval)
            samplers.append { background.sampler.stop() }
            return background
        }
        let pressure = try openPressure(board.pressure)
        let pressureTwin = try board.pressureTwin.map { (p) throws(HardwareError) in try openPressure(p) }
        var position: (any PositionSensor)?
        if let q = board.position {
            let channel = try IIOChannel(root: iioRoot, device: q.device, channel: q.channel, scaleOverride: q.scale)
            var sensor: any PositionSensor = IIOPositionSensor(channel: channel, calibration: q.calibration,
                                                               rawLimits: q.rawLimits)
            if backgroundSampling {
                let background = BackgroundPositionSensor(sensor, interval: q.sampleInterval)
                samplers.append { background.sampler.stop() }
                sensor = background
            }
            position = sensor
        }
        return BoardHardware(
            configuration: board, chip: chip,
            driver: DriverEnableOutput(line: enableLine, polarity: board.enablePolarity),
            stepOutput: GPIOStepOutput(step: stepLine, direction: dirLine, forwardLevel: board.forwardLevel,
                                       minimumPulse: board.stepPulseWidth),
            alarm: alarm, switches: panel, pressure: pressure, position: position, pressureTwin: pressureTwin,
            outputLines: outputs, inputLines: inputLines, samplers: samplers)
    }

    /// Disables the driver (best effort), stops the samplers, then releases every
    /// line: from here on the resistors hold ENABLE at "disabled".
    public func shutDown() {
        try? driver.set(.disabled)
        for stop in samplers { stop() }
        for line in outputLines { line.release() }
        for line in inputLines { line.release() }
    }
}
