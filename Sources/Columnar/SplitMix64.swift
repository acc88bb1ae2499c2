/// SplitMix64 (Steele, Lea and Flood; constants as Vigna publishes them): a small, fully
/// specified generator, so the same seed gives the same stream on every machine. It seeds the
/// dataset generator's xoshiro256** and makes the fixed buffers of kernel tests and benchmarks.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
