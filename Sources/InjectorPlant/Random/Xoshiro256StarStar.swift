/// xoshiro256** (Blackman & Vigna 2018): the simulator's only source of randomness.
///
/// A value type with no global state: one seed reproduces a run bit for bit, because
/// every draw below is defined here rather than by the standard library (whose
/// `random(in:using:)` algorithms may change between releases). Gaussian draws go
/// through the C library's `log`, so across platforms they may differ in the last bit;
/// on one platform they repeat exactly.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Equatable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64
    /// The second normal deviate of the last polar pair, kept so that pairs are not wasted.
    @usableFromInline var spareGaussian: Double?

    /// Seeds the 256-bit state from one 64-bit seed through SplitMix64.
    public init(seed: UInt64) {
        var mix = SplitMix64(seed: seed)
        s0 = mix.next(); s1 = mix.next(); s2 = mix.next(); s3 = mix.next()
        spareGaussian = nil
        // SplitMix64 never yields four zeros in a row, the one state xoshiro cannot leave.
        precondition(s0 | s1 | s2 | s3 != 0, "xoshiro256** state must not be all zero")
    }

    /// A generator with its raw state given, for checking against the reference outputs.
    init(state s0: UInt64, _ s1: UInt64, _ s2: UInt64, _ s3: UInt64) {
        precondition(s0 | s1 | s2 | s3 != 0, "xoshiro256** state must not be all zero")
        self.s0 = s0; self.s1 = s1; self.s2 = s2; self.s3 = s3
        spareGaussian = nil
    }

    @inlinable public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform draw in [0, 1) with 53 random bits.
    @inlinable public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform draw in `range`.
    @inlinable public mutating func uniform(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }

    /// A standard normal draw (mean 0, standard deviation 1), by Marsaglia's polar
    /// method: one logarithm per pair and no sine or cosine.
    public mutating func gaussian() -> Double {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        // A point in the unit disc; about 21 % are rejected, so 64 tries never all fail in practice.
        for _ in 0..<64 {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let s = u * u + v * v
            guard s > 0, s < 1 else { continue }
            let factor = (-2 * Libm.log(s) / s).squareRoot()
            spareGaussian = v * factor
            return u * factor
        }
        preconditionFailure("64 points in a row outside the unit disc: the generator is broken")
    }

    /// A normal draw with the given mean and standard deviation.
    public mutating func gaussian(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * gaussian()
    }

    /// An independent generator for one component (a sensor, a campaign run), seeded
    /// from this stream so that adding a component does not shift the others' draws.
    @inlinable public mutating func fork() -> Xoshiro256StarStar {
        Xoshiro256StarStar(seed: next())
    }
}

@inlinable func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
}
