import InjectorCore

/// Every GPIO line of one board, requested together: ENABLE at "disabled", STEP low,
/// DIR forward, the buzzer off, and the seven switches with their bias and the
/// kernel's debounce. No ADC is opened (the `inputs` command and `BoardHardware` use it).
///
/// With libgpiod v2 this is one kernel request, so every output takes its default in
/// the same instant; with v1 ENABLE is requested first. On a failure nothing stays
/// requested.
public final class BoardLines: @unchecked Sendable {
    /// The kernel debounce asked for on every switch input where it is offered: short
    /// against the 1 ms tick, so a stop is seen in the tick after it settles.
    public static let defaultInputDebounce = Interval.microseconds(500)

    public let chip: GPIOChip
    /// What the kernel's line names said before the request (`gpio.lineNames`).
    public let nameCheck: LineNameCheck
    public let enable: GPIOOutputLine
    public let step: GPIOOutputLine
    public let direction: GPIOOutputLine
    public let buzzer: GPIOOutputLine?
    /// The charge-pump line (requested low), if the board wires one.
    public let chargePump: GPIOOutputLine?
    public let switches: SwitchPanel
    /// The driver's fault or stall output, if the board wires it; a failed read is a fault.
    public let driverFault: SwitchInput?
    /// The switch lines in `board.wiredSwitches` order, then the driver fault line.
    public let inputLines: [GPIOInputLine]
    public var outputLines: [GPIOOutputLine] { [enable, step, direction] + [buzzer, chargePump].compactMap { $0 } }

    private init(chip: GPIOChip, nameCheck: LineNameCheck, outputs: [GPIOOutputLine], buzzer: GPIOOutputLine?,
                 chargePump: GPIOOutputLine?, switches: SwitchPanel, driverFault: SwitchInput?,
                 inputLines: [GPIOInputLine]) {
        self.chip = chip
        self.nameCheck = nameCheck
        self.enable = outputs[0]
        self.step = outputs[1]
        self.direction = outputs[2]
        self.buzzer = buzzer
        self.chargePump = chargePump
        self.switches = switches
        self.driverFault = driverFault
        self.inputLines = inputLines
    }

    /// The request, in order: ENABLE, STEP, DIR, BUZZER, CHARGE_PUMP, the switches, then
    /// DRIVER_FAULT.
    public static func settings(_ board: BoardConfiguration, inputDebounce: Interval) throws(HardwareError)
        -> [GPIOLineSettings] {
        var lines = [
            GPIOLineSettings(offset: board.enable, role: "ENABLE",
                             direction: .output(initial: board.enablePolarity.inactiveLevel)),
            GPIOLineSettings(offset: board.step, role: "STEP", direction: .output(initial: .low)),
            GPIOLineSettings(offset: board.direction, role: "DIR", direction: .output(initial: board.forwardLevel)),
        ]
        if let buzzer = board.buzzer {
            lines.append(GPIOLineSettings(offset: buzzer, role: "BUZZER",
                                          direction: .output(initial: board.buzzerPolarity.inactiveLevel)))
        }
        if let pump = board.chargePump {
            lines.append(GPIOLineSettings(offset: pump, role: "CHARGE_PUMP", direction: .output(initial: .low)))
        }
        for role in Switch.allCases where role.isRequiredOnBoard && board.inputs[role] == nil {
            throw HardwareError(.configuration, device: "inputs.\(role)", detail: "not in the board file")
        }
        for role in board.wiredSwitches {
            lines.append(GPIOLineSettings(offset: board.inputs[role]!.line, role: role.name,
                                          direction: .input(bias: board.inputs[role]!.bias, debounce: inputDebounce)))
        }
        if let fault = board.driverFault {
            lines.append(GPIOLineSettings(offset: fault.line, role: "DRIVER_FAULT",
                                          direction: .input(bias: fault.bias, debounce: inputDebounce)))
        }
        return lines
    }

    /// Opens the chip `board.chip` selects, checks the kernel's line names and
    /// requests every line. `devDirectory` is where the chips are searched for.
    public static func open(_ board: BoardConfiguration, calls: GPIOCalls = .libgpiod,
                            inputDebounce: Interval = defaultInputDebounce,
                            devDirectory: String = "/dev") throws(HardwareError) -> BoardLines {
        let chip = try GPIOChip.open(board.chip, calls: calls, devDirectory: devDirectory)
        let lines = try settings(board, inputDebounce: inputDebounce)
        let nameCheck = try chip.checkNames(lines, rule: board.lineNames)
        let requested = try chip.request(lines, consumer: board.consumer)
        var outputs: [GPIOOutputLine] = []
        var inputLines: [GPIOInputLine] = []
        for line in requested {
            switch line {
            case .output(let o): outputs.append(o)
            case .input(let i): inputLines.append(i)
            }
        }
        let wired = board.wiredSwitches
        let optionalOutputs = (board.buzzer == nil ? 0 : 1) + (board.chargePump == nil ? 0 : 1)
        precondition(outputs.count == 3 + optionalOutputs
                     && inputLines.count == wired.count + (board.driverFault == nil ? 0 : 1),
                     "the request returns the lines it was given")
        let panel = SwitchPanel(zip(wired, inputLines).map { role, line in
            (role, SwitchInput(line: line, wiring: board.inputs[role]!.wiring, onReadFailure: role.onReadFailure))
        })
        // A fault line that cannot be read reads as a fault: it can only stop the motor.
        let fault = board.driverFault.map {
            SwitchInput(line: inputLines[wired.count], wiring: $0.wiring, onReadFailure: .active)
        }
        return BoardLines(chip: chip, nameCheck: nameCheck, outputs: outputs, buzzer: board.buzzer == nil ? nil : outputs[3],
                          chargePump: board.chargePump == nil ? nil : outputs.last,
                          switches: panel, driverFault: fault, inputLines: inputLines)
    }

    /// Drives ENABLE to "disabled" (best effort) and gives every line back.
    public func release(disabling polarity: Polarity) {
        try? enable.set(polarity.inactiveLevel)
        for line in outputLines { line.release() }
        for line in inputLines { line.release() }
    }
}
