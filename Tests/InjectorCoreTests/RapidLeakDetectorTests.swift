import Foundation
import Testing
@testable import InjectorCore

/// The fast stage of leak detection (issue 9, finding 6): a fall of a few per cent in
/// tens of milliseconds at a steady push, seen through the transducer's noise.
@Suite struct RapidLeakDetectorTests {
    let spec = FaultSpec()

    /// Gaussian noise from a fixed seed (64-bit LCG, Box–Muller): the same every run.
    struct Noise {
        var state: UInt64
        mutating func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(state >> 11) + 0.5) / 9_007_199_254_740_992
        }
        mutating func gaussian(sd: Double) -> Double {
            sd * (-2 * Foundation.log(uniform())).squareRoot() * Foundation.cos(2 * Double.pi * uniform())
        }
    }

    /// Feeds `pressure(t)` (t in ms) at 1 kHz with flow `flow(t)` and the transducer's
    /// 2 kPa noise; returns the first millisecond it fires.
    func firstDetection(ms: Int, seed: UInt64 = 1, pressure: (Int) -> Double,
                        flow: (Int) -> Double = { _ in 66.7 }) -> Int? {
        var d = RapidLeakDetector(spec: spec)
        var noise = Noise(state: seed)
        for t in 0..<ms {
            let reading = pressure(t) + noise.gaussian(sd: 2)
            if d.observe(at: Instant(nanoseconds: Int64(t) * 1_000_000), pressure: Kilopascals(reading),
                         flow: MicrolitersPerSecond(flow(t))) { return t }
        }
        return nil
    }

    /// Seed case 2's signature: rising at 0.2 kPa/ms to 1 055 kPa, then falling at
    /// 1 kPa/ms once the tract opens at t = 500 ms.
    func caseTwo(_ t: Int) -> Double { t < 500 ? 955 + 0.2 * Double(t) : 1055 - 1.0 * Double(t - 500) }

    @Test func aLeakOpeningIsSeenWithinThirtyMilliseconds() throws {
        let t = try #require(firstDetection(ms: 1000, pressure: caseTwo))
        #expect(t >= 500 && t <= 530, "fired at \(t) ms")
    }

    @Test func noiseAtASteadyOrRisingPushNeverFires() {
        // A minute of injection each: flat at 400 kPa (the minimum drop rules there) and
        // at 1.5 MPa (the fraction rules), and rising, over several seeds.
        for seed in UInt64(1)...5 {
            #expect(firstDetection(ms: 60_000, seed: seed, pressure: { _ in 400 }) == nil)
            #expect(firstDetection(ms: 60_000, seed: seed, pressure: { _ in 1500 }) == nil)
            #expect(firstDetection(ms: 60_000, seed: seed, pressure: { 300 + 0.02 * Double($0) }) == nil)
        }
    }

    /// The push slowed (as near the pressure limit) from 66.7 to 16.7 µL/s at 300 µL/s²
    /// from t = 1 s: the pressure relaxes from 3 MPa toward a quarter of it with the time
    /// constant τ of needle and syringe. Whatever τ, that is not a leak.
    func slowedPush(tau: Double) -> (pressure: (Int) -> Double, flow: (Int) -> Double) {
        let rampEnds = 1000.0 + 50 / 0.3
        let flow: (Int) -> Double = { t in t < 1000 ? 66.7 : Swift.max(16.7, 66.7 - 0.3 * Double(t - 1000)) }
        let pressure: (Int) -> Double = { t in
            guard Double(t) > rampEnds else { return 3000 }
            return 750 + 2250 * Foundation.exp(-(Double(t) - rampEnds) / (tau * 1000))
        }
        return (pressure, flow)
    }

    @Test(arguments: [0.05, 0.2, 0.5, 1.0, 2.0, 5.0, 11.0])
    func aPushThatSlowedRelaxesWithoutFiring(tau: Double) {
        let push = slowedPush(tau: tau)
        #expect(firstDetection(ms: 12_000, pressure: push.pressure, flow: push.flow) == nil, "τ = \(tau) s")
    }

    @Test func aLeakAfterTheSlowdownHasSettledIsSeen() {
        // The same slowed push (τ = 1 s), and a path opening at t = 4 s: 1 kPa/ms down.
        let push = slowedPush(tau: 1)
        let pressure: (Int) -> Double = { t in t < 4000 ? push.pressure(t) : push.pressure(4000) - Double(t - 4000) }
        let t = firstDetection(ms: 5000, pressure: pressure, flow: push.flow)
        #expect(t.map { $0 >= 4000 && $0 <= 4040 } == true, "fired at \(String(describing: t)) ms")
    }

    @Test func aFallBelowTheMinimumPeakOrDropIsIgnored() {
        // From 250 kPa (below faults.leakMinimumPeak) and a 10 kPa dip at 400 kPa
        // (2.5 %, but under faults.leakRapidMinimumDrop).
        #expect(firstDetection(ms: 1000, pressure: { $0 < 500 ? 250 : 200 }) == nil)
        #expect(firstDetection(ms: 1000, pressure: { $0 < 500 ? 400 : 390 }) == nil)
        #expect(firstDetection(ms: 1000, pressure: { $0 < 500 ? 400 : 380 }) != nil)
    }

    @Test func aStopForgetsTheWindow() {
        var d = RapidLeakDetector(spec: spec)
        for t in 0..<100 {
            _ = d.observe(at: Instant(nanoseconds: Int64(t) * 1_000_000), pressure: Kilopascals(1000),
                          flow: MicrolitersPerSecond(66.7))
        }
        #expect(d.isArmed)
        d.reset()
        #expect(!d.isArmed)
        // After the reset a lower level is the new start, not a fall from the old one.
        var fired = false
        for t in 100..<200 {
            fired = fired || d.observe(at: Instant(nanoseconds: Int64(t) * 1_000_000), pressure: Kilopascals(800),
                                       flow: MicrolitersPerSecond(66.7))
        }
        #expect(!fired)
    }
}
