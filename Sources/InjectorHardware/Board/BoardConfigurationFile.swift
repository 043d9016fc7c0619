#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import Yams

/// A board file that could not be used, with every problem found.
public struct BoardConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var problems: [String]
    public var description: String {
        "\(path): \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
            + problems.map { "  - " + $0 }.joined(separator: "\n")
    }
}

/// Reads hardware/boards/*.yaml. Unknown keys are errors (a misspelt `enable` must not
/// leave the driver's ENABLE line unconfigured); all problems are reported together.
public enum BoardConfigurationFile {
    public static func load(path: String) throws(BoardConfigurationError) -> BoardConfiguration {
        guard let file = fopen(path, "rb") else {
            throw BoardConfigurationError(path: path, problems: ["cannot read: \(systemMessage(errno))"])
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            bytes.append(contentsOf: chunk[0..<n])
            if n < chunk.count { break }
        }
        fclose(file)
        return try parse(yaml: String(decoding: bytes, as: UTF8.self), path: path)
    }

    public static func parse(yaml: String, path: String = "(board)") throws(BoardConfigurationError) -> BoardConfiguration {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch {
            throw BoardConfigurationError(path: path, problems: ["not valid YAML: \(error)"])
        }
        let r = StrictReader()
        let top = r.mapping(root, "")
        let name = r.string(top, "", "name") ?? ""
        let gpio = r.mapping(top.value("gpio"), "gpio")
        let chip = r.string(gpio, "gpio", "chip") ?? ""
        let consumer = r.string(gpio, "gpio", "consumer", required: false) ?? "injector-firmware"
        r.finish(gpio, "gpio", ["chip", "consumer"])

        let outputs = r.mapping(top.value("outputs"), "outputs")
        let stepMap = r.mapping(outputs.value("step"), "outputs.step")
        let step = r.line(stepMap, "outputs.step")
        r.finish(stepMap, "outputs.step", ["line"])
        let dirMap = r.mapping(outputs.value("direction"), "outputs.direction")
        let direction = r.line(dirMap, "outputs.direction")
        let forward = r.choice(dirMap, "outputs.direction", "forwardLevel", ["low": PinState.low, "high": .high]) ?? .high
        r.finish(dirMap, "outputs.direction", ["line", "forwardLevel"])
        let enMap = r.mapping(outputs.value("enable"), "outputs.enable")
        let enable = r.line(enMap, "outputs.enable")
        let enablePolarity = r.choice(enMap, "outputs.enable", "polarity", polarities) ?? .activeLow
        r.finish(enMap, "outputs.enable", ["line", "polarity"])
        var buzzer: UInt32?
        var buzzerPolarity = Polarity.activeHigh
        if let node = outputs.value("buzzer") {
            let m = r.mapping(node, "outputs.buzzer")
            buzzer = r.line(m, "outputs.buzzer")
            buzzerPolarity = r.choice(m, "outputs.buzzer", "polarity", polarities) ?? .activeHigh
            r.finish(m, "outputs.buzzer", ["line", "polarity"])
        }
        r.finish(outputs, "outputs", ["step", "direction", "enable", "buzzer"])

        var pulseWidth = Interval.zero
        if let node = top.value("stepPulse") {
            let m = r.mapping(node, "stepPulse")
            pulseWidth = r.interval(m, "stepPulse", "minimumWidth") ?? .zero
            r.finish(m, "stepPulse", ["minimumWidth"])
        }

        let inputsMap = r.mapping(top.value("inputs"), "inputs")
        var inputs: [SwitchRole: InputSpec] = [:]
        for role in SwitchRole.allCases {
            let key = "inputs.\(role.rawValue)"
            guard let node = inputsMap.value(role.rawValue) else { continue }  // reported by problems()
            let m = r.mapping(node, key)
            let line = r.line(m, key)
            let contact = r.choice(m, key, "contact", ["normallyOpen": Contact.normallyOpen,
                                                       "normallyClosed": .normallyClosed])
            let closed = r.choice(m, key, "closedLevel", ["low": PinState.low, "high": .high]) ?? .low
            let bias = r.choice(m, key, "bias", ["asIs": GPIOBias.asIs, "disabled": .disabled,
                                                 "pullUp": .pullUp, "pullDown": .pullDown], required: false) ?? .asIs
            r.finish(m, key, ["line", "contact", "closedLevel", "bias"])
            if let contact { inputs[role] = InputSpec(line: line, wiring: SwitchWiring(contact: contact, closedLevel: closed), bias: bias) }
        }
        r.finish(inputsMap, "inputs", SwitchRole.allCases.map(\.rawValue))

        let pressure = r.adc(top.value("pressure"), "pressure", slopeKey: "kilopascalsPerMillivolt")
        let position = top.value("position").map { r.adc($0, "position", slopeKey: "microlitersPerMillivolt") }
        let twin = top.value("pressureTwin").map { r.adc($0, "pressureTwin", slopeKey: "kilopascalsPerMillivolt") }
        r.finish(top, "", ["name", "gpio", "outputs", "stepPulse", "inputs", "pressure", "position", "pressureTwin"])

        let board = BoardConfiguration(
            name: name, chip: chip, consumer: consumer, step: step, direction: direction, forwardLevel: forward,
            enable: enable, enablePolarity: enablePolarity, buzzer: buzzer, buzzerPolarity: buzzerPolarity,
            stepPulseWidth: pulseWidth, inputs: inputs, pressure: pressure, position: position, pressureTwin: twin)
        let problems = r.problems + (r.problems.isEmpty ? board.problems() : [])
        guard problems.isEmpty else { throw BoardConfigurationError(path: path, problems: problems) }
        return board
    }

