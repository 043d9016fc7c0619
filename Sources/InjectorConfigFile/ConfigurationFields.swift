import InjectorCore

/// How one key of a configuration file is read into the configuration.
struct ConfigurationField: Sendable {
    typealias Apply = @Sendable (inout InjectorConfiguration, String) -> Bool
    let path: String
    /// What the value may be written as ("a number with a unit: cm, mm, um, µm").
    let expected: String
    /// Stores the value read from the text; `false` if the text cannot be read.
    let apply: Apply

    /// What to say when the key is missing: its range (in its unit) and how to write it.
    var missingAllowed: String {
        guard let limit = ConfigurationLimits.byField[path] else { return expected }
        return "\(limit.allowed); \(expected)"
    }

    static func quantity<Q: Quantity>(_ path: String, _ keyPath: WritableKeyPath<InjectorConfiguration, Q> & Sendable,
                                      _ units: UnitTable) -> ConfigurationField {
        ConfigurationField(path: path, expected: units.expected) { c, text in
            guard let v = units.value(of: text) else { return false }
            c[keyPath: keyPath] = Q(rawValue: v)
            return true
        }
    }

    static func interval(_ path: String, _ keyPath: WritableKeyPath<InjectorConfiguration, Interval> & Sendable)
        -> ConfigurationField {
        ConfigurationField(path: path, expected: UnitTable.nanoseconds.expected) { c, text in
            // Beyond about 290 years an Int64 of nanoseconds overflows.
            guard let ns = UnitTable.nanoseconds.value(of: text), ns.magnitude < 9e18 else { return false }
            c[keyPath: keyPath] = Interval(nanoseconds: Int64(ns.rounded()))
            return true
        }
    }

    static func number(_ path: String, _ keyPath: WritableKeyPath<InjectorConfiguration, Double> & Sendable)
        -> ConfigurationField {
        ConfigurationField(path: path, expected: "a plain number") { c, text in
            guard let v = Double(text.trimmingCharacters(in: " ")), v.isFinite else { return false }
            c[keyPath: keyPath] = v
            return true
        }
    }

    static func integer(_ path: String, _ keyPath: WritableKeyPath<InjectorConfiguration, Int> & Sendable)
        -> ConfigurationField {
        ConfigurationField(path: path, expected: "a whole number") { c, text in
            guard let v = Int(text.trimmingCharacters(in: " ")) else { return false }
            c[keyPath: keyPath] = v
            return true
        }
    }

    static func choice<E: Sendable>(_ path: String, _ keyPath: WritableKeyPath<InjectorConfiguration, E> & Sendable,
                                    _ options: [String: E]) -> ConfigurationField {
        ConfigurationField(path: path, expected: "one of " + options.keys.sorted().joined(separator: ", ")) { c, text in
            guard let v = options[text] else { return false }
            c[keyPath: keyPath] = v
            return true
        }
    }

    static let yesNo = ["true": true, "false": false, "yes": true, "no": false]
}

extension ConfigurationField {
    /// Every key a configuration file holds, sorted by path. Each is required, but for
    /// the anterior capacity, given either directly or as body volume and anterior share.
    static let all: [ConfigurationField] = (machine + procedure + control + detection).sorted { $0.path < $1.path }

    static let byPath: [String: ConfigurationField] = Dictionary(uniqueKeysWithValues: all.map { ($0.path, $0) })
    /// The section names (`needle`), and the keys at the top level (`tickRate`).
    static let sections: [String] = Array(Set(all.compactMap { f in f.path.firstIndex(of: ".").map { String(f.path[..<$0]) } })).sorted()
    static let topLevel: [String] = all.map(\.path).filter { !$0.contains(".") }

    /// The two ways to give the anterior capacity: one key, or these two together.
    static let directCapacity = "procedure.anteriorCapacity"
    static let capacityFromBody = ["procedure.bodyVolume", "procedure.anteriorFraction"]

