import Columnar

/// The generator's only source of randomness: xoshiro256** seeded through SplitMix64.
///
/// Both are fully specified integer algorithms (Blackman and Vigna), so the same seed gives the
/// same stream on every machine. Every draw below uses integer arithmetic or the four IEEE
/// operations and `sqrt`, which are correctly rounded everywhere; no `log`, `exp` or `pow`,
/// whose last bits may differ between C libraries.
struct SeededGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init(seed: UInt64) {
        var splitMix = SplitMix64(seed: seed)
        state = (splitMix.next(), splitMix.next(), splitMix.next(), splitMix.next())
    }

    /// A generator for one purpose, independent of how much another purpose has drawn.
    init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    @inline(__always)
    private func rotateLeft(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }

    /// A uniform integer in 0..<bound (Lemire's multiply-shift; the tiny bias is irrelevant here).
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform double in [0, 1) from the top 53 bits.
    @inline(__always)
    mutating func unit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// True with probability `numerator / denominator`.
    @inline(__always)
    mutating func chance(_ numerator: Int, in denominator: Int) -> Bool {
        below(denominator) < numerator
    }

    /// An approximately normal value (Irwin–Hall: the sum of twelve uniforms, minus six).
    mutating func normal(mean: Double, deviation: Double) -> Double {
        var sum = 0.0
        for _ in 0..<12 { sum += unit() }
        return mean + (sum - 6) * deviation
    }

    /// An element of `array`.
    mutating func pick<T>(_ array: [T]) -> T {
        array[below(array.count)]
    }
}

/// Draws indices with given weights by binary search over the cumulative weights.
struct WeightedPicker {
    private let cumulative: [Double]

    init(weights: [Double]) {
        precondition(!weights.isEmpty)
        var running = 0.0
        cumulative = weights.map { weight in
            running += weight
            return running
        }
    }

    var count: Int { cumulative.count }

    func pick(_ generator: inout SeededGenerator) -> Int {
        let target = generator.unit() * cumulative[cumulative.count - 1]
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Zipf-like weights 1/(k+1)^s computed with square roots only: s is 0.5, 1 or 1.5 here.
    static func zipfWeights(count: Int, exponentHalves: Int) -> [Double] {
        (0..<count).map { index in
            let k = Double(index + 1)
            switch exponentHalves {
            case 1: return 1 / k.squareRoot()
            case 2: return 1 / k
            default: return 1 / (k * k.squareRoot())
            }
        }
    }
}
