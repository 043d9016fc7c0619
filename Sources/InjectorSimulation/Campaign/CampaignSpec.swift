import Foundation
import InjectorCore
import InjectorPlant
import Yams

/// How a campaign draws its randomised procedures. Every run's scenario is a pure
/// function of the spec and the run's own seed, so `replay --seed` rebuilds it exactly.
public struct CampaignSpec: Equatable, Sendable {
    public var runs = 1000
    public var seed: UInt64 = 1
    public var maxDuration = Interval.seconds(180)
    /// log10 of permeability (m²), drawn uniformly.
    public var permeabilityLog10: ClosedRange<Double> = -9.5 ... -7.4
    public var cementAgeAtStart: ClosedRange<Double> = 240...540
    public var flow: ClosedRange<Double> = 50...90
    public var volumeToPosteriorWall: ClosedRange<Double> = 4_500...10_000
    public var observerDelay: ClosedRange<Double> = 0.5...2.0
    /// Share of runs with the 13G needle instead of 11G.
    public var gauge13Share = 0.3
    public var leakProbability = LeakPaths(vein: 0.3, epidural: 0.2, needleTract: 0.15, disc: 0.1)
    /// Share of runs with one injected fault.
    public var faultProbability = 0.2
    /// Share of runs whose controller has a pressure twin (a plunger load cell) fitted.
    public var pressureTwinShare = 0.5
    /// Whether the naive pump runs beside the controller.
    public var baseline = true
    /// Checked on every controller run.
    public var capTolerance = Microliters(50)
    /// Beyond the observer's delay, the controller must have stopped within this.
    public var stopMargin = Interval.milliseconds(100)
    public var pressureMargin = Kilopascals(500)
    /// The controller's configuration every run starts from, before the draws change
    /// its flow, needle and pressure twin.
    public var controller = InjectorConfiguration()

    public init() {}

