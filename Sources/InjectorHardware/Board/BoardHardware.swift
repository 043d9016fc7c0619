import InjectorCore

/// Every line and sensor of one board, opened from its board file.
///
/// `open` requests every line through `BoardLines`: ENABLE driven to "disabled" from
/// the moment of the request (first with libgpiod v1, in the same request as the
/// others with v2), so the driver is held off before STEP and DIR are touched; on any
/// failure nothing stays requested (the ENABLE resistor keeps the driver off).
public final class BoardHardware: @unchecked Sendable {
    public let configuration: BoardConfiguration
    public let chip: GPIOChip
    public let driver: DriverEnableOutput
    public let stepOutput: GPIOStepOutput
    public let alarm: AlarmOutput?
    public let switches: SwitchPanel
    /// The driver's fault or stall output, if wired.
    public let driverFault: SwitchInput?
    public let pressure: any PressureSensor
    public let position: (any PositionSensor)?
    public let pressureTwin: (any PressureSensor)?
    private let outputLines: [GPIOOutputLine]
    private let inputLines: [GPIOInputLine]
    private let samplers: [() -> Void]

    private init(configuration: BoardConfiguration, chip: GPIOChip, driver: DriverEnableOutput,
                 stepOutput: GPIOStepOutput, alarm: AlarmOutput?, switches: SwitchPanel, driverFault: SwitchInput?,
                 pressure: any PressureSensor, position: (any PositionSensor)?, pressureTwin: (any PressureSensor)?,
                 outputLines: [GPIOOutputLine], inputLines: [GPIOInputLine], samplers: [() -> Void]) {
        self.configuration = configuration
        self.chip = chip
        self.driver = driver
        self.stepOutput = stepOutput
        self.alarm = alarm
        self.switches = switches
        self.driverFault = driverFault
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
                            backgroundSampling: Bool = true,
                            inputDebounce: Interval = BoardLines.defaultInputDebounce) throws(HardwareError) -> BoardHardware {
        // ENABLE at "disabled" from the moment of the request (first, with libgpiod v1);
        // if anything below throws, the lines are released by their deinit.
        let lines = try BoardLines.open(board, calls: calls, inputDebounce: inputDebounce)
        let chip = lines.chip
        let alarm = lines.buzzer.map { AlarmOutput(line: $0, polarity: board.buzzerPolarity) }
        let enableLine = lines.enable, stepLine = lines.step, dirLine = lines.direction
        let outputs = lines.outputLines, inputLines = lines.inputLines, panel = lines.switches

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
                                       minimumPulse: board.stepPulseWidth, directionSetup: board.directionSetup,
                                       directionHold: board.directionHold),
            alarm: alarm, switches: panel, driverFault: lines.driverFault, pressure: pressure, position: position, pressureTwin: pressureTwin,
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
