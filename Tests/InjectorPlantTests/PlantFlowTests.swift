import InjectorCore
import Testing
@testable import InjectorPlant

/// A primed plant with paste cement, the usual start for the flow tests.
func primedPlant(age: Double = 8, _ adjust: (inout PlantParameters) -> Void = { _ in }) -> VertebroplastyPlant {
    var p = PlantParameters()
    p.cementAgeAtStart = .minutes(age)
    p.needle.primedAtStart = true
    adjust(&p)
    return VertebroplastyPlant(parameters: p)
}

/// Every microlitre the plunger displaced is somewhere: compressed, in the needle, in the
/// body or leaked. `primed`: the needle held its dead volume before the plunger moved.
func expectConserved(_ s: PlantState, primed: Microliters = .milliliters(0.9),
                     sourceLocation: SourceLocation = #_sourceLocation) {
    let accounted = s.storedVolume + s.needleFill - primed + s.deliveredToBody + s.leakedTotal
    #expect(abs((accounted - s.displacedVolume).rawValue) < 1e-6, sourceLocation: sourceLocation)
}

@Suite struct PlantFlowTests {
    @Test func steadyInjectionDeliversThePlungerRateAndConservesVolume() {
        var plant = primedPlant()
        ConstantRateInjection(flow: MicrolitersPerSecond(70), duration: .seconds(20)).run(&plant) { expectConserved($0) }
        let s = plant.state
        // The compliance time constant is well under a second: flow has caught up with the plunger.
        #expect(abs(s.needleFlow.rawValue - 70) < 1)
        #expect(s.bodyFlow == s.needleFlow)
        #expect(s.syringePressure > s.tipPressure)
        #expect(s.peakSyringePressure >= s.syringePressure)
    }

    @Test func storedVolumeKeepsFlowingAfterTheMotorStops() {
        var plant = primedPlant()
        var atStop: PlantState?
        var previous = Kilopascals.megapascals(100)
        ConstantRateInjection(flow: MicrolitersPerSecond(70), duration: .seconds(10), hold: .seconds(3)).run(&plant) { s in
            guard s.time > .origin + .seconds(10) else { return }
            if atStop == nil { atStop = s }
            // Plunger still: the compliance empties into the body, pressure only falls.
            #expect(s.syringePressure <= previous)
            previous = s.syringePressure
        }
        let stop = atStop!
        #expect(stop.needleFlow.rawValue > 30)
        #expect(plant.state.deliveredToBody.rawValue > stop.deliveredToBody.rawValue + 20)
        #expect(plant.state.displacedVolume == stop.displacedVolume)
        expectConserved(plant.state)
    }

    @Test func backingOffDropsPressureToTheFloorAndLeavesAGap() {
        var plant = primedPlant()
        ConstantRateInjection(flow: MicrolitersPerSecond(70), duration: .seconds(10)).run(&plant)
        let position = plant.state.commandedSteps
        let geometry = plant.parameters.driveGeometry
        let back = position - geometry.steps(for: Microliters(300))
        plant.advance(to: plant.state.time + .milliseconds(1), commandedSteps: back)
        #expect(plant.state.syringePressure == plant.parameters.syringe.compliance.suctionFloor)
        #expect(plant.state.needleFlow == .zero)
        #expect(plant.state.gap.rawValue > 200)
        let body = plant.state.deliveredToBody
        plant.advance(to: plant.state.time + .seconds(1), commandedSteps: back)
        #expect(plant.state.deliveredToBody == body)
        expectConserved(plant.state)
        // Forward again: the gap closes before pressure returns.
        plant.advance(to: plant.state.time + .milliseconds(1), commandedSteps: back + geometry.steps(for: Microliters(100)))
        #expect(plant.state.syringePressure.rawValue < 0)
    }

    @Test func largeStepsStayStableWithLiquidCement() {
        // Liquid cement at 1 min: the compliance time constant is far below 100 ms.
        var fine = primedPlant(age: 1)
        var coarse = primedPlant(age: 1)
        ConstantRateInjection(flow: MicrolitersPerSecond(70), duration: .seconds(5)).run(&fine)
        ConstantRateInjection(flow: MicrolitersPerSecond(70), duration: .seconds(5), tick: .milliseconds(100))
            .run(&coarse) { s in
                #expect(s.syringePressure.rawValue >= 0)
                #expect(s.needleFlow.rawValue <= 70 * 1.01)
            }
        #expect(abs(coarse.state.syringePressure / fine.state.syringePressure - 1) < 0.05)
        expectConserved(coarse.state)
    }

    @Test func theNeedleFillsBeforeCementReachesTheBody() {
        var p = PlantParameters()
        p.cementAgeAtStart = .minutes(6)
        var plant = VertebroplastyPlant(parameters: p)
        ConstantRateInjection(flow: MicrolitersPerSecond(150), duration: .seconds(5)).run(&plant) { expectConserved($0, primed: .zero) }
        #expect(plant.state.deliveredToBody == .zero)
        #expect(plant.state.needleFill.rawValue > 700)
        ConstantRateInjection(flow: MicrolitersPerSecond(150), duration: .seconds(10))
            .run(&plant) { expectConserved($0, primed: .zero) }
        #expect(abs((plant.state.needleFill - p.needle.deadVolume).rawValue) < 1e-9)
        #expect(plant.state.deliveredToBody.rawValue > 400)
    }

    @Test func settingOccludesTheNeedleAndTheMotorOnlyRaisesPressure() {
        var plant = primedPlant(age: 14.9)
        ConstantRateInjection(flow: MicrolitersPerSecond(70), duration: .seconds(12)).run(&plant)
        let s = plant.state
        #expect(s.isOccluded)
        #expect(s.needleFlow == .zero)
        // After setting at 6 s, the plunger's 6 s × 70 µL/s all went into the compliance.
        #expect(s.storedVolume.rawValue > 400)
        #expect(s.syringePressure.rawValue > 8000)
        expectConserved(s)
    }

    @Test func posteriorQuarterIsAnEventWithATime() {
        var plant = primedPlant(age: 6)
        ConstantRateInjection(flow: MicrolitersPerSecond(70), duration: .seconds(90)).run(&plant)
        let reached = try! #require(plant.state.posteriorQuarterReachedAt)
        // 5.14 mL at ~70 µL/s: about 74 s, a little later for the compliance's lag.
        #expect(reached > .origin + .seconds(73) && reached < .origin + .seconds(76))
        #expect(plant.state.frontPosition > 0.75)
    }
}