    static let polarities = ["activeHigh": Polarity.activeHigh, "activeLow": .activeLow]
}

/// A YAML mapping as ordered key/value pairs.
struct YAMLMap {
    var pairs: [(String, Node)]
    func value(_ key: String) -> Node? { pairs.first { $0.0 == key }?.1 }
}

/// Reads YAML nodes, collecting every problem rather than stopping at the first.
final class StrictReader {
    var problems: [String] = []

    func key(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func mapping(_ node: Node?, _ path: String) -> YAMLMap {
        guard let node else {
            problems.append("\(path.isEmpty ? "(document)" : path): missing")
            return YAMLMap(pairs: [])
        }
        guard let m = node.mapping else {
            problems.append("\(path.isEmpty ? "(document)" : path): expected a mapping of keys")
            return YAMLMap(pairs: [])
        }
        return YAMLMap(pairs: m.map { ($0.key.string ?? "\($0.key)", $0.value) })
    }

    /// Reports every key of `map` not in `known`.
    func finish(_ map: YAMLMap, _ path: String, _ known: [String]) {
        for (k, _) in map.pairs where !known.contains(k) {
            problems.append("\(key(path, k)): unknown key (known here: \(known.joined(separator: ", ")))")
        }
    }

    func scalar(_ map: YAMLMap, _ path: String, _ k: String, required: Bool = true) -> String? {
        guard let node = map.value(k) else {
            if required { problems.append("\(key(path, k)): missing") }
            return nil
        }
        guard let s = node.scalar?.string else {
            problems.append("\(key(path, k)): expected a single value")
            return nil
        }
        return s
    }

    func string(_ map: YAMLMap, _ path: String, _ k: String, required: Bool = true) -> String? {
        scalar(map, path, k, required: required)
    }

    func line(_ map: YAMLMap, _ path: String) -> UInt32 {
        guard let s = scalar(map, path, "line") else { return 0 }
        guard let v = UInt32(s), v < 1024 else {
            problems.append("\(key(path, "line")): \"\(s)\" is not a line offset 0–1023")
            return 0
        }
        return v
    }

    func integer(_ map: YAMLMap, _ path: String, _ k: String, required: Bool = true) -> Int? {
        guard let s = scalar(map, path, k, required: required) else { return nil }
        guard let v = Int(s) else {
            problems.append("\(key(path, k)): \"\(s)\" is not a whole number")
            return nil
        }
        return v
    }

    func number(_ map: YAMLMap, _ path: String, _ k: String, required: Bool = true) -> Double? {
        guard let s = scalar(map, path, k, required: required) else { return nil }
        guard let v = Double(s), v.isFinite else {
            problems.append("\(key(path, k)): \"\(s)\" is not a number")
            return nil
        }
        return v
    }

    func choice<T>(_ map: YAMLMap, _ path: String, _ k: String, _ options: [String: T], required: Bool = true) -> T? {
        guard let s = scalar(map, path, k, required: required) else { return nil }
        guard let v = options[s] else {
            problems.append("\(key(path, k)): \"\(s)\" is not one of \(options.keys.sorted().joined(separator: ", "))")
            return nil
        }
        return v
    }

    /// "2 ms", "500 µs", "500 us", "1500 ns".
    func interval(_ map: YAMLMap, _ path: String, _ k: String) -> Interval? {
        guard let s = scalar(map, path, k) else { return nil }
        let parts = s.split(separator: " ", omittingEmptySubsequences: true)
        let units: [String: Double] = ["s": 1e9, "ms": 1e6, "µs": 1e3, "us": 1e3, "ns": 1]
        guard parts.count == 2, let v = Double(parts[0]), v.isFinite, let f = units[String(parts[1])] else {
            problems.append("\(key(path, k)): \"\(s)\" is not a time with a unit (s, ms, µs, ns)")
            return nil
        }
        return Interval(nanoseconds: Int64((v * f).rounded()))
    }

    func adc(_ node: Node?, _ path: String, slopeKey: String) -> ADCChannelSpec {
        let m = mapping(node, path)
        let device = string(m, path, "device") ?? ""
        let channel = integer(m, path, "channel") ?? 0
        var scale: Double?
        if let s = scalar(m, path, "scale", required: false), s != "device" {
            if let v = Double(s) { scale = v } else {
                problems.append("\(key(path, "scale")): \"\(s)\" is neither \"device\" nor a number of mV per count")
            }
        }
        let zero = number(m, path, "zeroMillivolts") ?? 0
        let slope = number(m, path, slopeKey) ?? 1
        let lo = integer(m, path, "rawMinimum", required: false) ?? -32767
        let hi = integer(m, path, "rawMaximum", required: false) ?? 32767
        var sampleInterval = Interval.milliseconds(2)
        if m.value("sampleInterval") != nil { sampleInterval = interval(m, path, "sampleInterval") ?? sampleInterval }
        finish(m, path, ["device", "channel", "scale", "zeroMillivolts", slopeKey, "rawMinimum", "rawMaximum",
                         "sampleInterval"])
        if lo >= hi { problems.append("\(path): rawMinimum must be below rawMaximum") }
        return ADCChannelSpec(device: device, channel: channel, scale: scale,
                              calibration: LinearCalibration(zeroMillivolts: zero, unitsPerMillivolt: slope),
                              rawLimits: lo...max(lo, hi), sampleInterval: sampleInterval)
    }
}
