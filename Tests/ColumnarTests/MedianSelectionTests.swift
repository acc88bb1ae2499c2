import Columnar
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
        var generator = SystemRandomNumberGenerator()
        for pool in [3, 1000] {
            let values = (0..<length).map { _ in Double(Int.random(in: 0..<pool, using: &generator)) / 2 }
            let groups = (0..<length).map { _ in Int32.random(in: -1..<4, using: &generator) }
            let medians = GroupedStatistics.medians(values: values, validity: nil, groupIds: groups, groupCount: 4)
            for group in 0..<4 {
                let members = zip(values, groups).filter { $0.1 == Int32(group) }.map(\.0)
                #expect(medians[group] == Self.reference(members), "length \(length), pool \(pool), group \(group)")
            }
        }
    }
}
