@testable import Columnar
@testable import Kernels
import Testing

@Suite struct SmallestKeysTests {
    /// Each group's rows by sorting the whole group: the definition the kernel must meet.
    static func reference(keys: [UInt64], groups: [Int32], limits: [Int]) -> [[Int32]] {
        var buckets = [[Int]](repeating: [], count: limits.count)
        for row in keys.indices where groups[row] >= 0 { buckets[Int(groups[row])].append(row) }
        return limits.indices.map { group in
            let members = buckets[group].sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
            let limit = limits[group]
            guard limit > 0 else { return [] }
            guard members.count > limit else { return members.map { Int32($0) } }
            let last = keys[members[limit - 1]]
            return members.filter { keys[$0] <= last }.map { Int32($0) }
        }
    }

    static func both(keys: [UInt64], groups: [Int32], limits: [Int], width: Int = 2) -> (simd: [[Int32]], scalar: [[Int32]]) {
        (SmallestKeys.select(keys: keys, groups: groups, limits: limits, width: width),
         SmallestKeys.selectScalar(keys: keys, groups: groups, limits: limits))
    }

    /// Worked by hand: group 0 holds keys 5, 3, 9, 3 (rows 0–3), group 1 keys 1, 7, 2 (rows 4–6),
    /// row 7 has no group.
    @Test func handExample() {
        let keys: [UInt64] = [5, 3, 9, 3, 1, 7, 2, 0]
        let groups: [Int32] = [0, 0, 0, 0, 1, 1, 1, -1]
        var result = Self.both(keys: keys, groups: groups, limits: [2, 2])
        #expect(result.simd == [[1, 3], [4, 6]])
        #expect(result.scalar == [[1, 3], [4, 6]])
        // One place in group 0: rows 1 and 3 tie at key 3, both kept in row order; all of group 1.
        result = Self.both(keys: keys, groups: groups, limits: [1, 5])
        #expect(result.simd == [[1, 3], [4, 6, 5]])
        #expect(result.scalar == [[1, 3], [4, 6, 5]])
        // A limit of 0 selects nothing; a group with no rows selects nothing.
        result = Self.both(keys: keys, groups: groups, limits: [0, 3, 4])
        #expect(result.simd == [[], [4, 6, 5], []])
        #expect(result.scalar == [[], [4, 6, 5], []])
    }

    /// Lengths around the SIMD width (8 rows) and a cache line, keys from a small range so ties
    /// are common, against the scalar twin and the whole-group sort.
    @Test(arguments: [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000])
    func simdMatchesScalarAndReference(length: Int) {
        var generator = SplitMix64(seed: UInt64(length) &+ 3)
        let keys = (0..<length).map { _ in generator.next() % 50 }
        let groups = (0..<length).map { _ in Int32(truncatingIfNeeded: generator.next() % 5) - 1 }
        let limits = [3, 1, 0, 8]
        let expected = Self.reference(keys: keys, groups: groups, limits: limits)
        let result = Self.both(keys: keys, groups: groups, limits: limits)
        #expect(result.simd == expected)
        #expect(result.scalar == expected)
    }

    /// The selection behind the cutoff against sorting: every position, distinct and repeated keys.
    @Test(arguments: [1, 2, 3, 16, 17, 100, 1000])
    func nthSmallestMatchesSorting(length: Int) {
        var generator = SplitMix64(seed: UInt64(length))
        for range: UInt64 in [.max, 3] {
            let keys = (0..<length).map { _ in range == .max ? generator.next() : generator.next() % range }
            let sorted = keys.sorted()
            for position in 0..<length {
                var scratch = keys
                #expect(scratch.withUnsafeMutableBufferPointer { SmallestKeys.nthSmallest($0, position) } == sorted[position])
                #expect(scratch.sorted() == sorted)
            }
        }
    }

    /// Many rows in several parts on both cores, full-range keys, 300 groups with limits 1–12:
    /// compaction runs many times per group and parts are merged.
    @Test func randomDataAcrossPartsAgrees() {
        var generator = SplitMix64(seed: 2025)
        let length = 700_003
        let keys = (0..<length).map { _ in generator.next() }
        let groups = (0..<length).map { _ in Int32(truncatingIfNeeded: generator.next() % 301) - 1 }
        let limits = (0..<300).map { 1 + $0 % 12 }
        let expected = Self.reference(keys: keys, groups: groups, limits: limits)
        for width in [1, 2] {
            let result = Self.both(keys: keys, groups: groups, limits: limits, width: width)
            #expect(result.simd == expected)
            #expect(result.scalar == expected)
        }
        #expect(expected.map(\.count) == limits)
    }

    /// Groups the one-cutoff pass leaves short, done again row by row: a group of 5 rows and one
    /// of 1 row (limit 8), a large group whose keys all lie above any cutoff, a large group with
    /// only 3 keys below it (key 0), a group with limit 0; keys from 1,000 values so ties straddle
    /// the cutoff and the last places; the rest are large groups.
    @Test func shortGroupsAndTiesAcrossTheCutoff() {
        var generator = SplitMix64(seed: 77)
        let length = 300_000
        var keys = (0..<length).map { _ in (generator.next() % 1000) << 50 }
        var groups = (0..<length).map { _ in Int32(truncatingIfNeeded: 4 + generator.next() % 60) }
        for row in 0..<5 { groups[row * 1000] = 0 }
        groups[777] = 1
        for row in stride(from: 3, to: length, by: 97) {
            groups[row] = 2
            keys[row] = UInt64.max - generator.next() % 1000
        }
        for row in stride(from: 50, to: length, by: 101) {
            groups[row] = 3
            keys[row] = UInt64.max - 5000 + generator.next() % 1000
        }
        for row in [50, 151, 252] { keys[row] = 0 }
        groups[12345] = -1
        let limits = [8, 8, 8, 8, 0] + [Int](repeating: 8, count: 59)
        let neededHigh = keys.withUnsafeBufferPointer { SmallestKeys.cutoff($0, needed: limits.reduce(0, +)) }
        #expect(neededHigh != nil)
        let expected = Self.reference(keys: keys, groups: groups, limits: limits)
        #expect(expected[0].count == 5 && expected[1] == [777] && expected[4].isEmpty)
        #expect(Array(expected[3].prefix(3)) == [50, 151, 252] && expected[3].count >= 8)
        #expect(expected[2].count >= 8 && expected[2].allSatisfy { keys[Int($0)] > UInt64.max - 1000 })
        for width in [1, 2] {
            let result = Self.both(keys: keys, groups: groups, limits: limits, width: width)
            #expect(result.simd == expected)
            #expect(result.scalar == expected)
        }
    }
}
