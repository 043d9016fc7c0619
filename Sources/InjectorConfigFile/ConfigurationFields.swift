import InjectorCore
import Yams

/// How one YAML key is read into the configuration.
struct ConfigurationField: Sendable {
    typealias Apply = @Sendable (inout InjectorConfiguration, String, inout [ConfigurationProblem]) -> Void
    let path: String
    let apply: Apply

    static func quantity<Q: Quantity>(_ path: String, _ keyPath: WritableKeyPath<InjectorConfiguration, Q> & Sendable,
                                      _ units: [String: Double]) -> ConfigurationField {
        ConfigurationField(path: path) { c, text, problems in
            if let v = parseQuantity(text, units) { c[keyPath: keyPath] = Q(rawValue: v) } else {
                problems.append(unreadable(path, text, "a number with a unit: \(QuantityText.unitList(units))"))
            }
        }
    }

    static func interval(_ path: String, _ keyPath: WritableKeyPath<InjectorConfiguration, Interval> & Sendable) -> ConfigurationField {
        ConfigurationField(path: path) { c, text, problems in
            if let v = parseQuantity(text, QuantityText.time), v.magnitude < 1e9 { c[keyPath: keyPath] = .seconds(v) } else {
                problems.append(unreadable(path, text, "a time with a unit: \(QuantityText.unitList(QuantityText.time))"))
            }
        }
    }

    static func number(_ path: String, _ keyPath: WritableKeyPath<InjectorConfiguration, Double> & Sendable) -> ConfigurationField {
        ConfigurationField(path: path) { c, text, problems in
            if let v = Double(text.trimmingCharacters(in: " ")), v.isFinite { c[keyPath: keyPath] = v } else {
                problems.append(unreadable(path, text, "a plain number"))
            }
        }
    }

    static func integer(_ path: String, _ keyPath: WritableKeyPath<InjectorConfiguration, Int> & Sendable) -> ConfigurationField {
        ConfigurationField(path: path) { c, text, problems in
            if let v = Int(text.trimmingCharacters(in: " ")) { c[keyPath: keyPath] = v } else {
                problems.append(unreadable(path, text, "a whole number"))
            }
        }
    }

    static func choice<E: Sendable>(_ path: String, _ keyPath: WritableKeyPath<InjectorConfiguration, E> & Sendable,
                          _ options: [String: E]) -> ConfigurationField {
        ConfigurationField(path: path) { c, text, problems in
            if let v = options[text] { c[keyPath: keyPath] = v } else {
                problems.append(unreadable(path, text, "one of " + options.keys.sorted().joined(separator: ", ")))
            }
        }
    }

    static func parseQuantity(_ text: String, _ units: [String: Double]) -> Double? {
        guard let (value, unit) = QuantityText.split(text), let factor = units[unit], value.isFinite else { return nil }
        return value * factor
    }

    static func unreadable(_ path: String, _ text: String, _ expected: String) -> ConfigurationProblem {
        ConfigurationProblem(field: path, value: "\"\(text)\"", allowed: expected)
    }
}

