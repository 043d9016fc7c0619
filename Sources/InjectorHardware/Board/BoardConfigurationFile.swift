import InjectorConfigFile
import InjectorCore

/// A board file that could not be used, with every problem found.
public struct BoardConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var problems: [String]
    public var description: String {
        "\(path): \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
            + problems.map { "  - " + $0 }.joined(separator: "\n")
    }
}

/// Reads hardware/boards/*.yaml with the shared strict reader (InjectorConfigFile):
/// unknown keys are errors with the nearest known key suggested (a misspelt `enable`
/// must not leave the driver's ENABLE line unconfigured), times carry their units,
/// and every problem is reported together.
public enum BoardConfigurationFile {
    public static func load(path: String) throws(BoardConfigurationError) -> BoardConfiguration {
        switch StrictReader.text(ofFile: path) {
        case .success(let text): return try parse(yaml: text, path: path)
        case .failure(let e): throw BoardConfigurationError(path: path, problems: e.problems.map(\.description))
        }
    }

    public static func parse(yaml: String, path: String = "(board)") throws(BoardConfigurationError) -> BoardConfiguration {
        let reader = StrictReader()
        var top = reader.document(yaml)
        let name = top.text("name", required: true) ?? ""
        var gpio = top.mapping("gpio", required: true)
        let label = gpio?.text("label", required: true, expected: "the chip's label as `gpiodetect` prints it") ?? ""
        let chip = gpio?.text("chip")
        let lineNames = readLineNames(&gpio)
        let consumer = gpio?.text("consumer") ?? "injector-firmware"
        gpio?.finish()
        let outputs = readOutputs(&top)
        var pulseWidth = Interval.zero
        var directionSetup: Interval?, directionHold: Interval?
        if var m = top.mapping("stepPulse") {
            pulseWidth = m.interval("minimumWidth", in: 0...1, required: true) ?? .zero
            directionSetup = m.interval("directionSetup", in: 0...1)
            directionHold = m.interval("directionHold", in: 0...1)
            m.finish()
        }
        let inputs = readInputs(&top)
        let pressure = adc(&top, "pressure", slopeKey: "kilopascalsPerMillivolt", required: true)
        let position = adc(&top, "position", slopeKey: "microlitersPerMillivolt")
        let twin = adc(&top, "pressureTwin", slopeKey: "kilopascalsPerMillivolt")
        let driverFault = readDriverFault(&top)
        top.finish()

        let board = BoardConfiguration(
            name: name, chip: GPIOChipSelector(label: label, chip: chip), lineNames: lineNames, consumer: consumer, step: outputs.step, direction: outputs.direction,
            forwardLevel: outputs.forwardLevel, enable: outputs.enable, enablePolarity: outputs.enablePolarity,
            buzzer: outputs.buzzer, buzzerPolarity: outputs.buzzerPolarity, chargePump: outputs.chargePump, stepPulseWidth: pulseWidth,
            inputs: inputs, pressure: pressure ?? ADCChannelSpec.unread, position: position, pressureTwin: twin,
            driverFault: driverFault, directionSetup: directionSetup, directionHold: directionHold)
        let problems = reader.problems.map(\.description) + (reader.problems.isEmpty ? board.problems() : [])
        guard problems.isEmpty else { throw BoardConfigurationError(path: path, problems: problems) }
        return board
    }

    /// `gpio.lineNames`: "GPIO<n>" or "unchecked"; required, so that a board file says
    /// whether the kernel's names mean anything for it.
    static func readLineNames(_ gpio: inout StrictMapping?) -> LineNameRule {
        gpio?.value("lineNames", required: true,
                    expected: "the kernel's name of line <n> (GPIO<n> on a Raspberry Pi), or `unchecked`",
                    LineNameRule.init) ?? .unchecked
    }

    static let polarities = [("activeHigh", Polarity.activeHigh), ("activeLow", .activeLow)]
    static let levels = [("low", PinState.low), ("high", .high)]

    /// The output lines as read; a line that could not be read is 0 (and reported).
    struct Outputs {
        var step: UInt32 = 0, direction: UInt32 = 0, enable: UInt32 = 0
        var forwardLevel = PinState.high, enablePolarity = Polarity.activeLow
        var buzzer: UInt32?, buzzerPolarity = Polarity.activeHigh
        var chargePump: UInt32?
    }

