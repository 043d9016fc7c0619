import InjectorCore
import Testing
@testable import InjectorPlant

/// The drive-line faults (H11, H12) and the injected needle block.
@Suite struct DriveLineFaultTests {
    static func drive() -> LeadScrewDrive {
        let g = PlantParameters.lumbarNominal.driveGeometry
        return LeadScrewDrive(geometry: g, backlash: .zero, usableVolume: Microliters(9_000), missedSteps: nil)
    }

    @Test func anInvertedDirTurnsTheScrewBackwardsFromItsOnset() {
        var d = Self.drive()
        d.move(toCommanded: Steps(100), at: .origin + .seconds(1), loaded: true)
        d.inject(TimedDriveLineFault(.directionInverted, from: .origin + .seconds(2)))
        d.move(toCommanded: Steps(200), at: .origin + .seconds(2), loaded: true)
        #expect(d.commanded == Steps(200))
        #expect(d.plungerSteps == 0)  // 100 forward, then 100 commanded forward went back
        #expect(d.uncommandedSteps == -200)
    }

    @Test func aTogglingStepLineMovesOnlyWhileTheDriverIsEnabled() {
        var d = Self.drive()
        d.inject(TimedDriveLineFault(.stepLineToggling(stepsPerSecond: 1_000), from: .origin))
        d.move(toCommanded: .zero, at: .origin + .seconds(1), loaded: true, driverEnabled: false, over: 1)
        #expect(d.plungerSteps == 0)
        d.move(toCommanded: .zero, at: .origin + .seconds(2), loaded: true, driverEnabled: true, over: 1)
        #expect(d.plungerSteps == 1_000)
        #expect(d.commanded == .zero)
    }

    @Test func aBlockedNeedleHoldsTheStoredVolume() {
        var plant = VertebroplastyPlant(parameters: .lumbarNominal)
        var now = Instant.origin
        let g = PlantParameters.lumbarNominal.driveGeometry
        // Fill the needle and push 100 µL more, then block it and push on.
        let primed = g.steps(for: PlantParameters.lumbarNominal.needle.deadVolume + Microliters(100))
        for i in 1...4_000 {
            now = .origin + .milliseconds(Double(i))
            plant.advance(to: now, commandedSteps: Steps(primed.count * Int64(i) / 4_000))
        }
        plant.blockNeedle(from: now)
        let before = plant.state.deliveredToBody
        for i in 1...1_000 {
            now = now + .milliseconds(1)
            plant.advance(to: now, commandedSteps: Steps(primed.count + Int64(i)))
        }
        #expect(plant.state.isOccluded)
        #expect(plant.state.deliveredToBody == before)
    }
}
