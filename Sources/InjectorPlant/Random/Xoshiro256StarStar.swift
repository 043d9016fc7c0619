/// xoshiro256** (Blackman & Vigna 2018): the simulator's only source of randomness.
///
/// A value type with no global state: one seed reproduces a run bit for bit, because
/// every draw below is defined here rather than by the standard library (whose
/// `random(in:using:)` algorithms may change between releases). Gaussian draws call the
/// C library's `exp` and `log` on their rare slow paths (about 1 draw in 80), so across
/// platforms they may differ in the last bit; on one platform they repeat exactly.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Equatable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// Seeds the 256-bit state from one 64-bit seed through SplitMix64.
    public init(seed: UInt64) {
        var mix = SplitMix64(seed: seed)
        s0 = mix.next(); s1 = mix.next(); s2 = mix.next(); s3 = mix.next()
        // SplitMix64 never yields four zeros in a row, the one state xoshiro cannot leave.
        precondition(s0 | s1 | s2 | s3 != 0, "xoshiro256** state must not be all zero")
    }

    /// A generator with its raw state given, for checking against the reference outputs.
    init(state s0: UInt64, _ s1: UInt64, _ s2: UInt64, _ s3: UInt64) {
        precondition(s0 | s1 | s2 | s3 != 0, "xoshiro256** state must not be all zero")
        self.s0 = s0; self.s1 = s1; self.s2 = s2; self.s3 = s3
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

    /// A standard normal draw (mean 0, standard deviation 1), by the 256-layer ziggurat
    /// (Marsaglia & Tsang 2000; tables in `Ziggurat`). One 64-bit draw gives the layer
    /// (bits 0–7), the sign (bit 8) and a 52-bit uniform (bits 12–63); about 99 % of draws
    /// end there with a multiply and a comparison. The rest go to `gaussianBeyondBox`,
    /// which samples the wedge under the curve or the tail beyond r exactly, so the draws
    /// are standard normal up to the 52-bit resolution of the uniform.
    @inline(__always) public mutating func gaussian() -> Double {
        let bits = next()
        let layer = Int(truncatingIfNeeded: bits & 0xFF)
        let x = Ziggurat.x[layer] * (Double(bitPattern: bits >> 12 | 0x3FF0_0000_0000_0000) - 1)
        guard x < Ziggurat.x[layer + 1] else { return gaussianBeyondBox(bits) }
        return Double(bitPattern: x.bitPattern | (bits & 0x100) << 55)
    }

    /// The ziggurat's slow path, from a draw `bits` whose point fell outside its layer's
    /// inner box: accept it under the curve (the wedge) or in the tail, else draw afresh.
    @inline(never) mutating func gaussianBeyondBox(_ first: UInt64) -> Double {
        var bits = first
        for _ in 0..<64 {
            let layer = Int(truncatingIfNeeded: bits & 0xFF)
            let x = Ziggurat.x[layer] * (Double(bitPattern: bits >> 12 | 0x3FF0_0000_0000_0000) - 1)
            let sign = (bits & 0x100) << 55
            if x < Ziggurat.x[layer + 1] { return Double(bitPattern: x.bitPattern | sign) }
            if layer == 0 {
                // Beyond r (Marsaglia 1964): r + a with a exponential of rate r, kept with
                // probability exp(−a²/2).
                let r = Ziggurat.tailStart
                while true {
                    let a = -Libm.log(uniformAboveZero()) / r
                    let b = -Libm.log(uniformAboveZero())
                    if 2 * b >= a * a { return Double(bitPattern: (r + a).bitPattern | sign) }
                }
            }
            // The wedge: a height uniform over the layer, kept below f(x).
            let low = Ziggurat.f[layer], high = Ziggurat.f[layer + 1]
            if low + (high - low) * uniform() < Libm.exp(-0.5 * x * x) {
                return Double(bitPattern: x.bitPattern | sign)
            }
            bits = next()
        }
        preconditionFailure("64 ziggurat draws in a row rejected: the generator is broken")
    }

    /// A uniform draw in (0, 1] with 53 random bits.
    @inline(__always) mutating func uniformAboveZero() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
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

@inlinable @inline(__always) func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
}
