import Foundation
import InjectorCore
import InjectorPlant

/// The campaign's parameter space as a box: the same ranges, shares and fixed settings
/// as `CampaignSpec.scenario(runSeed:)`, with the random draws replaced by the
/// coordinates of a `SearchPoint` (`SearchDimension` says how each maps).
public struct SearchSpace: Sendable {
    public var campaign: CampaignSpec

    public init(campaign: CampaignSpec) { self.campaign = campaign }

    /// The procedure at `point`; `seed` drives the sensors' noise (the scenario's seed).
    public func scenario(at point: SearchPoint, seed: UInt64, name: String) -> Scenario {
        let c = campaign
        var s = Scenario(name: name, seed: seed, maxDuration: c.maxDuration, tail: .seconds(5), controller: c.controller)
        s.plant.body.permeability = SquareMeters(Foundation.pow(10, scaled(point[.permeability], c.permeabilityLog10)))
        s.plant.body.front.volumeToPosteriorWall = Microliters(scaled(point[.volumeToPosteriorWall], c.volumeToPosteriorWall))
        s.operatorPolicy.startAge = .seconds(scaled(point[.cementAge], c.cementAgeAtStart).rounded())
        s.operatorPolicy.primeLead = .seconds(15)
        s.operatorPolicy.plannedVolume = .milliliters(5)
        let q = scaled(point[.flow], c.flow)
        s.controller.rates.injectionFlow = MicrolitersPerSecond(q)
        s.baseline.flow = MicrolitersPerSecond(q)
        s.baseline.plannedVolume = .milliliters(6)
        if point[.needle13G] < c.gauge13Share {
            s.plant.needle.bore = CampaignSpec.gauge13Bore
            s.plant.needle.deadVolume = Microliters(500)
        }
        s.controller.needle = NeedleSpec(bore: s.plant.needle.bore, length: s.plant.needle.length,
                                         deadVolume: s.plant.needle.deadVolume)
        s.observer.reactionDelay = .seconds(scaled(point[.observerDelay], c.observerDelay))
        s.plant.body.front.tipPosition = scaled(point[.tipPosition], c.tipPosition)
        placeLeaks(&s, point)
        if point[.faultPresent] < c.faultProbability { placeFault(&s, point) }
        s.controller.pressureTwinFitted = point[.pressureTwin] < c.pressureTwinShare
        if point[.highViscosity] < c.highViscosityShare { s.plant.cement = .highViscosity }
        s.expectations = [.deliveredWithinCap(tolerance: c.capTolerance),
                          .stopWithinAfterPosteriorQuarter(s.observer.reactionDelay + c.stopMargin),
                          .peakPressureAtMost(s.controller.pressure.limit + c.pressureMargin)]
        return s
    }

    /// The leak routes, as `CampaignSpec.drawLeaks` places them.
    func placeLeaks(_ s: inout Scenario, _ p: SearchPoint) {
        let c = campaign
        if p[.veinPresent] < c.leakProbability.vein {
            s.plant.leaks.vein = .basivertebralVein(opensAt: Microliters(scaled(p[.veinOpening], 300...4_000)))
        }
        if p[.epiduralPresent] < c.leakProbability.epidural {
            let depth = scaled(p[.epiduralDepth], c.epiduralEntrance)
            let reach = CampaignSpec.reachVolume(to: depth, body: s.plant.body)
            s.plant.leaks.epidural = .epiduralRoute(opensAt: Swift.min(reach, Self.largestOpening))
        }
        if p[.needleTractPresent] < c.leakProbability.needleTract {
            s.plant.leaks.needleTract = .needleTract(opensAt: Microliters(scaled(p[.needleTractOpening], 200...3_000)))
        }
        if p[.discPresent] < c.leakProbability.disc {
            s.plant.leaks.disc = .endPlateCleft(opensAt: Microliters(scaled(p[.discOpening], 300...4_000)))
        }
        let entry: LeakPaths<SearchDimension> = LeakPaths(vein: .veinEntry, epidural: .epiduralEntry,
                                                          needleTract: .needleTractEntry, disc: .discEntry)
        s.plant.leaks.modifyEach { kind, path in
            guard path.canOpen else { return }
            let limits = c.entryYieldStress[kind]
            let log10Range = log10(limits.lowerBound)...log10(limits.upperBound)
            path.entryYieldStress = Kilopascals(Foundation.pow(10, scaled(p[entry[kind]], log10Range)))
        }
    }

    /// The one fault, as `Scenario.drawFault` places it: seven kinds in equal bins of
    /// `faultKind`, its start in the first minute, its size (drift rate, noise, share
    /// of steps lost) from `faultSize`.
    func placeFault(_ s: inout Scenario, _ p: SearchPoint) {
        let at = Interval.seconds(scaled(p[.faultTime], 2...60).rounded())
        let size = p[.faultSize]
        switch Self.faultKind(p[.faultKind]) {
        case 0: s.faults.pressure = .init(kind: .stuck, from: at)
        case 1: s.faults.pressure = .init(kind: .drift(perSecond: Kilopascals(scaled(size, -300...300))), from: at)
        case 2: s.faults.pressure = .init(kind: .dropout, from: at)
        case 3: s.faults.pressure = .init(kind: .noiseBurst(standardDeviation: Kilopascals(scaled(size, 20...300))),
                                          from: at, until: at + .seconds(3))
        case 4:
            s.controller.positionSensorFitted = true
            s.faults.missedSteps = .init(kind: scaled(size, 0.05...0.5), from: at)
        case 5: s.host.lostAfterStart = at
        default: s.faults.stuckInput = .init(kind: .init(name: .enable, level: .active), from: at)
        }
    }

    /// The largest opening volume a scenario file takes (`leaks[].opensAtFilledVolume`).
    /// A deep entrance with a shallow tip can lie beyond it (up to 49 mL); no syringe
    /// holds that much, so such a route never opens either way, and clamping it keeps
    /// every searched scenario writable as a file.
    static let largestOpening = Microliters(30_000)

    /// The bin of seven a coordinate falls in (1 itself belongs to the last).
    static func faultKind(_ u: Double) -> Int { min(6, Int(u * 7)) }
}

/// `u` in [0, 1] mapped linearly onto `range`.
@inline(__always) func scaled(_ u: Double, _ range: ClosedRange<Double>) -> Double {
    range.lowerBound + (range.upperBound - range.lowerBound) * u
}
