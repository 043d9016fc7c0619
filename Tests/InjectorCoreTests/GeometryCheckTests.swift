import Testing
@testable import InjectorCore

/// The priming signature and the load cell's area, on synthetic readings (issue 9
/// finding 2; the plant-level runs are in `WrongGeometryTests`).
@Suite struct GeometryCheckTests {
    /// Feeds `watch` a reading per µL primed, from 0 to `upTo`; returns where it fired.
    func prime(_ watch: inout NeedleFillWatch, upTo: Double, reading: (Double) -> Double) -> Double? {
        var v = 0.0
        while v <= upTo {
            if watch.observe(primed: Microliters(v), reading: Kilopascals(reading(v))) { return v }
            v += 0.5
        }
        return nil
    }

    @Test func theTipIsSeenWhereTheReadingStopsRisingWithVolume() throws {
        var watch = NeedleFillWatch(compliance: MicrolitersPerKilopascal(0))
        // 1 kPa/µL while 600 µL fill, then 0.05 kPa/µL: a full needle.
        let firedAt = prime(&watch, upTo: 900) { v in v <= 600 ? v : 600 + 0.05 * (v - 600) }
        let fired = try #require(firedAt)
        #expect(fired > 600 && fired < 600 + NeedleFillWatch.window.rawValue, "seen at \(fired) µL")
        let tip = try #require(watch.tipReachedAt)
        #expect(abs(tip.rawValue - 600) < 6, "measured \(tip)")
    }

    @Test func theSyringesStoredVolumeIsTakenOffTheTipVolume() throws {
        var watch = NeedleFillWatch(compliance: MicrolitersPerKilopascal(0.03))
        _ = prime(&watch, upTo: 900) { v in v <= 600 ? v : 600 }
        let tip = try #require(watch.tipReachedAt)
        #expect(abs(tip.rawValue - (600 - 0.03 * 600)) < 6, "measured \(tip)")
    }

    /// A steady fill, however noisy within a few kPa, and a rise too faint to read give no verdict.
    @Test func aSteadyFillOrAFaintRiseGivesNoVerdict() {
        var steady = NeedleFillWatch(compliance: MicrolitersPerKilopascal(0.03))
        var seed: UInt64 = 7
        let noisy = prime(&steady, upTo: 1_800) { v in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return 0.2 * v + Double(seed >> 60) * 0.4 - 3   // 8G-like: 0.2 kPa/µL, ±3 kPa
        }
        #expect(noisy == nil)
        var faint = NeedleFillWatch(compliance: MicrolitersPerKilopascal(0))
        #expect(prime(&faint, upTo: 900) { v in v <= 600 ? 0.1 * v : 60 } == nil)
    }

    @Test func theLoadCellsRiseOverTheTransducersIsTheAreaRatio() throws {
        var watch = PlungerAreaWatch()
        #expect(watch.areaRatio == nil)
        for v in stride(from: 0.0, through: 900, by: 1) {
            let p = v
            // 30 kPa of seal friction while pushing, read through an area 22 % too small.
            watch.observe(primed: Microliters(v), pressure: Kilopascals(p), twin: Kilopascals((p + 30) * 1.218))
        }
        let ratio = try #require(watch.areaRatio)
        #expect(abs(ratio - 1.218) < 1e-9)
    }
}
