import Columnar
import Kernels
import Testing

/// Grouped medians by quickselect against the plain definition (sort, take the middle).
@Suite struct MedianSelectionTests {
    static func reference(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted(), n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : sorted[n / 2 - 1] + (sorted[n / 2] - sorted[n / 2 - 1]) / 2
    }

    @Test(arguments: [0, 1, 2, 3, 15, 16, 17, 63, 64, 65, 1000])
    func matchesSortingOnRandomAndRepeatedValues(length: Int) {
        var generator = SplitMix64(seed: UInt64(length) &+ 15)
        for pool in [3, 1000] {
            let values = (0..<length).map { _ in Double(Int.random(in: 0..<pool, using: &generator)) / 2 }
            let groups = (0..<length).map { _ in Int32.random(in: -1..<4, using: &generator) }
            let medians = GroupedStatistics.medians(values: ColumnBuffer(values), validity: nil, groupIds: ColumnBuffer(groups), groupCount: 4)
            for group in 0..<4 {
                let members = zip(values, groups).filter { $0.1 == Int32(group) }.map(\.0)
                #expect(medians[group] == Self.reference(members), "length \(length), pool \(pool), group \(group)")
            }
        }
    }

    /// Groups large enough for the bucket pass, over value sets that stress its key: one-decimal
    /// scores, negatives and zeros of both signs, infinities, values spanning the whole range of
    /// doubles, all equal, and one outlier far from a tight cluster.
    @Test(arguments: [63, 64, 65, 127, 128, 129, 1000, 5001])
    func bucketedMedianMatchesSorting(length: Int) {
        var generator = SplitMix64(seed: UInt64(length))
        let draws: [(String, () -> Double)] = [
            ("scores", { Double(Int.random(in: 0...1000, using: &generator)) / 10 }),
            ("signed", { [-2.5, -0.0, 0.0, 1.5, -1e-300, 3][Int.random(in: 0..<6, using: &generator)] }),
            ("infinite", { [-Double.infinity, Double.infinity, 7, -7][Int.random(in: 0..<4, using: &generator)] }),
            ("wide", { Double(sign: Bool.random(using: &generator) ? .minus : .plus, exponent: Int.random(in: -1000...1000, using: &generator),
                              significand: 1 + Double.random(in: 0..<1, using: &generator)) }),
            ("equal", { 42.25 }),
            ("outlier", { Int.random(in: 0..<50, using: &generator) == 0 ? 1e12 : 60 + Double(Int.random(in: 0..<3, using: &generator)) / 10 }),
        ]
        for (name, draw) in draws {
            let values = (0..<length).map { _ in draw() }
            // One group holds every value; a second holds every other value (an even/odd mix).
            let groups = (0..<length).map { Int32($0 % 2) }
            let whole = GroupedStatistics.medians(values: ColumnBuffer(values), validity: nil, groupIds: ColumnBuffer([Int32](repeating: 0, count: length)), groupCount: 1)
            #expect(whole[0] == Self.reference(values), Comment(rawValue: "\(name), length \(length)"))
            let halves = GroupedStatistics.medians(values: ColumnBuffer(values), validity: nil, groupIds: ColumnBuffer(groups), groupCount: 2)
            for group in 0..<2 {
                let members = zip(values, groups).filter { $0.1 == Int32(group) }.map(\.0)
                #expect(halves[group] == Self.reference(members), Comment(rawValue: "\(name), length \(length), group \(group)"))
            }
        }
    }
}
