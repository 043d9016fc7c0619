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
    /// One sampling thread per ADC device (empty when sampling inline).
    public internal(set) var deviceSamplers: [DeviceSampler] = []
    /// The charge pump, if the board wires one: beaten after each healthy tick.
    public internal(set) var chargePump: ChargePump?
    /// What the kernel's line names said when the lines were requested.
    public internal(set) var nameCheck = LineNameCheck(rule: .unchecked)
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
    /// `backgroundSampling` reads the ADCs on one thread per device at SCHED_FIFO
    /// `samplerPriority` (the firmware does; tests read inline).
    public static func open(_ board: BoardConfiguration, calls: GPIOCalls = .libgpiod,
                            iioRoot: String = "/sys/bus/iio/devices",
                            backgroundSampling: Bool = true,
                            inputDebounce: Interval = BoardLines.defaultInputDebounce,
                            samplerPriority: Int32? = DeviceSampler.defaultPriority) throws(HardwareError) -> BoardHardware {
        // ENABLE at "disabled" from the moment of the request (first, with libgpiod v1);
        // if anything below throws, the lines are released by their deinit.
        let lines = try BoardLines.open(board, calls: calls, inputDebounce: inputDebounce)
        let chip = lines.chip
        let alarm = lines.buzzer.map { AlarmOutput(line: $0, polarity: board.buzzerPolarity) }
        let enableLine = lines.enable, stepLine = lines.step, dirLine = lines.direction
        let outputs = lines.outputLines, inputLines = lines.inputLines, panel = lines.switches

        let sensors = try openSensors(board, iioRoot: iioRoot, background: backgroundSampling,
                                      priority: samplerPriority)
        let pressure = sensors.pressure, pressureTwin = sensors.twin, position = sensors.position
        let samplers: [() -> Void] = sensors.samplers.map { sampler in { sampler.stop() } }
        let hardware = BoardHardware(
            configuration: board, chip: chip,
            driver: DriverEnableOutput(line: enableLine, polarity: board.enablePolarity),
            stepOutput: GPIOStepOutput(step: stepLine, direction: dirLine, forwardLevel: board.forwardLevel,
                                       minimumPulse: board.stepPulseWidth, directionSetup: board.directionSetup,
                                       directionHold: board.directionHold),
            alarm: alarm, switches: panel, driverFault: lines.driverFault, pressure: pressure, position: position, pressureTwin: pressureTwin,
            outputLines: outputs, inputLines: inputLines, samplers: samplers)
        hardware.nameCheck = lines.nameCheck
        hardware.chargePump = lines.chargePump.map { ChargePump(line: $0) }
        hardware.deviceSamplers = sensors.samplers
        return hardware
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
