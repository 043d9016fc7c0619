import Foundation
import InjectorCore
import InjectorPlant
import Yams

/// Reads scenario files (simulator/scenarios/*.yaml). Every key carries its unit in
/// its name (`_s`, `_ms`, `_kPa`, `_uL`, `_uL_s`, `_mm`, `_m2`); an unknown key, or a
/// value outside its range, is an error naming the field. The format is described in
/// docs/simulator.md ("Scenario files").
public enum ScenarioFile {
    public static func load(path: String) throws -> Scenario {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ScenarioError(field: "", message: "cannot read: \(error.localizedDescription)", file: path)
        }
        let fallback = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        do { return try parse(text, defaultName: fallback) } catch var e as ScenarioError {
            e.file = path
            throw e
        }
    }

    public static func parse(_ text: String, defaultName: String = "scenario") throws -> Scenario {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw ScenarioError(field: "", message: "not valid YAML: \(error)")
        }
        guard let root else { throw ScenarioError(field: "", message: "the file is empty") }
        var f = try YAMLFields(root, path: "")
        var s = Scenario(name: try f.string("name") ?? defaultName)
        s.description = try f.string("description") ?? ""
        s.seed = try f.unsigned("seed") ?? 1
        if let d = try f.number("maxDuration_s", in: 5...3600, unit: "s") { s.maxDuration = .seconds(d) }
        if let d = try f.number("tail_s", in: 0...300, unit: "s") { s.tail = .seconds(d) }
        if var m = try f.mapping("patient") { try readPatient(&m, into: &s.plant); try m.finish() }
        if var m = try f.mapping("needle") { try readNeedle(&m, into: &s); try m.finish() }
        if var m = try f.mapping("cement") { try readCement(&m, into: &s); try m.finish() }
        if let list = try f.sequence("leaks") { try readLeaks(list, path: f.field("leaks"), into: &s.plant) }
        if var m = try f.mapping("controller") { try readController(&m, into: &s.controller); try m.finish() }
        if var m = try f.mapping("operator") { try readOperator(&m, into: &s.operatorPolicy); try m.finish() }
        if var m = try f.mapping("observer") { try readObserver(&m, into: &s.observer); try m.finish() }
        if var m = try f.mapping("baseline") { try readBaseline(&m, into: &s.baseline); try m.finish() }
        if var m = try f.mapping("host") { try readHost(&m, into: &s.host); try m.finish() }
        if var m = try f.mapping("faults") { try readFaults(&m, into: &s.faults); try m.finish() }
        if var m = try f.mapping("expect") { s.expectations = try readExpectations(&m); try m.finish() }
        try f.finish()
        let problems = s.controller.problems()
        if let first = problems.first {
            throw ScenarioError(field: "controller", message: "the controller configuration is invalid: \(first)")
        }
        return s
    }

    // MARK: - Sections

    static func readPatient(_ m: inout YAMLFields, into p: inout PlantParameters) throws {
        if let k = try m.number("permeability_m2", in: 1e-13...1e-6, unit: "m²") { p.body.permeability = SquareMeters(k) }
        if let x = try m.number("porosity", in: 0.3...1) { p.body.porosity = x }
        if let r = try m.number("tipCavityRadius_mm", in: 0.5...10, unit: "mm") { p.body.tipCavityRadius = Millimeters(r) }
        if let b = try m.number("backPressure_kPa", in: 0...20, unit: "kPa") { p.body.backPressure = Kilopascals(b) }
        if let x = try m.number("tipPosition", in: 0...0.7) { p.body.front.tipPosition = x }
        if let v = try m.number("volumeToPosteriorWall_uL", in: 1_000...30_000, unit: "µL") {
            p.body.front.volumeToPosteriorWall = Microliters(v)
        }
        if let e = try m.number("frontShapeExponent", in: 0.2...3) { p.body.front.shapeExponent = e }
    }

    /// The needle is one object: the plant's and the controller's descriptions stay equal.
    static func readNeedle(_ m: inout YAMLFields, into s: inout Scenario) throws {
        if let g = try m.choice("gauge", [("8", (3.43, 1_800.0)), ("11", (2.39, 900.0)), ("13", (1.80, 500.0))]) {
            s.plant.needle.bore = Millimeters(g.0)
            s.plant.needle.deadVolume = Microliters(g.1)
        }
        if let b = try m.number("bore_mm", in: 0.5...5, unit: "mm") { s.plant.needle.bore = Millimeters(b) }
        if let l = try m.number("length_mm", in: 20...300, unit: "mm") { s.plant.needle.length = Millimeters(l) }
        if let v = try m.number("deadVolume_uL", in: 0...3_000, unit: "µL") { s.plant.needle.deadVolume = Microliters(v) }
        s.controller.needle = NeedleSpec(bore: s.plant.needle.bore, length: s.plant.needle.length,
                                         deadVolume: s.plant.needle.deadVolume)
    }

    static func readCement(_ m: inout YAMLFields, into s: inout Scenario) throws {
        if let a = try m.number("ageAtStart_s", in: 60...1_800, unit: "s") { s.operatorPolicy.startAge = .seconds(a) }
        var c = s.plant.cement
        if let k = try m.number("referenceConsistency_Pa_sn", in: 1...100_000, unit: "Pa·sⁿ") {
            c.referenceConsistency = PascalSecondsToTheN(k)
        }
        if let a = try m.number("referenceAge_s", in: 0...1_800, unit: "s") { c.referenceAge = .seconds(a) }
        if let t = try m.number("growthTimeConstant_s", in: 10...3_600, unit: "s") { c.growthTimeConstant = .seconds(t) }
        if let n = try m.number("flowIndex", in: 0.1...1) { c.flowIndex = n }
        if let a = try m.number("settingAge_s", in: 60...7_200, unit: "s") { c.settingAge = .seconds(a) }
        s.plant.cement = c
    }

    static func readLeaks(_ list: [Node], path: String, into p: inout PlantParameters) throws {
        for (i, node) in list.enumerated() {
            var m = try YAMLFields(node, path: "\(path)[\(i)]")
            guard let kind = try m.choice("path", LeakPathKind.allCases.map { (caseName($0), $0) }) else {
                throw ScenarioError(field: m.field("path"), message: "missing; one of: vein, epidural, needleTract, disc")
            }
            var leak: LeakPathParameters
            switch kind {
            case .vein: leak = .vein(opensAbove: Kilopascals(30))
            case .epidural: leak = .posteriorWallDefect
            case .needleTract: leak = .needleTract(opensAt: Microliters(500))
            case .disc: leak = .endPlateFracture(opensAbove: Kilopascals(150))
            }
            if let d = try m.number("diameter_mm", in: 0.1...10, unit: "mm") { leak.channelDiameter = Millimeters(d) }
            if let l = try m.number("length_mm", in: 1...200, unit: "mm") { leak.channelLength = Millimeters(l) }
            if let e = try m.number("exitPressure_kPa", in: 0...500, unit: "kPa") { leak.exitPressure = Kilopascals(e) }
            let byPressure = try m.number("opensAbovePressure_kPa", in: 0...10_000, unit: "kPa")
            let byFront = try m.number("opensAtFrontPosition", in: 0...1)
            let byVolume = try m.number("opensAtFilledVolume_uL", in: 0...30_000, unit: "µL")
            if byPressure != nil || byFront != nil || byVolume != nil {
                leak.opensAbovePressure = byPressure.map { Kilopascals($0) }
                leak.opensAtFrontPosition = byFront
                leak.opensAtFilledVolume = byVolume.map { Microliters($0) }
            }
            try m.finish()
            p.leaks[kind] = leak
        }
    }

    static func readController(_ m: inout YAMLFields, into c: inout InjectorConfiguration) throws {
        if let mode = try m.choice("mode", [("bolus", InjectionMode.bolus), ("continuous", .continuous)]) { c.rates.mode = mode }
        if let q = try m.number("injectionFlow_uL_s", in: 1...200, unit: "µL/s") {
            c.rates.injectionFlow = MicrolitersPerSecond(q)
            c.rates.maxInjectionFlow = Swift.max(c.rates.maxInjectionFlow, c.rates.injectionFlow)
        }
        if let v = try m.number("bolusVolume_uL", in: 20...500, unit: "µL") { c.rates.bolusVolume = Microliters(v) }
        if let t = try m.number("injectPeriod_s", in: 0.2...120, unit: "s") { c.release.injectPeriod = .seconds(t) }
        if let t = try m.number("releaseDwell_s", in: 0...120, unit: "s") { c.release.dwell = .seconds(t) }
        let body = try m.number("bodyVolume_uL", in: 5_000...120_000, unit: "µL")
        let share = try m.number("anteriorFraction", in: 0.2...0.8)
        if body != nil || share != nil {
            c.procedure.anteriorCapacity = .fromBody(bodyVolume: Microliters(body ?? 30_000), anteriorFraction: share ?? 0.5)
        }
        if let x = try m.number("fillFractionLimit", in: 0.05...0.5) { c.procedure.fillFractionLimit = x }
        if let v = try m.number("perPedicleCap_uL", in: 100...8_000, unit: "µL") { c.procedure.perPedicleCap = Microliters(v) }
        if let a = try m.choice("approach", [("unipedicular", PedicleApproach.unipedicular), ("bipedicular", .bipedicular)]) {
            c.procedure.approach = a
        }
        if let b = try m.bool("positionSensorFitted") { c.positionSensorFitted = b }
        if let b = try m.bool("pressureTwinFitted") { c.pressureTwinFitted = b }
        if let p = try m.number("pressureLimit_kPa", in: 100...5_000, unit: "kPa") { c.pressure.limit = Kilopascals(p) }
        if let x = try m.number("leakDropFraction", in: 0.05...0.95) { c.faults.leakDropFraction = x }
        if let t = try m.number("leakWindow_s", in: 0.02...10, unit: "s") { c.faults.leakWindow = .seconds(t) }
        if let p = try m.number("leakMinimumPeak_kPa", in: 0...5_000, unit: "kPa") { c.faults.leakMinimumPeak = Kilopascals(p) }
        if let t = try m.number("leakPauseMinimum_s", in: 0...600, unit: "s") { c.faults.leakPauseMinimum = .seconds(t) }
        if let p = try m.number("occlusionPressure_kPa", in: 100...5_000, unit: "kPa") { c.faults.occlusionPressure = Kilopascals(p) }
        if let p = try m.number("consistencyMinimumPressure_kPa", in: 0...5_000, unit: "kPa") {
            c.faults.consistencyMinimumPressure = Kilopascals(p)
        }
        if let t = try m.number("hostLinkTimeout_s", in: 0.01...30, unit: "s") { c.faults.hostLinkTimeout = .seconds(t) }
        if let t = try m.number("workingPhaseStart_s", in: 0...1_800, unit: "s") { c.cement.workingPhaseStart = .seconds(t) }
        if let t = try m.number("workingPhaseEnd_s", in: 30...3_600, unit: "s") { c.cement.workingPhaseEnd = .seconds(t) }
        if let t = try m.number("settingTime_s", in: 60...7_200, unit: "s") { c.cement.settingTime = .seconds(t) }
        if let x = try m.number("compliance_uL_per_kPa", in: 0...1, unit: "µL/kPa") {
            c.syringe.compliance = MicrolitersPerKilopascal(x)
        }
    }

    static func readResponse(_ m: inout YAMLFields, _ key: String) throws -> PauseResponse? {
        guard let node = m.node(key) else { return nil }
        if case .scalar(let s) = node {
            switch s.string {
            case "finish": return .finish
            case "wait": return .wait
            default: break
            }
        } else if case .mapping = node {
            var r = try YAMLFields(node, path: m.field(key))
            guard let after = try r.number("resumeAfter_s", in: 0...1_800, unit: "s") else {
                throw ScenarioError(field: r.field("resumeAfter_s"), message: "missing")
            }
            try r.finish()
            return .resume(after: .seconds(after))
        }
        throw ScenarioError(field: m.field(key), message: "'\(YAMLFields.text(node))' is not one of: finish, wait, {resumeAfter_s: N}")
    }

    static func readOperator(_ m: inout YAMLFields, into o: inout OperatorPolicy) throws {
        if let t = try m.number("primeLead_s", in: 10...1_200, unit: "s") { o.primeLead = .seconds(t) }
        if let v = try m.number("plannedVolume_uL", in: 100...20_000, unit: "µL") { o.plannedVolume = Microliters(v) }
        if let r = try readResponse(&m, "onPosteriorQuarter") { o.onPosteriorQuarter = r }
        if let r = try readResponse(&m, "onLeakSeen") { o.onLeakSeen = r }
        if let r = try readResponse(&m, "onLeakSuspected") { o.onLeakSuspected = r }
        if let r = try readResponse(&m, "onOcclusion") { o.onOcclusion = r }
        if let r = try readResponse(&m, "onCementTooLiquid") { o.onCementTooLiquid = r }
        if let r = try readResponse(&m, "onOtherPause") { o.onOtherPause = r }
        if let r = try readResponse(&m, "onFault") { o.onFault = r }
        if let n = try m.integer("maxResumes", in: 0...100) { o.maxResumes = n }
    }

    static func readObserver(_ m: inout YAMLFields, into o: inout ObserverPolicy) throws {
        if let b = try m.bool("enabled") { o.enabled = b }
        if let t = try m.number("reactionDelay_s", in: 0...120, unit: "s") { o.reactionDelay = .seconds(t) }
        if let v = try m.number("leakVisibleAbove_uL", in: 1...5_000, unit: "µL") { o.leakVisibleAbove = Microliters(v) }
        if let t = try m.number("pressDuration_s", in: 0.01...10, unit: "s") { o.pressDuration = .seconds(t) }
    }

    static func readBaseline(_ m: inout YAMLFields, into b: inout BaselinePolicy) throws {
        if let q = try m.number("flow_uL_s", in: 1...500, unit: "µL/s") { b.flow = MicrolitersPerSecond(q) }
        if let v = try m.number("plannedVolume_uL", in: 100...20_000, unit: "µL") { b.plannedVolume = Microliters(v) }
        if let r = try m.bool("respondsToObserver") { b.respondsToObserver = r }
        if let t = try m.number("observerDelay_s", in: 0...120, unit: "s") { b.observerDelay = .seconds(t) }
    }

    static func readHost(_ m: inout YAMLFields, into h: inout HostLinkPlan) throws {
        if let t = try m.number("heartbeatPeriod_s", in: 0.001...5, unit: "s") { h.heartbeatPeriod = .seconds(t) }
        if let t = try m.number("lostAt_s", in: -600...3_600, unit: "s after the scheduled start") { h.lostAfterStart = .seconds(t) }
        if let t = try m.number("restoredAt_s", in: -600...3_600, unit: "s after the scheduled start") {
            h.restoredAfterStart = .seconds(t)
        }
    }

    static func window(_ m: inout YAMLFields) throws -> (Interval, Interval?) {
        guard let at = try m.number("at_s", in: -600...3_600, unit: "s after the scheduled start") else {
            throw ScenarioError(field: m.field("at_s"), message: "missing: when the fault begins, s after the scheduled start")
        }
        let until = try m.number("until_s", in: -600...3_600, unit: "s after the scheduled start")
        if let u = until, u <= at { throw ScenarioError(field: m.field("until_s"), message: "must be later than at_s (\(at))") }
        return (.seconds(at), until.map { .seconds($0) })
    }

    static func sensorFault<V: Quantity>(_ m: inout YAMLFields, unit: String, range: ClosedRange<Double>,
                                         make: (Double) -> V) throws -> FaultPlan.Timed<SensorFault<V>.Kind> {
        let kinds = ["stuck", "drift", "dropout", "noiseBurst", "outOfRange"]
        guard let kind = try m.choice("kind", kinds.map { ($0, $0) }) else {
            throw ScenarioError(field: m.field("kind"), message: "missing; one of: \(kinds.joined(separator: ", "))")
        }
        let (from, until) = try window(&m)
        let rate = try m.number("rate_\(unit)_s", in: -range.upperBound...range.upperBound, unit: "\(unit)/s")
        let sigma = try m.number("sigma_\(unit)", in: 0...range.upperBound, unit: unit)
        let value = try m.number("value_\(unit)", in: -range.upperBound...range.upperBound * 4, unit: unit)
        func need(_ x: Double?, _ key: String) throws -> Double {
            guard let x else { throw ScenarioError(field: m.field(key), message: "missing: needed for kind \(kind)") }
            return x
        }
        let k: SensorFault<V>.Kind
        switch kind {
        case "stuck": k = .stuck
        case "drift": k = .drift(perSecond: make(try need(rate, "rate_\(unit)_s")))
        case "dropout": k = .dropout
        case "noiseBurst": k = .noiseBurst(standardDeviation: make(try need(sigma, "sigma_\(unit)")))
        default: k = .outOfRange(make(try need(value, "value_\(unit)")))
        }
        return FaultPlan.Timed(kind: k, from: from, until: until)
    }

    static func readFaults(_ m: inout YAMLFields, into f: inout FaultPlan) throws {
        if var p = try m.mapping("pressure") {
            f.pressure = try sensorFault(&p, unit: "kPa", range: 0...10_000) { Kilopascals($0) }
            try p.finish()
        }
        if var p = try m.mapping("pressureTwin") {
            f.pressureTwin = try sensorFault(&p, unit: "kPa", range: 0...10_000) { Kilopascals($0) }
            try p.finish()
        }
        if var p = try m.mapping("position") {
            f.position = try sensorFault(&p, unit: "uL", range: 0...20_000) { Microliters($0) }
            try p.finish()
        }
        if var p = try m.mapping("missedSteps") {
            let (from, until) = try window(&p)
            guard let share = try p.number("fraction", in: 0...1) else {
                throw ScenarioError(field: p.field("fraction"), message: "missing: share of steps lost, 0 … 1")
            }
            f.missedSteps = FaultPlan.Timed(kind: share, from: from, until: until)
            try p.finish()
        }
        if var p = try m.mapping("stuckInput") {
            guard let name = try p.choice("switch", SwitchName.allCases.map { ($0.rawValue, $0) }) else {
                throw ScenarioError(field: p.field("switch"), message: "missing; one of: \(SwitchName.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let level = try p.choice("level", [("active", Activation.active), ("inactive", .inactive)]) ?? .active
            let (from, until) = try window(&p)
            f.stuckInput = FaultPlan.Timed(kind: .init(name: name, level: level), from: from, until: until)
            try p.finish()
        }
    }

    static func readExpectations(_ m: inout YAMLFields) throws -> [Expectation] {
        var e: [Expectation] = []
        if let t = try m.number("deliveredWithinCapTolerance_uL", in: 0...5_000, unit: "µL") {
            e.append(.deliveredWithinCap(tolerance: Microliters(t)))
        }
        if let v = try m.number("deliveredAtMost_uL", in: 0...30_000, unit: "µL") { e.append(.deliveredAtMost(Microliters(v))) }
        if let v = try m.number("deliveredAtLeast_uL", in: 0...30_000, unit: "µL") { e.append(.deliveredAtLeast(Microliters(v))) }
        if let v = try m.number("leakedAtMost_uL", in: 0...30_000, unit: "µL") { e.append(.leakedAtMost(Microliters(v))) }
        if var per = try m.mapping("leakedOnPathAtMost_uL") {
            for kind in LeakPathKind.allCases {
                if let v = try per.number(caseName(kind), in: 0...30_000, unit: "µL") {
                    e.append(.leakedOnPathAtMost(kind, Microliters(v)))
                }
            }
            try per.finish()
        }
        if let t = try m.number("stopAfterPosteriorQuarterWithin_ms", in: 0...600_000, unit: "ms") {
            e.append(.stopWithinAfterPosteriorQuarter(.milliseconds(t)))
        }
        if let t = try m.number("stopAfterLeakWithin_ms", in: 0...600_000, unit: "ms") { e.append(.stopWithinAfterLeak(.milliseconds(t))) }
        if let t = try m.number("stopAfterFaultWithin_ms", in: 0...600_000, unit: "ms") { e.append(.stopWithinAfterFault(.milliseconds(t))) }
        if let x = try m.number("frontAtMost", in: 0...1) { e.append(.frontAtMost(x)) }
        if let p = try m.number("peakPressureAtMost_kPa", in: 0...100_000, unit: "kPa") { e.append(.peakPressureAtMost(Kilopascals(p))) }
        if let p = try m.number("finalPressureBelow_kPa", in: -100...100_000, unit: "kPa") { e.append(.pressureRelievedBelow(Kilopascals(p))) }
        if let s = try m.choice("finalState", InjectorState.allCases.map { (caseName($0), $0) }) { e.append(.finalState(s)) }
        if let r = try m.choice("stoppedFor", Reason.allCases.map { (caseName($0), $0) }) { e.append(.stoppedFor(r)) }
        if let b = try m.bool("baselineFails"), b { e.append(.baselineFails) }
        return e
    }
}