extension ConfigurationField {
    /// Every key a configuration file may hold.
    static let all: [ConfigurationField] = {
        typealias U = QuantityText
        var fields: [ConfigurationField] = [
            ConfigurationField(path: "tickRate") { c, text, problems in
                if let v = parseQuantity(text, U.frequency) { c.tickRate = Hertz(v) } else {
                    problems.append(unreadable("tickRate", text, "a frequency: \(U.unitList(U.frequency))"))
                }
            },
            .quantity("syringe.innerDiameter", \.syringe.innerDiameter, U.length),
            .quantity("syringe.usableVolume", \.syringe.usableVolume, U.volume),
            .quantity("syringe.compliance", \.syringe.compliance, U.compliance),
            .quantity("drive.leadScrewPitch", \.drive.leadScrewPitch, U.length),
            .integer("drive.fullStepsPerRevolution", \.drive.fullStepsPerRevolution),
            .integer("drive.microstepping", \.drive.microstepping),
            .quantity("drive.maxStepRate", \.drive.maxStepRate, U.stepRate),
            .quantity("needle.bore", \.needle.bore, U.length),
            .quantity("needle.length", \.needle.length, U.length),
            .quantity("needle.deadVolume", \.needle.deadVolume, U.volume),
            .interval("cement.workingPhaseStart", \.cement.workingPhaseStart),
            .interval("cement.workingPhaseEnd", \.cement.workingPhaseEnd),
            .interval("cement.settingTime", \.cement.settingTime),
            .interval("cement.workingTimeWarning", \.cement.workingTimeWarning),
            .number("procedure.fillFractionLimit", \.procedure.fillFractionLimit),
            .choice("procedure.approach", \.procedure.approach,
                    ["unipedicular": .unipedicular, "bipedicular": .bipedicular]),
            .quantity("procedure.perPedicleCap", \.procedure.perPedicleCap, U.volume),
            ConfigurationField(path: "procedure.level") { c, text, problems in
                if let level = VertebralLevel(text) { c.procedure.level = level } else {
                    problems.append(unreadable("procedure.level", text, "a vertebra: C1–C7, T1–T12, L1–L5, S1–S5"))
                }
            },
            ConfigurationField(path: "procedure.anteriorCapacity") { c, text, problems in
                if let v = parseQuantity(text, U.volume) { c.procedure.anteriorCapacity = .direct(Microliters(v)) } else {
                    problems.append(unreadable("procedure.anteriorCapacity", text, "a volume: \(U.unitList(U.volume))"))
                }
            },
            ConfigurationField(path: "procedure.bodyVolume") { c, text, problems in
                guard let v = parseQuantity(text, U.volume) else {
                    return problems.append(unreadable("procedure.bodyVolume", text, "a volume: \(U.unitList(U.volume))"))
                }
                let fraction = if case .fromBody(_, let f) = c.procedure.anteriorCapacity { f } else { 0.5 }
                c.procedure.anteriorCapacity = .fromBody(bodyVolume: Microliters(v), anteriorFraction: fraction)
            },
            ConfigurationField(path: "procedure.anteriorFraction") { c, text, problems in
                guard let f = Double(text), f.isFinite else {
                    return problems.append(unreadable("procedure.anteriorFraction", text, "a plain number"))
                }
                let body = if case .fromBody(let b, _) = c.procedure.anteriorCapacity { b } else { Microliters.milliliters(30) }
                c.procedure.anteriorCapacity = .fromBody(bodyVolume: body, anteriorFraction: f)
            },
            .choice("rates.mode", \.rates.mode, ["bolus": .bolus, "continuous": .continuous]),
            .quantity("rates.injectionFlow", \.rates.injectionFlow, U.flow),
            .quantity("rates.maxInjectionFlow", \.rates.maxInjectionFlow, U.flow),
            .quantity("rates.primingFlow", \.rates.primingFlow, U.flow),
            .quantity("rates.acceleration", \.rates.acceleration, U.acceleration),
            .quantity("rates.bolusVolume", \.rates.bolusVolume, U.volume),
            .number("rates.slowdownStartFraction", \.rates.slowdownStartFraction),
            .number("rates.slowdownMinimumFraction", \.rates.slowdownMinimumFraction),
            .quantity("pressure.limit", \.pressure.limit, U.pressure),
            .quantity("pressure.sensorMinimum", \.pressure.sensorMinimum, U.pressure),
            .quantity("pressure.sensorMaximum", \.pressure.sensorMaximum, U.pressure),
            .interval("release.injectPeriod", \.release.injectPeriod),
            .quantity("release.backoffVolume", \.release.backoffVolume, U.volume),
            .quantity("release.stopBackoffVolume", \.release.stopBackoffVolume, U.volume),
            .quantity("release.releasedBelow", \.release.releasedBelow, U.pressure),
            .quantity("release.backoffFlow", \.release.backoffFlow, U.flow),
            .interval("release.dwell", \.release.dwell),
            .interval("release.backoffTimeout", \.release.backoffTimeout),
            .number("faults.leakDropFraction", \.faults.leakDropFraction),
            .interval("faults.leakWindow", \.faults.leakWindow),
            .quantity("faults.leakMinimumPeak", \.faults.leakMinimumPeak, U.pressure),
            .interval("faults.leakPauseMinimum", \.faults.leakPauseMinimum),
            .quantity("faults.occlusionPressure", \.faults.occlusionPressure, U.pressure),
            .interval("faults.occlusionQualifyTime", \.faults.occlusionQualifyTime),
            .integer("faults.occlusionReleaseCount", \.faults.occlusionReleaseCount),
            .quantity("faults.occlusionMinimumProgress", \.faults.occlusionMinimumProgress, U.volume),
            .quantity("faults.consistencyTestVolume", \.faults.consistencyTestVolume, U.volume),
            .quantity("faults.consistencyMinimumPressure", \.faults.consistencyMinimumPressure, U.pressure),
            .interval("faults.pressureStaleAfter", \.faults.pressureStaleAfter),
            .interval("faults.pressureStuckAfter", \.faults.pressureStuckAfter),
            .interval("faults.positionStaleAfter", \.faults.positionStaleAfter),
            .quantity("faults.positionTolerance", \.faults.positionTolerance, U.volume),
            .quantity("faults.pressureTwinTolerance", \.faults.pressureTwinTolerance, U.pressure),
            .number("faults.pressureTwinRelativeTolerance", \.faults.pressureTwinRelativeTolerance),
            .interval("faults.pressureTwinDisagreeFor", \.faults.pressureTwinDisagreeFor),
            .interval("faults.hostLinkTimeout", \.faults.hostLinkTimeout),
            .quantity("ceilings.maxVolume", \.ceilings.maxVolume, U.volume),
            .quantity("ceilings.maxPressure", \.ceilings.maxPressure, U.pressure),
            .quantity("ceilings.maxFlow", \.ceilings.maxFlow, U.flow),
            .choice("positionSensorFitted", \.positionSensorFitted, ["true": true, "false": false, "yes": true, "no": false]),
            .choice("pressureTwinFitted", \.pressureTwinFitted, ["true": true, "false": false, "yes": true, "no": false]),
        ]
        fields.sort { $0.path < $1.path }
        return fields
    }()