    static func readOutputs(_ top: inout StrictMapping) -> Outputs {
        var o = Outputs()
        guard var outputs = top.mapping("outputs", required: true) else { return o }
        defer { outputs.finish() }
        if var m = outputs.mapping("step", required: true) { o.step = line(&m); m.finish() }
        if var m = outputs.mapping("direction", required: true) {
            o.direction = line(&m)
            o.forwardLevel = m.choice("forwardLevel", levels, required: true) ?? .high
            m.finish()
        }
        if var m = outputs.mapping("enable", required: true) {
            o.enable = line(&m)
            o.enablePolarity = m.choice("polarity", polarities, required: true) ?? .activeLow
            m.finish()
        }
        if var m = outputs.mapping("buzzer") {
            o.buzzer = line(&m)
            o.buzzerPolarity = m.choice("polarity", polarities, required: true) ?? .activeHigh
            m.finish()
        }
        if var m = outputs.mapping("chargePump") { o.chargePump = line(&m); m.finish() }
        return o
    }

    static func readInputs(_ top: inout StrictMapping) -> [Switch: InputSpec] {
        var inputs: [Switch: InputSpec] = [:]
        guard var map = top.mapping("inputs", required: true) else { return inputs }
        defer { map.finish() }
        for role in Switch.allCases {
            guard var m = map.mapping(role.name) else { continue }  // reported by problems()
            let line = line(&m)
            let contact = m.choice("contact", [("normallyOpen", Contact.normallyOpen), ("normallyClosed", .normallyClosed)],
                                   required: true)
            let closed = m.choice("closedLevel", levels, required: true) ?? .low
            let bias = m.choice("bias", biases) ?? .asIs
            m.finish()
            if let contact { inputs[role] = InputSpec(line: line, wiring: SwitchWiring(contact: contact, closedLevel: closed), bias: bias) }
        }
        return inputs
    }

    /// `driverFault: { line: 24, faultLevel: low, bias: pullUp }`: the level that means
    /// a fault is required (nFAULT is low on a fault, DIAG high), never assumed.
    static func readDriverFault(_ top: inout StrictMapping) -> InputSpec? {
        guard var m = top.mapping("driverFault") else { return nil }
        defer { m.finish() }
        let line = line(&m)
        let level = m.choice("faultLevel", levels, required: true) ?? .low
        let bias = m.choice("bias", biases) ?? .asIs
        return InputSpec(line: line, wiring: SwitchWiring(contact: .normallyOpen, closedLevel: level), bias: bias)
    }

    static let biases = [("asIs", GPIOBias.asIs), ("disabled", .disabled), ("pullUp", .pullUp), ("pullDown", .pullDown)]

    /// Line offsets run 0–1023: more than any GPIO chip of a single-board computer has.
    static let lineOffsets = 0...1023

    static func line(_ m: inout StrictMapping) -> UInt32 {
        UInt32(m.integer("line", in: lineOffsets, required: true) ?? 0)
    }

    /// An ADC channel section; `nil` when it is absent (reported if required) or unreadable.
    static func adc(_ top: inout StrictMapping, _ key: String, slopeKey: String, required: Bool = false) -> ADCChannelSpec? {
        guard var m = top.mapping(key, required: required) else { return nil }
        defer { m.finish() }
        let device = m.text("device", required: true) ?? ""
        let channel = m.integer("channel", required: true) ?? 0
        // "device" (or no key): read the device's own _scale.
        let scale: Double? = m.value("scale", expected: "\"device\" or a number of mV per count") { s -> Double?? in
            s == "device" ? .some(nil) : Double(s).map { .some($0) }
        }.flatMap { $0 }
        let zero = m.number("zeroMillivolts", required: true) ?? 0
        let slope = m.number(slopeKey, required: true) ?? 1
        let lo = m.integer("rawMinimum") ?? -32767
        let hi = m.integer("rawMaximum") ?? 32767
        let sampleInterval = m.interval("sampleInterval", in: 0...1) ?? .milliseconds(2)
        if lo >= hi { m.reader.report(m.field("rawMinimum"), String(lo), allowed: "below rawMaximum (\(hi))") }
        return ADCChannelSpec(device: device, channel: channel, scale: scale,
                              calibration: LinearCalibration(zeroMillivolts: zero, unitsPerMillivolt: slope),
                              rawLimits: lo...max(lo, hi), sampleInterval: sampleInterval)
    }
}

extension ADCChannelSpec {
    /// Stands in for a required channel that could not be read (a problem is reported).
    static let unread = ADCChannelSpec(device: "", channel: 0, calibration: LinearCalibration(zeroMillivolts: 0,
                                                                                              unitsPerMillivolt: 1))
}
