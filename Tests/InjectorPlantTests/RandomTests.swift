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

    @Test func forkedStreamsDifferFromTheirParent() {
        var parent = Xoshiro256StarStar(seed: 5)
        var child = parent.fork()
        #expect(child.next() != parent.next())
    }
}
