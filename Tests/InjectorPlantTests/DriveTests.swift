import InjectorCore
import Testing
@testable import InjectorPlant

@Suite struct LeadScrewDriveTests {
    let geometry = PlantParameters().driveGeometry

    func drive(backlash: Double = 0, missed: MissedStepFault? = nil, usable: Double = 10) -> LeadScrewDrive {
        LeadScrewDrive(geometry: geometry, backlash: Millimeters(backlash), usableVolume: .milliliters(usable),
                       missedSteps: missed)
    }

    @Test func oneMicrostepDisplacesAreaTimesTravel() {
        // π·14.5²/4 = 165.13 mm² × 1 mm / 3200 = 0.05160 µL per microstep.
        var d = drive()
        d.move(toCommanded: Steps(3200), at: .origin, loaded: false)
        #expect(abs(d.displacedVolume.rawValue - 165.13) < 0.01)
        #expect(abs(d.travel.rawValue - 1) < 1e-12)
    }

    @Test func unloadedReversalCrossesTheBacklashFirst() {
        // 0.05 mm of play is 160 microsteps.
        var d = drive(backlash: 0.05)
        d.move(toCommanded: Steps(1000), at: .origin, loaded: false)
        d.move(toCommanded: Steps(900), at: .origin, loaded: false)
        #expect(d.plungerSteps == 1000)
        d.move(toCommanded: Steps(700), at: .origin, loaded: false)
        #expect(d.plungerSteps == 860)
        d.move(toCommanded: Steps(800), at: .origin, loaded: false)
        #expect(d.plungerSteps == 860)
        d.move(toCommanded: Steps(900), at: .origin, loaded: false)
        #expect(d.plungerSteps == 900)
    }

    @Test func pressureHoldsTheNutOnTheForwardFlank() {
        var d = drive(backlash: 0.05)
        d.move(toCommanded: Steps(1000), at: .origin, loaded: true)
        d.move(toCommanded: Steps(900), at: .origin, loaded: true)
        #expect(d.plungerSteps == 900)
    }

    @Test func missedStepsLoseTheirShareFromTheFaultOn() {
        var d = drive(missed: MissedStepFault(from: Instant(nanoseconds: 10), lostFraction: 0.25))
        d.move(toCommanded: Steps(400), at: .origin, loaded: false)
        d.move(toCommanded: Steps(800), at: Instant(nanoseconds: 10), loaded: false)
        #expect(d.plungerSteps == 700)
        #expect(d.lostSteps == 100)
        #expect(d.commanded == Steps(800))
    }

    @Test func theSyringeEndStallsTheScrew() {
        var d = drive(usable: 1)
        let end = d.travelLimitSteps
        d.move(toCommanded: Steps(Int64(end) + 500), at: .origin, loaded: true)
        #expect(d.plungerSteps == end)
        #expect(d.atForwardEnd)
        #expect(abs(d.lostSteps - (Double(Int64(end) + 500) - end)) < 1e-9)
    }
}
