import InjectorCore
import Testing
@testable import InjectorPlant

@Suite struct TrabecularDarcyTests {
    @Test func frontRadiusHoldsTheFilledVolumeInThePores() {
        // r_f = ∛(r0³ + 3V/(4πφ)) = ∛(2³ + 3·2000/(4π·0.85)) mm = 8.290 mm.
        let rf = TrabecularDarcy.frontRadius(filled: .milliliters(2), cavityRadius: Millimeters(2), porosity: 0.85)
        #expect(abs(rf.rawValue - 8.290) < 0.001)
    }

    @Test func newtonianCaseIsSphericalDarcy() {
        // μQ/(4πk)·(1/r0 − 1/r_f) = 100·7e-8/(4π·4e-8)·(500 − 120.63) = 5.283 kPa.
        let drop = TrabecularDarcy.pressureDrop(flow: MicrolitersPerSecond(70), consistency: PascalSecondsToTheN(100),
                                                flowIndex: 1, permeability: SquareMeters(4e-8), porosity: 0.85,
                                                cavityRadius: Millimeters(2), filled: .milliliters(2))
        #expect(abs(drop.rawValue - 5.283) < 0.001)
    }

    @Test func resistanceGrowsWithFilledVolume() {
        func drop(_ mL: Double) -> Double {
            TrabecularDarcy.pressureDrop(flow: MicrolitersPerSecond(70), consistency: PascalSecondsToTheN(1000),
                                         flowIndex: 0.4, permeability: SquareMeters(4e-8), porosity: 0.85,
                                         cavityRadius: Millimeters(2), filled: .milliliters(mL)).rawValue
        }
        #expect(drop(0) == 0)
        #expect(drop(0.5) < drop(2))
        #expect(drop(2) < drop(5))
    }

    @Test func indexOneHalfUsesTheLogarithmicLimit() {
        let nearHalf = TrabecularDarcy.radialIntegral(innerRadius: 0.002, frontRadius: 0.008, flowIndex: 0.5 + 1e-7)
        let half = TrabecularDarcy.radialIntegral(innerRadius: 0.002, frontRadius: 0.008, flowIndex: 0.5)
        #expect(abs(half - Libm.log(4)) < 1e-12)
        #expect(abs(nearHalf / half - 1) < 1e-5)
    }
}

@Suite struct CementFrontTests {
    let front = CementFrontGeometry()

    @Test func frontStartsAtTheTipAndReachesTheWall() {
        #expect(front.position(filled: .zero) == 0.3)
        #expect(abs(front.position(filled: .milliliters(4)) - 0.65) < 1e-12)
        #expect(front.position(filled: .milliliters(8)) == 1)
        #expect(front.position(filled: .milliliters(12)) == 1)
    }

    @Test func posteriorQuarterIsReachedAtAHandComputedVolume() {
        // (0.75 − 0.3)/(1 − 0.3) · 8 mL = 5.143 mL.
        let volume = front.volume(toReach: CementFrontGeometry.posteriorQuarter)
        #expect(abs(volume.rawValue - 5142.857) < 0.01)
        #expect(VertebralBodyParameters().anteriorCapacity == volume)
    }

    @Test func shapeExponentBendsTheFront() {
        let sphere = CementFrontGeometry(shapeExponent: 1.0 / 3)
        // x = 0.3 + 0.7·(1/8)^(1/3) = 0.65.
        #expect(abs(sphere.position(filled: .milliliters(1)) - 0.65) < 1e-12)
        #expect(abs(sphere.volume(toReach: 0.65).rawValue - 1000) < 1e-6)
    }
}

@Suite struct CanalThermalTests {
    @Test func canalPeaksAtThePeakAgeForAFullFrontAndReferenceVolume() {
        let thermal = CanalThermalModel()
        let peak = thermal.canalTemperature(age: .minutes(15), filled: .milliliters(4.4), frontPosition: 1)
        #expect(abs(peak.rawValue - 57) < 1e-9)
        let before = thermal.canalTemperature(age: .minutes(5), filled: .milliliters(4.4), frontPosition: 1)
        #expect(before.rawValue < 45 && before.rawValue > 37)
        #expect(thermal.canalTemperature(age: .minutes(15), filled: .zero, frontPosition: 1).rawValue == 37)
    }
}

@Suite struct SyringeComplianceTests {
    let syringe = SyringeCompliance()

    @Test func pressureIsStoredVolumeOverCompliance() {
        // 50 µL / 0.05 µL/kPa = 1000 kPa.
        #expect(abs(syringe.pressure(stored: Microliters(50)).rawValue - 1000) < 1e-9)
        #expect(syringe.stored(at: Kilopascals(1000)) == Microliters(50))
    }

    @Test func backingOffStopsAtTheSuctionFloorAndLeavesAGap() {
        #expect(abs(syringe.pressure(stored: Microliters(-0.2)).rawValue + 4) < 1e-9)
        #expect(syringe.pressure(stored: Microliters(-30)) == Kilopascals(-10))
        // Floor holds −0.5 µL; the remaining 29.5 µL is gap.
        #expect(abs(syringe.gap(stored: Microliters(-30)).rawValue - 29.5) < 1e-9)
        #expect(syringe.gap(stored: Microliters(10)) == .zero)
    }
}
