import Foundation
import InjectorConfigFile
import InjectorCore
import InjectorPlant

/// Reads scenario files (simulator/scenarios/*.yaml) with the same strict reader as the
/// controller's configuration files: every dimensioned value carries its unit
/// ("1.5 s", "300 µL", "5e-10 m²"), an unknown key is an error with the nearest known
/// key suggested, and every problem of the file is reported at once, each with its
/// field path and allowed range. The controller's configuration is written exactly as
/// in hardware/configs/*.yaml, inline or by `extends:`. The format is described in
/// docs/simulator.md ("Scenario files").
public enum ScenarioFile {
    public static func load(path: String) throws -> Scenario {
        let text: String
        switch StrictReader.text(ofFile: path) {
        case .success(let t): text = t
        case .failure(let e): throw ScenarioError(problems: e.problems, file: path)
        }
        let fallback = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do { return try parse(text, defaultName: fallback, directory: directory) } catch var e as ScenarioError {
            e.file = path
            throw e
        }
    }

    /// Parses a scenario; `extends:` paths start in `directory`.
    public static func parse(_ text: String, defaultName: String = "scenario", directory: String = ".") throws -> Scenario {
        let reader = StrictReader(directory: directory)
        var f = reader.document(text)
        var s = Scenario(name: f.text("name") ?? defaultName)
        s.description = f.text("description") ?? ""
        s.seed = f.unsigned("seed") ?? 1
        if let d = f.interval("maxDuration", in: 5...3600) { s.maxDuration = d }
        if let d = f.interval("tail", in: 0...300) { s.tail = d }
        section(&f, "patient") { readPatient(&$0, into: &s.plant) }
        section(&f, "cement") { readCement(&$0, into: &s) }
        section(&f, "venous") { readVenous(&$0, into: &s) }
        if let list = f.sequence("leaks") { readLeaks(list, into: &s.plant) }
        section(&f, "controller", required: true) { readController(&$0, into: &s) }
        readNeedle(&f, into: &s)
        // The syringe fitted is the one configured, unless the `plant` section says otherwise.
        s.plant.syringe.innerDiameter = s.controller.syringe.innerDiameter
        section(&f, "plant") { readPlantGeometry(&$0, into: &s.plant) }
        section(&f, "operator") { readOperator(&$0, into: &s.operatorPolicy) }
        section(&f, "observer") { readObserver(&$0, into: &s.observer) }
        section(&f, "baseline") { readBaseline(&$0, into: &s.baseline) }
        section(&f, "host") { readHost(&$0, into: &s.host) }
        section(&f, "faults") { readFaults(&$0, into: &s.faults) }
        section(&f, "driver") { m in
            s.driverStallPressure = m.quantity("stallPressure", .pressure, in: 100...10_000, required: true)
                .map { Kilopascals($0) }
        }
        section(&f, "expect") { s.expectations = readExpectations(&$0) }
        f.finish()
        guard reader.problems.isEmpty else { throw ScenarioError(problems: reader.problems) }
        return s
    }

    /// Reads the mapping `key` with `read`, then reports its unknown keys.
    static func section(_ f: inout StrictMapping, _ key: String, required: Bool = false,
                        _ read: (inout StrictMapping) -> Void) {
        guard var m = f.mapping(key, required: required) else { return }
        read(&m)
        m.finish()
    }

    // MARK: - The patient and the device

    static func readPatient(_ m: inout StrictMapping, into p: inout PlantParameters) {
        if let k = m.quantity("permeability", .area, in: 1e-13...1e-6) { p.body.permeability = SquareMeters(k) }
        if let x = m.number("porosity", in: 0.3...1) { p.body.porosity = x }
        if let r = m.quantity("tipCavityRadius", .length, in: 0.5...10) { p.body.tipCavityRadius = Millimeters(r) }
        if let b = m.quantity("backPressure", .pressure, in: 0...20) { p.body.backPressure = Kilopascals(b) }
        if let x = m.number("tipPosition", in: 0...0.7) { p.body.front.tipPosition = x }
        if let v = m.quantity("volumeToPosteriorWall", .volume, in: 1_000...30_000) {
            p.body.front.volumeToPosteriorWall = Microliters(v)
        }
        if let e = m.number("frontShapeExponent", in: 0.2...3) { p.body.front.shapeExponent = e }
        if let f = m.quantity("boneFailurePressure", .pressure, in: 100...100_000) {
            p.body.failure = BoneFailure(pressure: Kilopascals(f))
        }
        if let v = m.bool("boneFails"), !v { p.body.failure = nil }
    }

    /// Venous pressure at the vein and epidural exits: breathing and a Valsalva (times
    /// after the scheduled start, as everywhere in a scenario).
    static func readVenous(_ m: inout StrictMapping, into s: inout Scenario) {
        var v = s.plant.venous
        if let a = m.quantity("breathingAmplitude", .pressure, in: 0...5) { v.breathingAmplitude = Kilopascals(a) }
        if let t = m.interval("breathingPeriod", in: 1...30) { v.breathingPeriod = t }
        let from = m.interval("valsalvaFrom", in: 0...3_600)
        let until = m.interval("valsalvaUntil", in: 0...3_600)
        let pressure = m.quantity("valsalvaPressure", .pressure, in: 0...20)
        if let from, let until {
            if until > from {
                v.valsalva = ValsalvaManoeuvre(from: s.afterStart(from) - .origin, until: s.afterStart(until) - .origin,
                                               pressure: Kilopascals(pressure ?? 12))
            } else {
                m.reader.report(m.field("valsalvaUntil"), "\(until.seconds) s", allowed: "after valsalvaFrom")
            }
        } else if from != nil || until != nil || pressure != nil {
            m.reader.report(m.field("valsalvaFrom"), "incomplete", allowed: "valsalvaFrom and valsalvaUntil together")
        }
        s.plant.venous = v
    }

