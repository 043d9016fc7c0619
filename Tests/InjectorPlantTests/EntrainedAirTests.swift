import InjectorCore
import Testing
@testable import InjectorPlant

/// Air mixed into the cement is a nonlinear store (Boyle's law): it makes the syringe
/// softer at low pressure and gives back its compressed volume as after-flow.
@Suite struct EntrainedAirTests {
    static let air = Microliters(150)   // 3 % of a 5 mL fill: a hand-mixed cement

    @Test func pressureAndStoredVolumeAreInversesOfEachOther() {
        let syringe = SyringeCompliance(entrainedAir: Self.air)
        for kPa in [0.5, 10, 100, 500, 1_000, 3_500, 8_000] {
            let stored = syringe.stored(at: Kilopascals(kPa))
            #expect(abs(syringe.pressure(stored: stored).rawValue - kPa) < 1e-9 * max(1, kPa), "at \(kPa) kPa")
        }
        // Boyle: at 1 MPa the air has shrunk to P₀/(P₀ + p) of its volume.
        let expected = 0.05 * 1_000 + 150 * 1_000 / (101.325 + 1_000)
        #expect(abs(syringe.stored(at: Kilopascals(1_000)).rawValue - expected) < 1e-9)
        // Without air, the linear store, bit for bit.
        let dry = SyringeCompliance()
        #expect(dry.pressure(stored: Microliters(50)) == SyringeCompliance(entrainedAir: .zero).pressure(stored: Microliters(50)))
        #expect(dry.stored(at: Kilopascals(700)) == Microliters(0.05 * 700))
    }

    @Test func aStopWithAirInTheCementAfterFlowsWhatTheStoreGivesBack() {
        func run(air: Microliters) -> (afterFlow: Double, expected: Double, atStop: PlantState) {
            var plant = primedPlant { $0.syringe.compliance.entrainedAir = air }
            var atStop: PlantState?
            ConstantRateInjection(flow: MicrolitersPerSecond(70), duration: .seconds(10), hold: .seconds(5))
                .run(&plant) { s in
                    if s.time > .origin + .seconds(10), atStop == nil { atStop = s }
                    expectConserved(s)
                }
            let stop = atStop!, end = plant.state
            let out = { (s: PlantState) in (s.deliveredToBody + s.leakedTotal).rawValue }
            let syringe = plant.parameters.syringe.compliance
            let released = syringe.stored(at: stop.syringePressure) - syringe.stored(at: end.syringePressure)
            return (out(end) - out(stop), released.rawValue, stop)
        }
        let dry = run(air: .zero)
        let wet = run(air: Self.air)
        // The after-flow is what the store held at the stop less what it holds at the end.
        #expect(abs(wet.afterFlow - wet.expected) < 0.01)
        #expect(abs(dry.afterFlow - dry.expected) < 0.01)
        // Air makes the after-flow larger at the same rate and cement (47 → 62 µL in 5 s
        // after a stop at 70 µL/s; the gas gives back the rest as the pressure falls further).
        #expect(wet.afterFlow > 1.2 * dry.afterFlow, "with air \(wet.afterFlow) µL, without \(dry.afterFlow) µL")
        #expect(wet.atStop.storedVolume > dry.atStop.storedVolume)
    }
}
