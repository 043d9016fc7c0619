/// SplitMix64 (Steele, Lea & Flood 2014): a tiny generator used only to spread one
/// 64-bit seed over the 256-bit state of `Xoshiro256StarStar`, as its authors advise,
/// so that neighbouring seeds give unrelated streams.
public struct SplitMix64: Sendable, Equatable {
    @usableFromInline var state: UInt64

    @inlinable public init(seed: UInt64) { self.state = seed }

    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