    static let machine: [ConfigurationField] = [
        ConfigurationField(path: "tickRate", expected: UnitTable.frequency.expected) { c, text in
            guard let v = UnitTable.frequency.value(of: text) else { return false }
            c.tickRate = Hertz(v)
            return true
        },
        .quantity("syringe.innerDiameter", \.syringe.innerDiameter, .length),
        .quantity("syringe.usableVolume", \.syringe.usableVolume, .volume),
        .quantity("syringe.compliance", \.syringe.compliance, .compliance),
        .quantity("syringe.maximumCompliance", \.syringe.maximumCompliance, .compliance),
        .quantity("drive.leadScrewPitch", \.drive.leadScrewPitch, .length),
        .integer("drive.fullStepsPerRevolution", \.drive.fullStepsPerRevolution),
        .integer("drive.microstepping", \.drive.microstepping),
        .quantity("drive.maxStepRate", \.drive.maxStepRate, .stepRate),
        .quantity("needle.bore", \.needle.bore, .length),
        .quantity("needle.length", \.needle.length, .length),
        .quantity("needle.deadVolume", \.needle.deadVolume, .volume),
        .interval("cement.workingPhaseStart", \.cement.workingPhaseStart),
        .interval("cement.workingPhaseEnd", \.cement.workingPhaseEnd),
        .interval("cement.settingTime", \.cement.settingTime),
        .interval("cement.workingTimeWarning", \.cement.workingTimeWarning),
        .quantity("ceilings.maxVolume", \.ceilings.maxVolume, .volume),
        .quantity("ceilings.maxPressure", \.ceilings.maxPressure, .pressure),
        .quantity("ceilings.maxFlow", \.ceilings.maxFlow, .flow),
        .quantity("ceilings.maxSessionVolume", \.ceilings.maxSessionVolume, .volume),
        .choice("positionSensorFitted", \.positionSensorFitted, yesNo),
        .choice("pressureTwinFitted", \.pressureTwinFitted, yesNo),
        .choice("syringeSizeSensorFitted", \.syringeSizeSensorFitted, yesNo),
    ]

    static let procedure: [ConfigurationField] = [
        .number("procedure.fillFractionLimit", \.procedure.fillFractionLimit),
        .choice("procedure.approach", \.procedure.approach, ["unipedicular": .unipedicular, "bipedicular": .bipedicular]),
        .quantity("procedure.perPedicleCap", \.procedure.perPedicleCap, .volume),
        ConfigurationField(path: "procedure.level", expected: "a vertebra: C1–C7, T1–T12, L1–L5, S1–S5") { c, text in
            guard let level = VertebralLevel(text) else { return false }
            c.procedure.level = level
            return true
        },
        ConfigurationField(path: directCapacity, expected: UnitTable.volume.expected) { c, text in
            guard let v = UnitTable.volume.value(of: text) else { return false }
            c.procedure.anteriorCapacity = .direct(Microliters(v))
            return true
        },
        ConfigurationField(path: "procedure.bodyVolume", expected: UnitTable.volume.expected) { c, text in
            guard let v = UnitTable.volume.value(of: text) else { return false }
            let fraction = if case .fromBody(_, let f) = c.procedure.anteriorCapacity { f } else { Double.nan }
            c.procedure.anteriorCapacity = .fromBody(bodyVolume: Microliters(v), anteriorFraction: fraction)
            return true
        },
        ConfigurationField(path: "procedure.anteriorFraction", expected: "a plain number") { c, text in
            guard let f = Double(text), f.isFinite else { return false }
            let body = if case .fromBody(let b, _) = c.procedure.anteriorCapacity { b } else { Microliters(.nan) }
            c.procedure.anteriorCapacity = .fromBody(bodyVolume: body, anteriorFraction: f)
            return true
        },
    ]

