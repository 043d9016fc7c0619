import InjectorCore
import Testing
@testable import InjectorPlant

/// Calibration targets that describe a series of patients rather than one injection.
extension CalibrationTests {
    /// Krebs et al. 2005's series as the model sees it: `patients` seeded patients, cement
    /// injected in the working phase (6.0–9.0 min after mixing, uniform), osteoporotic
    /// bone (log10 k uniform in −8.5…−7.4 m²), 4.5 mL at 4 mL/min through the primed 11G
    /// needle; peak syringe pressure of each (MPa). A 10 ms step (the flow solve is
    /// implicit; against 1 ms the peak moves by < 0.5 %, `aCoarserStepKeepsThePeak`).
    func krebsPeaks(patients: Int, seed: UInt64 = 2005) -> [Double] {
        var r = Xoshiro256StarStar(seed: seed)
        return (0..<patients).map { _ in
            let age = r.uniform(in: 6.0...9.0)
            let k = SquareMeters(pow10(r.uniform(in: -8.5 ... -7.4)))
            var plant = primedPlant(age: age) { $0.body.permeability = k }
            ConstantRateInjection(flow: .millilitersPerMinute(4), duration: .seconds(4.5 * 15), tick: .milliseconds(10))
                .run(&plant)
            return plant.state.peakSyringePressure.rawValue / 1000
        }
    }

    @Test func krebsSeriesPeakPressures() {
        // Krebs et al. 2005: 1.69 ± 0.65 MPa, maximum 3.2 MPa. Tolerances: mean ± 0.2 MPa,
        // SD 0.5–0.8 MPa, no patient above 3.2 MPa.
        let peaks = krebsPeaks(patients: 120)
        let mean = peaks.reduce(0, +) / Double(peaks.count)
        let sd = (peaks.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(peaks.count - 1)).squareRoot()
        let highest = peaks.max() ?? 0
        #expect(abs(mean - 1.7) <= 0.2, "mean peak \(mean) MPa")
        #expect(sd >= 0.5 && sd <= 0.8, "SD \(sd) MPa")
        #expect(highest <= 3.2, "maximum \(highest) MPa")
    }

    @Test func aCoarserStepKeepsThePeak() {
        func peak(_ tick: Interval) -> Double {
            var plant = primedPlant(age: 8.5) { $0.body.permeability = SquareMeters(1e-8) }
            ConstantRateInjection(flow: .millilitersPerMinute(4), duration: .seconds(67.5), tick: tick).run(&plant)
            return plant.state.peakSyringePressure.rawValue
        }
        let fine = peak(.milliseconds(1)), coarse = peak(.milliseconds(10))
        #expect(abs(coarse / fine - 1) < 0.005, "1 ms \(fine) kPa, 10 ms \(coarse) kPa")
    }

    @Test func boneFailsAboveThreeMegapascalsAndThePressureStopsClimbing() throws {
        // Dense bone, late cement, fast flow: the tip passes 3 MPa, the bed splits.
        func run(_ failure: BoneFailure?) -> VertebroplastyPlant {
            var plant = primedPlant(age: 9) { p in
                p.body.permeability = SquareMeters(3e-10)
                p.body.failure = failure
            }
            ConstantRateInjection(flow: MicrolitersPerSecond(90), duration: .seconds(60), tick: .milliseconds(5))
                .run(&plant)
            return plant
        }
        let intact = run(nil), failing = run(BoneFailure())
        let failedAt = try #require(failing.state.boneFailedAt)
        #expect(failedAt > .origin)
        #expect(intact.state.boneFailedAt == nil)
        #expect(intact.state.peakSyringePressure > .megapascals(5), "intact \(intact.state.peakSyringePressure)")
        #expect(failing.state.peakSyringePressure < intact.state.peakSyringePressure - .megapascals(0.5),
                "failing \(failing.state.peakSyringePressure), intact \(intact.state.peakSyringePressure)")
        #expect(failing.state.tipPressure < .megapascals(3))
    }
}

private func pow10(_ x: Double) -> Double { Libm.pow(10, x) }
