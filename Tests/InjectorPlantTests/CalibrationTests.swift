import InjectorCore
import Testing
@testable import InjectorPlant

/// The model against the published figures of the domain brief (section 3). Each test
/// states the figure, the tolerance, and how the comparison is set up.
@Suite struct CalibrationTests {
    /// Peak syringe and tip pressure for 4.5 mL at 70 µL/s with cement `age` minutes old.
    func nominalInjection(age: Double) -> (peak: Kilopascals, tip: Kilopascals) {
        var plant = primedPlant(age: age)
        var peak = PlantState?.none
        ConstantRateInjection(flow: MicrolitersPerSecond(70), duration: .seconds(4500.0 / 70)).run(&plant) { s in
            if s.syringePressure > (peak?.syringePressure ?? .zero) { peak = s }
        }
        return (peak!.syringePressure, peak!.tipPressure)
    }

    @Test func cannulaTakesAbout95PercentOfThePressure() {
        // Baroud & Steffen 2005: ~95 %. Tolerance ±3 points, over the working phase.
        for age in [5.0, 8.0, 9.5] {
            let (peak, tip) = nominalInjection(age: age)
            let share = 1 - tip / peak
            #expect(share > 0.92 && share < 0.98, "cannula share \(share) at \(age) min")
        }
    }

    @Test func peakPressureOfPasteCementIsInTheClinicalRange() {
        // Krebs et al. 2005: 1.7 MPa typical, up to 3.2 MPa, higher later after mixing.
        let typical = nominalInjection(age: 8).peak
        #expect(typical > .megapascals(1.4) && typical < .megapascals(2.1), "peak \(typical)")
        let late = nominalInjection(age: 9.5).peak
        #expect(late > typical && late < .megapascals(3.5), "late peak \(late)")
    }

    @Test func doublingTheProximalBoreCutsDeliveryPressureAsReported() {
        // Baroud & Steffen 2005: doubling the proximal cannula bore, −63 % delivery pressure.
        // Their proximal share of the length is not in the brief. With n = 0.4 a doubled
        // segment carries 2^−2.2 = 0.218 of its drop, so −63 % needs ~80 % of the length
        // doubled; we take 80 % and check −63 % ± 5 points, tip pressure included.
        let k = PascalSecondsToTheN(1500)
        let q = MicrolitersPerSecond(70)
        let tip = Kilopascals(75)
        func drop(_ bore: Double, _ length: Double) -> Kilopascals {
            PowerLawTube.pressureDrop(flow: q, consistency: k, flowIndex: 0.4, bore: Millimeters(bore),
                                      length: Millimeters(length))
        }
        let original = drop(2.39, 127) + tip
        let stepped = drop(4.78, 127 * 0.8) + drop(2.39, 127 * 0.2) + tip
        let change = stepped / original - 1
        #expect(abs(change + 0.63) < 0.05, "change \(change)")
    }

    @Test func cementInjectedLaterLeaksLess() {
        // Habib et al.: bench leak 4.0 g at 3.5 min vs 2.6 g at 9.5 min (ratio 0.65).
        // Same open vein preset (4 mm × 10 mm, 1 kPa venous) from the start, 4 mL at 70 µL/s.
        // Ratio tolerance 0.50–0.80.
        func leaked(age: Double) -> Microliters {
            var plant = primedPlant(age: age) { $0.leaks.vein = .vein(opensAbove: .zero) }
            ConstantRateInjection(flow: MicrolitersPerSecond(70), duration: .seconds(4000.0 / 70)).run(&plant)
            return plant.state.leakedTotal
        }
        let early = leaked(age: 3.5)
        let late = leaked(age: 9.5)
        let ratio = late / early
        #expect(ratio > 0.5 && ratio < 0.8, "late/early leak \(ratio) (\(late) / \(early))")
    }
}