    static let byPath: [String: ConfigurationField] = Dictionary(uniqueKeysWithValues: all.map { ($0.path, $0) })
    static let sections: Set<String> = Set(all.compactMap { f in f.path.firstIndex(of: ".").map { String(f.path[..<$0]) } })
}

/// Walks the YAML tree, applying known keys and reporting the rest.
struct NodeReader {
    var problems: [ConfigurationProblem] = []

    mutating func read(_ node: Node, into c: inout InjectorConfiguration, prefix: String = "") {
        guard let mapping = node.mapping else {
            problems.append(ConfigurationProblem(field: prefix.isEmpty ? "(document)" : prefix, value: "not a mapping",
                                                 allowed: "a mapping of keys to values"))
            return
        }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? "?"
            let path = prefix.isEmpty ? key : prefix + "." + key
            if prefix.isEmpty, ConfigurationField.sections.contains(key) {
                read(value, into: &c, prefix: key)
            } else if let field = ConfigurationField.byPath[path] {
                guard let text = value.scalar?.string else {
                    problems.append(ConfigurationProblem(field: path, value: "not a single value",
                                                         allowed: "a single value, such as \"2.39 mm\""))
                    continue
                }
                field.apply(&c, text, &problems)
            } else {
                let known = prefix.isEmpty
                    ? ConfigurationField.sections.sorted() + ["positionSensorFitted", "pressureTwinFitted", "tickRate"]
                    : ConfigurationField.all.filter { $0.path.hasPrefix(prefix + ".") }.map { String($0.path.dropFirst(prefix.count + 1)) }
                problems.append(ConfigurationProblem(field: path, value: "unknown key",
                                                     allowed: "one of: " + known.joined(separator: ", ")))
            }
        }
    }
}