    static let control: [ConfigurationField] = [
        .choice("rates.mode", \.rates.mode, ["bolus": .bolus, "continuous": .continuous]),
        .quantity("rates.injectionFlow", \.rates.injectionFlow, .flow),
        .quantity("rates.maxInjectionFlow", \.rates.maxInjectionFlow, .flow),
        .quantity("rates.primingFlow", \.rates.primingFlow, .flow),
        .quantity("rates.acceleration", \.rates.acceleration, .acceleration),
        .quantity("rates.bolusVolume", \.rates.bolusVolume, .volume),
        .number("rates.slowdownStartFraction", \.rates.slowdownStartFraction),
        .number("rates.slowdownMinimumFraction", \.rates.slowdownMinimumFraction),
        .quantity("pressure.limit", \.pressure.limit, .pressure),
        .quantity("pressure.sensorMinimum", \.pressure.sensorMinimum, .pressure),
        .quantity("pressure.sensorMaximum", \.pressure.sensorMaximum, .pressure),
        .interval("release.injectPeriod", \.release.injectPeriod),
        .quantity("release.backoffVolume", \.release.backoffVolume, .volume),
        .quantity("release.stopBackoffVolume", \.release.stopBackoffVolume, .volume),
        .quantity("release.releasedBelow", \.release.releasedBelow, .pressure),
        .quantity("release.backoffFlow", \.release.backoffFlow, .flow),
        .quantity("release.stopBackoffFlow", \.release.stopBackoffFlow, .flow),
        .interval("release.dwell", \.release.dwell),
        .interval("release.backoffTimeout", \.release.backoffTimeout),
    ]

    static let detection: [ConfigurationField] = [
        .number("faults.leakDropFraction", \.faults.leakDropFraction),
        .interval("faults.leakWindow", \.faults.leakWindow),
        .quantity("faults.leakMinimumPeak", \.faults.leakMinimumPeak, .pressure),
        .number("faults.leakRapidDropFraction", \.faults.leakRapidDropFraction),
        .quantity("faults.leakRapidMinimumDrop", \.faults.leakRapidMinimumDrop, .pressure),
        .interval("faults.leakRapidWindow", \.faults.leakRapidWindow),
        .interval("faults.leakPauseMinimum", \.faults.leakPauseMinimum),
        .quantity("faults.resumeAllowanceAfterStop", \.faults.resumeAllowanceAfterStop, .volume),
        .number("faults.leakRecoveryFraction", \.faults.leakRecoveryFraction),
        .interval("faults.leakRecoveryWindow", \.faults.leakRecoveryWindow),
        .quantity("faults.occlusionPressure", \.faults.occlusionPressure, .pressure),
        .interval("faults.occlusionQualifyTime", \.faults.occlusionQualifyTime),
        .integer("faults.occlusionReleaseCount", \.faults.occlusionReleaseCount),
        .quantity("faults.occlusionMinimumProgress", \.faults.occlusionMinimumProgress, .volume),
        .quantity("faults.occlusionStiffness", \.faults.occlusionStiffness, .stiffness),
        .quantity("faults.occlusionStiffnessWindow", \.faults.occlusionStiffnessWindow, .volume),
        .quantity("faults.consistencyTestVolume", \.faults.consistencyTestVolume, .volume),
        .quantity("faults.consistencyMinimumPressure", \.faults.consistencyMinimumPressure, .pressure),
        .interval("faults.pressureStaleAfter", \.faults.pressureStaleAfter),
        .interval("faults.pressureStuckAfter", \.faults.pressureStuckAfter),
        .quantity("faults.pressureStuckBand", \.faults.pressureStuckBand, .pressure),
        .interval("faults.positionStaleAfter", \.faults.positionStaleAfter),
        .quantity("faults.positionTolerance", \.faults.positionTolerance, .volume),
        .quantity("faults.pressureTwinTolerance", \.faults.pressureTwinTolerance, .pressure),
        .number("faults.pressureTwinRelativeTolerance", \.faults.pressureTwinRelativeTolerance),
        .interval("faults.pressureTwinDisagreeFor", \.faults.pressureTwinDisagreeFor),
        .interval("faults.hostLinkTimeout", \.faults.hostLinkTimeout),
        .number("faults.deadVolumeTolerance", \.faults.deadVolumeTolerance),
        .number("faults.plungerAreaTolerance", \.faults.plungerAreaTolerance),
        .quantity("faults.syringeBoreTolerance", \.faults.syringeBoreTolerance, .length),
    ]
}
