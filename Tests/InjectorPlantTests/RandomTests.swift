import Foundation
import Testing
@testable import InjectorPlant

@Suite struct RandomTests {
    @Test func splitMixMatchesTheReferenceOutputForSeedZero() {
        var mix = SplitMix64(seed: 0)
        // First output of the reference splitmix64.c from state 0.
        #expect(mix.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func xoshiroMatchesTheReferenceOutputsFromStateOneToFour() {
        var rng = Xoshiro256StarStar(state: 1, 2, 3, 4)
        // By hand: rotl(2·5, 7)·9 = 1280·9 = 11520; then s1 becomes 0, so the second is 0.
        #expect(rng.next() == 11520)
        #expect(rng.next() == 0)
        #expect(rng.next() == 1_509_978_240)
        #expect(rng.next() == 1_215_971_899_390_074_240)
    }

    @Test func oneSeedReproducesTheStreamAndAnotherDoesNot() {
        var a = Xoshiro256StarStar(seed: 42)
        var b = Xoshiro256StarStar(seed: 42)
        var c = Xoshiro256StarStar(seed: 43)
        let first = (0..<100).map { _ in a.next() }
        #expect(first == (0..<100).map { _ in b.next() })
        #expect(first != (0..<100).map { _ in c.next() })
    }

    @Test func uniformDrawsStayInTheUnitIntervalAndAverageOneHalf() {
        var rng = Xoshiro256StarStar(seed: 7)
        var sum = 0.0
        for _ in 0..<100_000 {
            let u = rng.uniform()
            #expect(u >= 0 && u < 1)
            sum += u
        }
        #expect(abs(sum / 100_000 - 0.5) < 0.005)
    }

    @Test func gaussianDrawsHaveTheRequestedMeanAndSpread() {
        var rng = Xoshiro256StarStar(seed: 11)
        let draws = (0..<100_000).map { _ in rng.gaussian(mean: 3, standardDeviation: 2) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count)
        #expect(abs(mean - 3) < 0.03)
        #expect(abs(variance.squareRoot() - 2) < 0.03)
    }

    /// The standard normal CDF, Φ(z) = erfc(−z/√2)/2.
    func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.squareRoot()) }

    @Test func gaussianDrawsFollowTheNormalDistributionBinByBin() {
        // 1 000 000 draws into 40 bins of width 0.25 over (−5, 5) plus two tails: Pearson's
        // χ² with 41 degrees of freedom exceeds 80 with probability about 2e-4; a wrong
        // table entry, a layer drawn twice as often or a missing sign moves it into the
        // thousands.
        var rng = Xoshiro256StarStar(seed: 2025)
        let n = 1_000_000
        var counts = [Int](repeating: 0, count: 42)
        var sum = 0.0, squares = 0.0, fourth = 0.0
        for _ in 0..<n {
            let z = rng.gaussian()
            sum += z; squares += z * z; fourth += z * z * z * z
            counts[z < -5 ? 0 : z >= 5 ? 41 : 1 + min(39, Int((z + 5) / 0.25))] += 1
        }
        var chiSquare = 0.0
        for (bin, observed) in counts.enumerated() {
            let lower = bin == 0 ? -Double.infinity : -5 + Double(bin - 1) * 0.25
            let upper = bin == 41 ? Double.infinity : -5 + Double(bin) * 0.25
            let expected = Double(n) * (normalCDF(upper) - normalCDF(lower))
            chiSquare += (Double(observed) - expected) * (Double(observed) - expected) / max(expected, 1)
        }
        #expect(chiSquare < 80)
        #expect(abs(sum / Double(n)) < 0.005)
        #expect(abs(squares / Double(n) - 1) < 0.01)
        #expect(abs(fourth / Double(n) - 3) < 0.05)
    }

    @Test func gaussianTailsBeyondTheZigguratBaseHaveTheNormalWeight() {
        // Beyond r ≈ 3.654 the draws come from the tail sampler only: P(|z| > r) = 2.58e-4
        // and P(|z| > 4.5) = 6.8e-6 of 4 000 000 draws, about 1 032 and 27 (±3 σ below).
        var rng = Xoshiro256StarStar(seed: 77)
        let n = 4_000_000
        var beyondR = 0, beyond45 = 0, negative = 0
        for _ in 0..<n {
            let z = rng.gaussian()
            if abs(z) > Ziggurat.tailStart {
                beyondR += 1
                if z < 0 { negative += 1 }
            }
            if abs(z) > 4.5 { beyond45 += 1 }
        }
        let expectedR = Double(n) * 2 * (1 - normalCDF(Ziggurat.tailStart))
        let expected45 = Double(n) * 2 * (1 - normalCDF(4.5))
        #expect(abs(Double(beyondR) - expectedR) < 3 * expectedR.squareRoot())
        #expect(abs(Double(beyond45) - expected45) < 3.5 * expected45.squareRoot() + 1)
        #expect(abs(Double(negative) - Double(beyondR) / 2) < 3 * (Double(beyondR) / 4).squareRoot())
    }

    @Test func zigguratTablesSatisfyTheirDefiningEquations() {
        let x = Ziggurat.x, f = Ziggurat.f, r = Ziggurat.tailStart, v = Ziggurat.layerArea
        #expect(x.count == 257 && f.count == 257)
        #expect(x[1] == r && x[256] == 0 && f[256] == 1)
        // The base strip: r·f(r) plus the tail's area is v, and x_0 = v/f(r).
        let tail = (Double.pi / 2).squareRoot() * erfc(r / 2.squareRoot())
        #expect(abs(r * exp(-r * r / 2) + tail - v) < 1e-15)
        #expect(abs(x[0] * exp(-r * r / 2) - v) < 1e-16)
        for i in 0...256 { #expect(abs(f[i] - exp(-x[i] * x[i] / 2)) <= 1e-15 * f[i]) }
        // Every other layer has area v.
        for i in 1...255 {
            #expect(x[i] > x[i + 1])
            #expect(abs(x[i] * (f[i + 1] - f[i]) - v) < 1e-13)
        }
    }

    @Test func forkedStreamsDifferFromTheirParent() {
        var parent = Xoshiro256StarStar(seed: 5)
        var child = parent.fork()
        #expect(child.next() != parent.next())
    }
}