    /// The controller's configuration, as in hardware/configs/*.yaml. Its needle is the
    /// scenario's `needle`, which sets the plant's needle too, so it is not set here.
    static func readController(_ m: inout StrictMapping, into s: inout Scenario) {
        if m.contains("needle") {
            m.reader.report(m.field("needle"), "set in the controller section",
                            allowed: "the scenario's own needle section, which sets the plant's and the controller's")
        }
        if let c = ConfigurationFile.read(&m) { s.controller = c }
    }

    /// The needle is one object: the plant's and the controller's stay equal. Without a
    /// `needle` section both are the controller configuration's needle.
    static func readNeedle(_ f: inout StrictMapping, into s: inout Scenario) {
        var needle = s.controller.needle
        if var m = f.mapping("needle") {
            if let g = m.choice("gauge", [("8", (3.43, 1_800.0)), ("11", (2.39, 900.0)), ("13", (1.80, 500.0))]) {
                needle.bore = Millimeters(g.0)
                needle.deadVolume = Microliters(g.1)
            }
            if let b = m.quantity("bore", .length, in: 0.5...5) { needle.bore = Millimeters(b) }
            if let l = m.quantity("length", .length, in: 20...300) { needle.length = Millimeters(l) }
            if let v = m.quantity("deadVolume", .volume, in: 0...3_000) { needle.deadVolume = Microliters(v) }
            m.finish()
        }
        s.controller.needle = needle
        s.plant.needle.bore = needle.bore
        s.plant.needle.length = needle.length
        s.plant.needle.deadVolume = needle.deadVolume
    }

    /// What is really fitted, where it differs from what the controller is configured
    /// with (issue 9 finding 2: a wrong bore or dead volume). Both keys are required, so
    /// a scenario states the whole of the plant's geometry it overrides.
    static func readPlantGeometry(_ m: inout StrictMapping, into p: inout PlantParameters) {
        if let d = m.quantity("syringeInnerDiameter", .length, in: 5...40, required: true) {
            p.syringe.innerDiameter = Millimeters(d)
        }
        if let v = m.quantity("needleDeadVolume", .volume, in: 0...3_000, required: true) {
            p.needle.deadVolume = Microliters(v)
        }
    }

    static func readCement(_ m: inout StrictMapping, into s: inout Scenario) {
        if let a = m.interval("ageAtStart", in: 60...1_800) { s.operatorPolicy.startAge = a }
        // A class first, so that the keys below adjust it.
        if let preset = m.choice("viscosity", [("low", CementRheology.lowViscosity), ("high", .highViscosity)]) {
            s.plant.cement = preset
        }
        var c = s.plant.cement
        if let k = m.quantity("referenceConsistency", .consistency, in: 1...100_000) {
            c.referenceConsistency = PascalSecondsToTheN(k)
        }
        if let a = m.interval("referenceAge", in: 0...1_800) { c.referenceAge = a }
        if let t = m.interval("growthTimeConstant", in: 10...3_600) { c.growthTimeConstant = t }
        if let n = m.number("flowIndex", in: 0.1...1) { c.flowIndex = n }
        if let a = m.interval("settingAge", in: 60...7_200) { c.settingAge = a }
        if let y = m.quantity("yieldStress", .pressure, in: 0...100) { c.yieldStress = Kilopascals(y) }
        if let t = m.quantity("syringeTemperature", .temperature, in: 10...45) { c.curing.syringeTemperature = Celsius(t) }
        s.plant.cement = c
        // Air mixed in by hand, as its volume at atmospheric pressure (SyringeCompliance).
        if let v = m.quantity("entrainedAir", .volume, in: 0...2_000) {
            s.plant.syringe.compliance.entrainedAir = Microliters(v)
        }
    }

    static func readLeaks(_ list: [StrictNode], into p: inout PlantParameters) {
        for node in list {
            var m = node.mapping()
            defer { m.finish() }
            guard let kind = m.choice("path", LeakPathKind.allCases.map { (caseName($0), $0) }, required: true) else {
                continue
            }
            var leak: LeakPathParameters
            switch kind {
            case .vein: leak = .vein(opensAbove: Kilopascals(30))
            case .epidural: leak = .posteriorWallDefect
            case .needleTract: leak = .needleTract(opensAt: Microliters(500))
            case .disc: leak = .endPlateFracture(opensAbove: Kilopascals(150))
            }
            if let d = m.quantity("diameter", .length, in: 0.1...10) { leak.channelDiameter = Millimeters(d) }
            if let l = m.quantity("length", .length, in: 1...200) { leak.channelLength = Millimeters(l) }
            if let e = m.quantity("exitPressure", .pressure, in: 0...500) { leak.exitPressure = Kilopascals(e) }
            let byPressure = m.quantity("opensAbovePressure", .pressure, in: 0...10_000)
            let byFront = m.number("opensAtFrontPosition", in: 0...1)
            let byVolume = m.quantity("opensAtFilledVolume", .volume, in: 0...30_000)
            if let y = m.quantity("entryYieldStress", .pressure, in: 0...100) { leak.entryYieldStress = Kilopascals(y) }
            if byPressure != nil || byFront != nil || byVolume != nil {
                leak.opensAbovePressure = byPressure.map { Kilopascals($0) }
                leak.opensAtFrontPosition = byFront
                leak.opensAtFilledVolume = byVolume.map { Microliters($0) }
            }
            p.leaks[kind] = leak
        }
    }
}
