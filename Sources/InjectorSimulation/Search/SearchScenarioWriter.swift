import InjectorCore
import InjectorPlant

/// Writes a searched scenario as a scenario file (the format `injector-sim run` reads,
/// docs/simulator.md "Scenario files"), with everything the search set spelt out:
/// times in whole nanoseconds and numbers in Swift's shortest round-trip form, so the
/// file reads back to the very same values. The controller is the campaign's
/// configuration file by `extends:`, plus the three keys a search point changes.
public enum SearchScenarioWriter {
    /// `controllerFile`: the campaign's controller configuration, as a path relative to
    /// the folder the file is written into. `note`: comment lines for the file's head.
    public static func text(_ s: Scenario, controllerFile: String, note: [String]) -> String {
        var y = note.map { "# " + $0 }
        y += ["name: \(s.name)", "seed: \(s.seed)", "maxDuration: \(ns(s.maxDuration))", "tail: \(ns(s.tail))"]
        let body = s.plant.body
        y += ["patient:", "  permeability: \(n(body.permeability.rawValue)) m²", "  tipPosition: \(n(body.front.tipPosition))",
              "  volumeToPosteriorWall: \(n(body.front.volumeToPosteriorWall.rawValue)) µL"]
        y += ["cement:", "  ageAtStart: \(ns(s.operatorPolicy.startAge))"]
        if s.plant.cement == .highViscosity { y.append("  viscosity: high") }
        let needle = s.controller.needle
        y += ["needle:", "  bore: \(n(needle.bore.rawValue)) mm", "  length: \(n(needle.length.rawValue)) mm",
              "  deadVolume: \(n(needle.deadVolume.rawValue)) µL"]
        // Always the plant's own geometry: it may differ from the configured one
        // (a planted wrong bore), and the file's default is the configured one.
        y += ["plant:", "  syringeInnerDiameter: \(n(s.plant.syringe.innerDiameter.rawValue)) mm",
              "  needleDeadVolume: \(n(s.plant.needle.deadVolume.rawValue)) µL"]
        y += leaks(s.plant.leaks)
        y += ["controller:", "  extends: \(controllerFile)", "  positionSensorFitted: \(s.controller.positionSensorFitted)",
              "  pressureTwinFitted: \(s.controller.pressureTwinFitted)",
              "  rates:", "    injectionFlow: \(n(s.controller.rates.injectionFlow.rawValue)) µL/s"]
        y += ["operator:", "  primeLead: \(ns(s.operatorPolicy.primeLead))",
              "  plannedVolume: \(n(s.operatorPolicy.plannedVolume.rawValue)) µL"]
        y += ["observer:", "  reactionDelay: \(ns(s.observer.reactionDelay))"]
        y += ["baseline:", "  flow: \(n(s.baseline.flow.rawValue)) µL/s",
              "  plannedVolume: \(n(s.baseline.plannedVolume.rawValue)) µL"]
        if let lost = s.host.lostAfterStart { y += ["host:", "  lostAt: \(ns(lost))"] }
        y += faults(s.faults)
        y += expectations(s.expectations)
        return y.joined(separator: "\n") + "\n"
    }

    static func leaks(_ paths: LeakPaths<LeakPathParameters>) -> [String] {
        var y: [String] = []
        for kind in LeakPathKind.allCases where paths[kind].canOpen {
            let p = paths[kind]
            y += ["  - path: \(caseName(kind))", "    diameter: \(n(p.channelDiameter.rawValue)) mm",
                  "    length: \(n(p.channelLength.rawValue)) mm", "    exitPressure: \(n(p.exitPressure.rawValue)) kPa"]
            if let v = p.opensAbovePressure { y.append("    opensAbovePressure: \(n(v.rawValue)) kPa") }
            if let x = p.opensAtFrontPosition { y.append("    opensAtFrontPosition: \(n(x))") }
            if let v = p.opensAtFilledVolume { y.append("    opensAtFilledVolume: \(n(v.rawValue)) µL") }
            if let e = p.entryYieldStress { y.append("    entryYieldStress: \(n(e.rawValue)) kPa") }
        }
        return y.isEmpty ? [] : ["leaks:"] + y
    }

    /// The faults a search point places (`SearchSpace.placeFault`).
    static func faults(_ f: FaultPlan) -> [String] {
        var y: [String] = []
        if let p = f.pressure {
            let window = "at: \(ns(p.from))" + (p.until.map { ", until: \(ns($0))" } ?? "")
            switch p.kind {
            case .stuck: y.append("  pressure: {kind: stuck, \(window)}")
            case .dropout: y.append("  pressure: {kind: dropout, \(window)}")
            case .drift(let rate): y.append("  pressure: {kind: drift, \(window), rate: \(n(rate.rawValue)) kPa/s}")
            case .noiseBurst(let sd): y.append("  pressure: {kind: noiseBurst, \(window), sigma: \(n(sd.rawValue)) kPa}")
            case .outOfRange(let v): y.append("  pressure: {kind: outOfRange, \(window), value: \(n(v.rawValue)) kPa}")
            }
        }
        if let m = f.missedSteps { y.append("  missedSteps: {at: \(ns(m.from)), fraction: \(n(m.kind))}") }
        if let s = f.stuckInput {
            let level = s.kind.level == .active ? "active" : "inactive"
            y.append("  stuckInput: {switch: \(s.kind.name.name), level: \(level), at: \(ns(s.from))}")
        }
        return y.isEmpty ? [] : ["faults:"] + y
    }

    /// The campaign's three invariants, as a scenario's expectations.
    static func expectations(_ e: [Expectation]) -> [String] {
        var y = ["expect:"]
        for x in e {
            switch x {
            case .deliveredWithinCap(let t): y.append("  deliveredWithinCapTolerance: \(n(t.rawValue)) µL")
            case .stopWithinAfterPosteriorQuarter(let i): y.append("  stopAfterPosteriorQuarterWithin: \(ns(i))")
            case .peakPressureAtMost(let p): y.append("  peakPressureAtMost: \(n(p.rawValue)) kPa")
            default: preconditionFailure("a searched scenario holds only the campaign's invariants, not \(x.summary)")
            }
        }
        return y
    }

    /// Shortest text that reads back as the same Double.
    static func n(_ x: Double) -> String { "\(x)" }
    static func ns(_ i: Interval) -> String { "\(i.nanoseconds) ns" }
}
