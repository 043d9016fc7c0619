import InjectorCore
import InjectorPlant
import Testing
@testable import InjectorSimulation

/// The scenario keys for issue 12's relations: cement class, yield stress and syringe
/// temperature, bone failure, venous pressure, a route's entry limit.
@Suite struct ScenarioPhysicsKeysTests {
    func parse(_ yaml: String) throws -> Scenario {
        try ScenarioFile.parse(shippedController + yaml, directory: scenarioDirectory)
    }

    @Test func theNewKeysReachThePlant() throws {
        let s = try parse("""
            cement: {ageAtStart: 300 s, viscosity: high, syringeTemperature: 25 °C}
            patient: {tipPosition: 0.55, boneFailurePressure: 2.5 MPa}
            venous: {breathingAmplitude: 0.6 kPa, breathingPeriod: 5 s, valsalvaFrom: 10 s, valsalvaUntil: 14 s, valsalvaPressure: 90 mmHg}
            leaks:
              - {path: vein, opensAtFilledVolume: 800 µL, entryYieldStress: 2 kPa}
            """)
        #expect(s.plant.cement.yieldStress == CementRheology.highViscosity.yieldStress)
        #expect(s.plant.cement.curing.syringeTemperature == Celsius(25))
        #expect(s.plant.body.front.tipPosition == 0.55)
        #expect(s.plant.body.failure?.pressure == Kilopascals(2500))
        #expect(s.plant.venous.breathingAmplitude == Kilopascals(0.6))
        let v = try #require(s.plant.venous.valsalva)
        // Scenario times count from the scheduled start (300 s after mixing).
        #expect(v.from == .seconds(310) && v.until == .seconds(314))
        #expect(abs(v.pressure.rawValue - 12.0) < 0.01)
        #expect(s.plant.leaks.vein.entryYieldStress == Kilopascals(2))
    }

    @Test func badValuesAreNamed() {
        func field(_ yaml: String) -> String? {
            do { _ = try parse(yaml); return nil } catch let e as ScenarioError { return e.field } catch { return nil }
        }
        #expect(field("cement: {viscosity: medium}\n") == "cement.viscosity")
        #expect(field("cement: {syringeTemperature: 80 °C}\n") == "cement.syringeTemperature")
        #expect(field("venous: {valsalvaFrom: 10 s}\n") == "venous.valsalvaFrom")
        #expect(field("venous: {valsalvaFrom: 10 s, valsalvaUntil: 5 s}\n") == "venous.valsalvaUntil")
        #expect(field("patient: {boneFailurePressure: 3}\n") == "patient.boneFailurePressure")
    }

    @Test func boneFailsCanBeTurnedOff() throws {
        #expect(try parse("patient: {boneFails: false}\n").plant.body.failure == nil)
        #expect(try parse("name: x\n").plant.body.failure == BoneFailure())
    }
}
