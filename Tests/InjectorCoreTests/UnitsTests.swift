import Testing
@testable import InjectorCore

@Suite struct UnitsTests {
    @Test func volumePerStepFollowsBorePitchAndMicrostepping() {
        let g = DriveGeometry(syringeInnerDiameter: Millimeters(14.5), leadScrewPitch: Millimeters(1),
                              fullStepsPerRevolution: 200, microstepping: 16)
        // π·14.5²/4 = 165.13 mm² per mm of travel; 3200 microsteps per mm.
        #expect(abs(g.volumePerStep.rawValue - 165.1300 / 3200) < 1e-4)
        #expect(g.steps(for: .milliliters(1)) == Steps(19378))
        #expect(abs(g.volume(of: Steps(3200)).rawValue - 165.13) < 0.01)
        let rate = g.stepRate(for: .millilitersPerMinute(4))
        #expect(abs(g.flow(for: rate).rawValue - 66.667) < 0.001)
    }

    @Test func plungerForceMatchesTheBrief() {
        // Brief: ≈ 31 N on a 1 mL syringe and ≈ 280 N on a 10 mL syringe at 1.7 MPa.
        let small = DriveGeometry(syringeInnerDiameter: Millimeters(4.8), leadScrewPitch: Millimeters(1),
                                  fullStepsPerRevolution: 200, microstepping: 1)
        let large = DriveGeometry(syringeInnerDiameter: Millimeters(14.5), leadScrewPitch: Millimeters(1),
                                  fullStepsPerRevolution: 200, microstepping: 1)
        #expect(abs(small.force(for: .megapascals(1.7)).rawValue - 30.76) < 0.1)
        #expect(abs(large.force(for: .megapascals(1.7)).rawValue - 280.7) < 0.5)
        #expect(abs(large.pressure(for: Newtons(280.7)).rawValue - 1700) < 3)
    }

    @Test func stepsForVolumeNeverOvershoot() {
        let g = DriveGeometry(syringeInnerDiameter: Millimeters(8.7), leadScrewPitch: Millimeters(0.8),
                              fullStepsPerRevolution: 200, microstepping: 8)
        for v in stride(from: 0.0, through: 500, by: 7.3) {
            #expect(g.volume(of: g.steps(for: Microliters(v))) <= Microliters(v + 1e-9))
        }
    }

    @Test func quantitiesFormatWithTheirUnits() {
        #expect(Microliters(1500).description == "1500 µL")
        #expect(Kilopascals(12.25).description == "12.25 kPa")
        #expect(Interval.milliseconds(1.5).description == "0.002 s")
        #expect(MicrolitersPerSecond.millilitersPerMinute(3).description == "50 µL/s")
        #expect(Microliters.milliliters(4.4).milliliters == 4.4)
    }

    @Test func timeArithmetic() {
        let t = Instant(nanoseconds: 5_000_000_000)
        #expect((t + .milliseconds(2)) - t == .milliseconds(2))
        #expect(Hertz(1000).period == Interval(nanoseconds: 1_000_000))
        #expect(Interval.minutes(1) == .seconds(60))
    }
}
