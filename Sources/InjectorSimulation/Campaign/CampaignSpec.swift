import Foundation
import InjectorConfigFile
import InjectorCore
import InjectorPlant

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
    public var leakProbability = LeakPaths(vein: 0.3, epidural: 0.75, needleTract: 0.15, disc: 0.1)
    /// Needle-tip depth (0 anterior cortex … 1 posterior wall), drawn uniformly: a
    /// posterior tip brings the epidural routes nearer (Ryu et al.).
    public var tipPosition: ClosedRange<Double> = 0.2...0.5
    /// Share of runs with high-viscosity cement (`CementRheology.highViscosity`) instead of low.
    public var highViscosityShare = 0.0
    /// Each route's entry limit on the cement's yield stress (`LeakEntry`), kPa, drawn
    /// log-uniformly between these (calibrated: docs/simulator.md, "Leak entry").
    public var entryYieldStress = LeakPaths(vein: 0.3...10.0, epidural: 0.15...5.0, needleTract: 0.1...3.0,
                                            disc: 0.25...6.0)
    /// Depth of an epidural route's entrance (a basivertebral foramen, a posterior-wall
    /// defect), drawn uniformly; it opens when the cement around the tip reaches it.
    public var epiduralEntrance: ClosedRange<Double> = 0.5...1.0
    /// Antero-posterior depth of the vertebral body (estimate: lumbar, ~30 mm).
    public static let bodyDepth = Millimeters(30)
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

    /// The 13G needle's bore, which a run draws in `gauge13Share` of the runs.
    static let gauge13Bore = Millimeters(1.80)

    public static func load(path: String) throws -> CampaignSpec {
        let text: String
        switch StrictReader.text(ofFile: path) {
        case .success(let t): text = t
        case .failure(let e): throw ScenarioError(problems: e.problems, file: path)
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do { return try parse(text, directory: directory) } catch var e as ScenarioError { e.file = path; throw e }
    }

    /// Parses a campaign file with the strict reader; its `controller:` is a
    /// configuration as in hardware/configs/*.yaml (`extends:` paths start in `directory`).
    public static func parse(_ text: String, directory: String = ".") throws -> CampaignSpec {
        let reader = StrictReader(directory: directory)
        var f = reader.document(text)
        var s = CampaignSpec()
        if let n = f.integer("runs", in: 1...10_000_000) { s.runs = n }
        if let n = f.unsigned("seed") { s.seed = n }
        if let t = f.interval("maxDuration", in: 10...3_600) { s.maxDuration = t }
        if let b = f.bool("baseline") { s.baseline = b }
        if var c = f.mapping("controller", required: true) {
            if let configuration = ConfigurationFile.read(&c) { s.controller = configuration }
            c.finish()
        }
        if var d = f.mapping("draws") { s.readDraws(&d); d.finish() }
        if var e = f.mapping("invariants") {
            if let t = e.quantity("capTolerance", .volume, in: 0...5_000) { s.capTolerance = Microliters(t) }
            if let t = e.interval("stopMargin", in: 0...60) { s.stopMargin = t }
            if let t = e.quantity("pressureMargin", .pressure, in: 0...10_000) { s.pressureMargin = Kilopascals(t) }
            e.finish()
        }
        f.finish()
        guard reader.problems.isEmpty else { throw ScenarioError(problems: reader.problems) }
        return s
    }

    mutating func readDraws(_ d: inout StrictMapping) {
        // log10 of a permeability in m²: a plain number.
        if let r = d.pair("permeabilityLog10", nil, within: -12 ... -6) { permeabilityLog10 = r }
        if let r = d.pair("cementAgeAtStart", .seconds, within: 180...900) { cementAgeAtStart = r }
        if let r = d.pair("flow", .flow, within: 10...150) { flow = r }
        if let r = d.pair("volumeToPosteriorWall", .volume, within: 2_000...20_000) { volumeToPosteriorWall = r }
        if let r = d.pair("observerDelay", .seconds, within: 0...30) { observerDelay = r }
        if let x = d.number("gauge13Share", in: 0...1) { gauge13Share = x }
        if let x = d.number("faultProbability", in: 0...1) { faultProbability = x }
        if let x = d.number("pressureTwinShare", in: 0...1) { pressureTwinShare = x }
        if let r = d.pair("tipPosition", nil, within: 0...0.7) { tipPosition = r }
        if let x = d.number("highViscosityShare", in: 0...1) { highViscosityShare = x }
        if let r = d.pair("epiduralEntrance", nil, within: 0...1) { epiduralEntrance = r }
        if var l = d.mapping("entryYieldStress") {
            for kind in LeakPathKind.allCases {
                if let r = l.pair(caseName(kind), .pressure, within: 0.001...1_000) { entryYieldStress[kind] = r }
            }
            l.finish()
        }
        if var l = d.mapping("leakProbability") {
            for kind in LeakPathKind.allCases {
                if let p = l.number(caseName(kind), in: 0...1) { leakProbability[kind] = p }
            }
            l.finish()
        }
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
            s.plant.needle.bore = Self.gauge13Bore
            s.plant.needle.deadVolume = Microliters(500)
        }
        s.controller.needle = NeedleSpec(bore: s.plant.needle.bore, length: s.plant.needle.length,
                                         deadVolume: s.plant.needle.deadVolume)
        s.observer.reactionDelay = .seconds(r.uniform(in: observerDelay))
        s.plant.body.front.tipPosition = r.uniform(in: tipPosition)
        drawLeaks(&s, &r)
        if r.uniform() < faultProbability { s.drawFault(&r) }
        // Drawn last, so that every earlier draw of a run seed is what it was before twins.
        s.controller.pressureTwinFitted = r.uniform() < pressureTwinShare
        // After every other draw, so that campaigns differing only in it pair run for run.
        if r.uniform() < highViscosityShare { s.plant.cement = .highViscosity }
        s.expectations = [.deliveredWithinCap(tolerance: capTolerance),
                          .stopWithinAfterPosteriorQuarter(s.observer.reactionDelay + stopMargin),
                          .peakPressureAtMost(s.controller.pressure.limit + pressureMargin)]
        return s
    }
}

