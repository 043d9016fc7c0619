import InjectorCore
import Testing
@testable import InjectorPlant

@Suite struct PowerLawTubeTests {
    let bore = Millimeters(2.39)
    let length = Millimeters(127)
    let flow = MicrolitersPerSecond(70)

    @Test func powerLawDropMatchesAHandComputedCase() {
        // K = 1000 Pa·s^0.4, R = 1.195 mm, L = 127 mm, Q = 70 µL/s:
        // γ̇_w = 5.5 · 7e-8 / (π·1.195e-3³) = 71.81 s⁻¹; Δp = 2·1000·0.127/1.195e-3 · 71.81^0.4 = 1174.76 kPa.
        let drop = PowerLawTube.pressureDrop(flow: flow, consistency: PascalSecondsToTheN(1000), flowIndex: 0.4,
                                             bore: bore, length: length)
        #expect(abs(drop.rawValue - 1174.76) < 0.05)
        #expect(abs(PowerLawTube.wallShearRate(flow: flow, bore: bore, flowIndex: 0.4) - 71.81) < 0.01)
    }

    @Test func newtonianHagenPoiseuilleMatchesAHandComputedCase() {
        // 128 · 100 Pa·s · 0.127 m · 7e-8 m³/s / (π · (2.39e-3 m)⁴) = 1110.12 kPa.
        let drop = PowerLawTube.newtonianPressureDrop(flow: flow, viscosity: 100, bore: bore, length: length)
        #expect(abs(drop.rawValue - 1110.12) < 0.05)
    }

    @Test func powerLawWithIndexOneIsHagenPoiseuille() {
        for mu in [1.0, 37.0, 2500.0] {
            let general = PowerLawTube.pressureDrop(flow: flow, consistency: PascalSecondsToTheN(mu), flowIndex: 1,
                                                    bore: bore, length: length)
            let newtonian = PowerLawTube.newtonianPressureDrop(flow: flow, viscosity: mu, bore: bore, length: length)
            #expect(abs(general.rawValue / newtonian.rawValue - 1) < 1e-12)
        }
    }

    @Test func flowInvertsThePressureDrop() {
        let k = PascalSecondsToTheN(800)
        let drop = PowerLawTube.pressureDrop(flow: flow, consistency: k, flowIndex: 0.4, bore: bore, length: length)
        let back = PowerLawTube.flow(pressureDrop: drop, consistency: k, flowIndex: 0.4, bore: bore, length: length)
        #expect(abs(back.rawValue - 70) < 1e-9)
    }

    @Test func doublingTheWholeBoreScalesTheDropByTwoToMinusThreeNPlusOne() {
        let k = PascalSecondsToTheN(1000)
        let narrow = PowerLawTube.pressureDrop(flow: flow, consistency: k, flowIndex: 0.4, bore: bore, length: length)
        let wide = PowerLawTube.pressureDrop(flow: flow, consistency: k, flowIndex: 0.4,
                                             bore: Millimeters(4.78), length: length)
        #expect(abs(wide / narrow - Libm.pow(2, -2.2)) < 1e-12)
    }
}

@Suite struct CementRheologyTests {
    let cement = CementRheology()

    @Test func consistencyGrowsByEPerTimeConstant() {
        #expect(abs(cement.consistency(atAge: .minutes(3)).rawValue - 130) < 1e-9)
        let later = cement.consistency(atAge: .minutes(3) + .seconds(150)).rawValue
        #expect(abs(later / 130 - 2.718281828459045) < 1e-12)
    }

    @Test func ageInvertsConsistency() {
        let age = cement.age(atConsistency: PascalSecondsToTheN(1500))
        #expect(abs(cement.consistency(atAge: age).rawValue - 1500) < 1e-6)
    }

    @Test func apparentViscosityMatchesTheBriefsEstimates() {
        // ~10 Pa·s at 2–4 min and past 10³ Pa·s near setting (10–15 min), at the 11G
        // needle's wall shear rate at 0.07 mL/s.
        let shear = PowerLawTube.wallShearRate(flow: MicrolitersPerSecond(70), bore: Millimeters(2.39), flowIndex: 0.4)
        let early = cement.apparentViscosity(consistency: cement.consistency(atAge: .minutes(3)), shearRate: shear)
        let late = cement.apparentViscosity(consistency: cement.consistency(atAge: .minutes(15)), shearRate: shear)
        #expect(early > 5 && early < 20)
        #expect(late > 1000)
    }

    @Test func cementSetsAtTheSettingAge() {
        #expect(!cement.hasSet(atAge: .minutes(14.99)))
        #expect(cement.hasSet(atAge: .minutes(15)))
    }
}

@Suite struct HalfIntegerPowerTests {
    @Test func agreesWithPowForHalfIntegerAndOtherExponents() {
        for exponent in [1.0, 2.0, 2.5, 1 / 0.3, 4.0, 5.5] {
            let power = HalfIntegerPower(exponent)
            for x in [0.0, 1e-12, 0.37, 1, 2.2, 1e6] {
                let expected = Libm.pow(x, exponent)
                #expect(abs(power(x) - expected) <= 1e-13 * max(1, expected), "\(x)^\(exponent)")
            }
        }
    }
}
