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

    /// Habib et al. 2010's bench: a vein open from the start, 4 mL at 70 µL/s; leaked volume.
    func habibLeak(_ cement: CementRheology, age: Double) -> Microliters {
        var plant = primedPlant(age: age) { p in
            p.cement = cement
            p.leaks.vein = .vein(opensAbove: .zero)
        }
        ConstantRateInjection(flow: MicrolitersPerSecond(70), duration: .seconds(4000.0 / 70)).run(&plant)
        return plant.state.leakedTotal
    }

    @Test func lowViscosityCementInjectedLaterLeaksLess() {
        // Habib et al. 2010: low viscosity, 2.6 g at 9.5 min against 4.0 g at 3.5 min, 0.65 ± 20 %.
        let ratio = habibLeak(.lowViscosity, age: 9.5) / habibLeak(.lowViscosity, age: 3.5)
        #expect(abs(ratio / 0.65 - 1) <= 0.2, "low viscosity 9.5/3.5 min: \(ratio)")
    }

    @Test func highViscosityCementLeaksLessThanLow() {
        // Habib et al. 2010: high against low viscosity at 3.5 min, 0.375 ± 20 %.
        let ratio = habibLeak(.highViscosity, age: 3.5) / habibLeak(.lowViscosity, age: 3.5)
        #expect(abs(ratio / 0.375 - 1) <= 0.2, "high/low at 3.5 min: \(ratio)")
    }

    @Test func highViscosityCementInjectedLaterLeaksLess() {
        // Habib et al. 2010: high viscosity 6.5 against 3.5 min, 0.61 ± 20 %.
        let ratio = habibLeak(.highViscosity, age: 6.5) / habibLeak(.highViscosity, age: 3.5)
        #expect(abs(ratio / 0.61 - 1) <= 0.2, "high viscosity 6.5/3.5 min: \(ratio)")
    }

    @Test func withoutInterdigitationAndYieldTheLeakShareStaysHigh() {
        // The model before issue 12: one consistency for every branch, no yield stress. The
        // high/low ratio is then about 1 (0.375 published), the relations' whole effect.
        var flat = CementRheology.highViscosity
        flat.yieldStress = .zero
        func leak(_ cement: CementRheology) -> Microliters {
            var plant = primedPlant(age: 3.5) { p in
                p.cement = cement
                p.body.leakEntry = .none
                p.leaks.vein = .vein(opensAbove: .zero)
            }
            ConstantRateInjection(flow: MicrolitersPerSecond(70), duration: .seconds(4000.0 / 70)).run(&plant)
            return plant.state.leakedTotal
        }
        let ratio = leak(flat) / leak(.lowViscosity)
        #expect(ratio > 0.85, "high/low without the relations: \(ratio)")
    }

    @Test func cementHardensInAbout11MinutesAt37Degrees() {
        // Hindawi ISRN 2011: hardening at 37 °C ~11 min; tolerance ±2 min. Slower at room
        // temperature in the syringe (brief: 10–15 min).
        let cement = CementRheology()
        let body = cement.settingAge(at: Celsius(37))
        #expect(abs(body.seconds / 60 - 11) <= 2, "hardening at 37 °C: \(body.seconds / 60) min")
        let syringe = cement.settingAge(at: cement.curing.syringeTemperature)
        #expect(syringe > body + .minutes(2), "syringe \(syringe.seconds / 60) min, body \(body.seconds / 60) min")
    }

    @Test func aWarmSyringeSetsSooner() {
        // The cement's clock runs at r(T): a syringe at 30 °C occludes the needle earlier.
        func occludedAt(_ temperature: Double) -> Instant? {
            var plant = primedPlant(age: 10) { $0.cement.curing.syringeTemperature = Celsius(temperature) }
            var first: Instant?
            ConstantRateInjection(flow: MicrolitersPerSecond(5), duration: .seconds(360), tick: .milliseconds(10))
                .run(&plant) { s in if first == nil, s.isOccluded { first = s.time } }
            return first
        }
        let room = occludedAt(21), warm = occludedAt(30)
        #expect(room.map { abs(($0 - .origin).seconds - 300) < 0.1 } ?? false, "21 °C: \(String(describing: room))")
        #expect(warm.map { $0 < .origin + .seconds(200) } ?? false, "30 °C: \(String(describing: warm))")
    }
}
