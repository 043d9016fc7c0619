import InjectorCore
import Testing
@testable import InjectorPlant

/// The relations issue 12 added to the leak paths: entry by yield stress, venous
/// back-pressure with breathing and Valsalva, epidural routes at ordinary volumes.
@Suite struct LeakEntryTests {
    @Test func aCohesiveCementPassesByARouteItsYieldKeepsItOutOf() {
        func run(_ cement: CementRheology) -> VertebroplastyPlant {
            var plant = primedPlant(age: 6) { p in
                p.cement = cement
                var tract = LeakPathParameters.needleTract(opensAt: Microliters(500))
                tract.entryYieldStress = Kilopascals(0.5)
                p.leaks.needleTract = tract
            }
            ConstantRateInjection(flow: MicrolitersPerSecond(70), duration: .seconds(20), tick: .milliseconds(2))
                .run(&plant)
            return plant
        }
        let cohesive = run(.highViscosity), liquid = run(.lowViscosity)
        // τ_y at 6 min: 0.39 kPa · e^(180/150) ≈ 1.3 kPa, above the 0.5 kPa limit.
        #expect(cohesive.passedBy.needleTract)
        #expect(!cohesive.state.leaks.needleTract.isOpen && cohesive.state.leakedTotal == .zero)
        #expect(!liquid.passedBy.needleTract && liquid.state.leaks.needleTract.isOpen)
        #expect(liquid.state.leaks.needleTract.leaked > Microliters(100))
    }

    @Test func interdigitationLowersALeaksShareAsTheCementThickens() {
        // With 1 + K/K_c on the channel the late share falls below the share without it.
        func share(_ entry: LeakEntry, age: Double) -> Double {
            var plant = primedPlant(age: age) { p in
                p.body.leakEntry = entry
                p.leaks.vein = .vein(opensAbove: .zero)
            }
            ConstantRateInjection(flow: MicrolitersPerSecond(70), duration: .seconds(40), tick: .milliseconds(2))
                .run(&plant)
            return plant.state.leakedTotal / (plant.state.leakedTotal + plant.state.deliveredToBody)
        }
        let late = share(LeakEntry(), age: 10), lateFlat = share(.none, age: 10)
        let early = share(LeakEntry(), age: 3.5), earlyFlat = share(.none, age: 3.5)
        #expect(late < lateFlat - 0.03, "late \(late) against \(lateFlat)")
        #expect(abs(early - earlyFlat) < abs(late - lateFlat), "early \(early)/\(earlyFlat)")
    }

    /// A liquid cement into a vein open from the start: the vein's flow each step.
    func veinFlows(_ venous: VenousPressure, seconds: Double = 24) -> [(Instant, Double)] {
        var plant = primedPlant(age: 4) { p in
            p.venous = venous
            p.leaks.vein = .vein(opensAbove: .zero)
        }
        var flows: [(Instant, Double)] = []
        ConstantRateInjection(flow: MicrolitersPerSecond(40), duration: .seconds(seconds), tick: .milliseconds(5))
            .run(&plant) { flows.append(($0.time, $0.leaks.vein.flow.rawValue)) }
        return flows
    }

    @Test func aValsalvaRaisesTheVenousPressureAndSlowsAVeinLeak() {
        // 12 kPa (90 mmHg) from 10 to 16 s: the vein's exit rises above the body's 3 kPa,
        // so the vein's share of the flow falls while it lasts.
        let flows = veinFlows(VenousPressure(valsalva: ValsalvaManoeuvre(from: .seconds(10), until: .seconds(16))))
        func mean(_ from: Double, _ to: Double) -> Double {
            let w = flows.filter { $0.0 > .origin + .seconds(from) && $0.0 <= .origin + .seconds(to) }.map(\.1)
            return w.reduce(0, +) / Double(w.count)
        }
        let before = mean(6, 10), during = mean(12, 16), after = mean(18, 22)
        #expect(during < before * 0.7, "vein flow before \(before), during \(during) µL/s")
        #expect(after > during, "after \(after) µL/s")
    }

    @Test func breathingMovesAVeinLeakEitherWay() {
        // Against still venous pressure the vein takes more while the venous pressure is
        // below its mean and less while it is above, one 4 s breath after another.
        let breathing = veinFlows(VenousPressure(), seconds: 16), still = veinFlows(.still, seconds: 16)
        let difference = zip(breathing, still).filter { $0.0.0 > .origin + .seconds(8) }.map { $0.0.1 - $0.1.1 }
        #expect((difference.max() ?? 0) > 2 && (difference.min() ?? 0) < -2,
                "vein flow, breathing − still: \(difference.min() ?? 0) … \(difference.max() ?? 0) µL/s")
    }

    @Test func anEpiduralRouteOpensBeforeTheFrontReachesThePosteriorQuarter() throws {
        var plant = primedPlant(age: 6) { p in
            p.body.front.tipPosition = 0.5
            p.leaks.epidural = .epiduralRoute(opensAt: Microliters(1_500))
        }
        ConstantRateInjection(flow: MicrolitersPerSecond(70), duration: .seconds(40), tick: .milliseconds(2)).run(&plant)
        let opened = try #require(plant.state.leaks.epidural.openedAt)
        // At 1.5 mL with the tip at 0.5 the front is at 0.59: short of the posterior quarter.
        #expect(plant.parameters.body.front.position(filled: Microliters(1_500)) < 0.75)
        #expect(opened < .origin + .seconds(30))
        #expect(plant.state.leaks.epidural.leaked > Microliters(100))
    }
}