extension CampaignSpec {
    /// The leak routes a patient has, each with its probability. Veins and end-plate
    /// clefts open when the cement has filled enough of the body to meet them, the
    /// epidural routes (a basivertebral foramen, a posterior-wall defect) when the front
    /// reaches their depth, at ordinary volumes: which routes cement then takes, and how
    /// much, depends on the cement (`LeakEntry`), not on a pressure threshold that
    /// thicker cement would cross more often.
    func drawLeaks(_ s: inout Scenario, _ r: inout Xoshiro256StarStar) {
        if r.uniform() < leakProbability.vein {
            s.plant.leaks.vein = .basivertebralVein(opensAt: Microliters(r.uniform(in: 300...4_000)))
        }
        if r.uniform() < leakProbability.epidural {
            let depth = r.uniform(in: epiduralEntrance)
            s.plant.leaks.epidural = .epiduralRoute(opensAt: Self.reachVolume(to: depth, body: s.plant.body))
        }
        if r.uniform() < leakProbability.needleTract {
            s.plant.leaks.needleTract = .needleTract(opensAt: Microliters(r.uniform(in: 200...3_000)))
        }
        if r.uniform() < leakProbability.disc {
            s.plant.leaks.disc = .endPlateCleft(opensAt: Microliters(r.uniform(in: 300...4_000)))
        }
        s.plant.leaks.modifyEach { kind, path in
            guard path.canOpen else { return }
            let limits = entryYieldStress[kind]
            path.entryYieldStress = Kilopascals(Foundation.pow(10, r.uniform(in: log10(limits.lowerBound)...log10(limits.upperBound))))
        }
    }

    /// The filled volume at which the cement around the tip, a sphere of pore space φ
    /// grown from the tip cavity (`TrabecularDarcy.frontRadius`), reaches depth `depth`:
    /// (4πφ/3)·(d³ − r₀³) with d the distance from the tip. A posterior tip is nearer the
    /// posterior routes, so they open at smaller volumes (Ryu et al.).
    static func reachVolume(to depth: Double, body: VertebralBodyParameters) -> Microliters {
        let d = max(0, depth - body.front.tipPosition) * bodyDepth.rawValue
        let r0 = body.tipCavityRadius.rawValue
        guard d > r0 else { return .zero }
        return Microliters(4 * Double.pi * body.porosity / 3 * (d * d * d - r0 * r0 * r0))
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