    public static func load(path: String) throws -> CampaignSpec {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ScenarioError(field: "", message: "cannot read: \(error.localizedDescription)", file: path)
        }
        do { return try parse(text) } catch var e as ScenarioError { e.file = path; throw e }
    }

    public static func parse(_ text: String) throws -> CampaignSpec {
        guard let root = try Yams.compose(yaml: text) else { return CampaignSpec() }
        var f = try YAMLFields(root, path: "")
        var s = CampaignSpec()
        if let n = try f.integer("runs", in: 1...10_000_000) { s.runs = n }
        if let n = try f.unsigned("seed") { s.seed = n }
        if let t = try f.number("maxDuration_s", in: 10...3_600, unit: "s") { s.maxDuration = .seconds(t) }
        if let b = try f.bool("baseline") { s.baseline = b }
        if var d = try f.mapping("draws") {
            func range(_ key: String, _ limits: ClosedRange<Double>, _ unit: String) throws -> ClosedRange<Double>? {
                guard let list = try d.sequence(key) else { return nil }
                let path = d.field(key)
                guard list.count == 2, let a = Double(YAMLFields.text(list[0])), let b = Double(YAMLFields.text(list[1])),
                      a <= b, limits.contains(a), limits.contains(b) else {
                    throw ScenarioError(field: path, message: "expected [low, high] within \(YAMLFields.format(limits.lowerBound)) … \(YAMLFields.format(limits.upperBound)) \(unit)")
                }
                return a...b
            }
            if let r = try range("permeabilityLog10_m2", -12 ... -6, "(log10 m²)") { s.permeabilityLog10 = r }
            if let r = try range("cementAgeAtStart_s", 180...900, "s") { s.cementAgeAtStart = r }
            if let r = try range("flow_uL_s", 10...150, "µL/s") { s.flow = r }
            if let r = try range("volumeToPosteriorWall_uL", 2_000...20_000, "µL") { s.volumeToPosteriorWall = r }
            if let r = try range("observerDelay_s", 0...30, "s") { s.observerDelay = r }
            if let x = try d.number("gauge13Share", in: 0...1) { s.gauge13Share = x }
            if let x = try d.number("faultProbability", in: 0...1) { s.faultProbability = x }
            if let x = try d.number("pressureTwinShare", in: 0...1) { s.pressureTwinShare = x }
            if var l = try d.mapping("leakProbability") {
                for kind in LeakPathKind.allCases {
                    if let p = try l.number(caseName(kind), in: 0...1) { s.leakProbability[kind] = p }
                }
                try l.finish()
            }
            try d.finish()
        }
        if var e = try f.mapping("invariants") {
            if let t = try e.number("capTolerance_uL", in: 0...5_000, unit: "µL") { s.capTolerance = Microliters(t) }
            if let t = try e.number("stopMargin_ms", in: 0...60_000, unit: "ms") { s.stopMargin = .milliseconds(t) }
            if let t = try e.number("pressureMargin_kPa", in: 0...10_000, unit: "kPa") { s.pressureMargin = Kilopascals(t) }
            try e.finish()
        }
        try f.finish()
        return s
    }

    /// The seed of every run, drawn in order from the campaign seed.
    public func runSeeds() -> [UInt64] {
        var root = Xoshiro256StarStar(seed: seed)
        return (0..<runs).map { _ in root.next() }
    }

    /// The randomised procedure of one run: patient, cement, needle, flow, leak paths,
    /// observer, at most one fault; expectations are the campaign's invariants.
    public func scenario(runSeed: UInt64) -> Scenario {
        var r = Xoshiro256StarStar(seed: runSeed)
        var s = Scenario(name: "run-\(String(runSeed, radix: 16))", seed: runSeed, maxDuration: maxDuration,
                         tail: .seconds(5), controller: controller)
        s.plant.body.permeability = SquareMeters(Foundation.pow(10, r.uniform(in: permeabilityLog10)))
        s.plant.body.front.volumeToPosteriorWall = Microliters(r.uniform(in: volumeToPosteriorWall))
        s.operatorPolicy.startAge = .seconds(r.uniform(in: cementAgeAtStart).rounded())
        s.operatorPolicy.primeLead = .seconds(15)
        s.operatorPolicy.plannedVolume = .milliliters(5)
        let q = r.uniform(in: flow)
        s.controller.rates.injectionFlow = MicrolitersPerSecond(q)
        s.baseline.flow = MicrolitersPerSecond(q)
        s.baseline.plannedVolume = .milliliters(6)
        if r.uniform() < gauge13Share {
            s.plant.needle.bore = Millimeters(1.80)
            s.plant.needle.deadVolume = Microliters(500)
        }
        s.controller.needle = NeedleSpec(bore: s.plant.needle.bore, length: s.plant.needle.length,
                                         deadVolume: s.plant.needle.deadVolume)
        s.observer.reactionDelay = .seconds(r.uniform(in: observerDelay))
        if r.uniform() < leakProbability.vein { s.plant.leaks.vein = .vein(opensAbove: Kilopascals(r.uniform(in: 20...600))) }
        if r.uniform() < leakProbability.epidural { s.plant.leaks.epidural = .posteriorWallDefect }
        if r.uniform() < leakProbability.needleTract {
            s.plant.leaks.needleTract = .needleTract(opensAt: Microliters(r.uniform(in: 200...3_000)))
        }
        if r.uniform() < leakProbability.disc { s.plant.leaks.disc = .endPlateFracture(opensAbove: Kilopascals(r.uniform(in: 150...800))) }
        if r.uniform() < faultProbability { s.drawFault(&r) }
        // Drawn last, so that every earlier draw of a run seed is what it was before twins.
        s.controller.pressureTwinFitted = r.uniform() < pressureTwinShare
        s.expectations = [.deliveredWithinCap(tolerance: capTolerance),
                          .stopWithinAfterPosteriorQuarter(s.observer.reactionDelay + stopMargin),
                          .peakPressureAtMost(s.controller.pressure.limit + pressureMargin)]
        return s
    }
}

extension Scenario {
    /// One fault at a random moment of the first minute of injection.
    mutating func drawFault(_ r: inout Xoshiro256StarStar) {
        let at = Interval.seconds(r.uniform(in: 2...60).rounded())
        switch r.next() % 7 {
        case 0: faults.pressure = .init(kind: .stuck, from: at)
        case 1: faults.pressure = .init(kind: .drift(perSecond: Kilopascals(r.uniform(in: -300...300))), from: at)
        case 2: faults.pressure = .init(kind: .dropout, from: at)
        case 3: faults.pressure = .init(kind: .noiseBurst(standardDeviation: Kilopascals(r.uniform(in: 20...300))),
                                        from: at, until: at + .seconds(3))
        case 4:
            controller.positionSensorFitted = true
            faults.missedSteps = .init(kind: r.uniform(in: 0.05...0.5), from: at)
        case 5: host.lostAfterStart = at
        default: faults.stuckInput = .init(kind: .init(name: .enable, level: .active), from: at)
        }
    }
}
