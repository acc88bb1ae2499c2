import Columnar
@testable import Kernels
import Synchronization
import Testing

/// The parallel grouped kernel against its scalar twin, and both against sums worked out here.
@Suite struct GroupedStatisticsTests {
    static func randomInput(_ length: Int, groups: Int, nulls: Bool) -> (values: [Double], validity: Bitmap?, ids: [Int32]) {
        var generator = SplitMix64(seed: UInt64(length) &* 1_000 &+ UInt64(groups) &* 2 &+ (nulls ? 1 : 0))
        let values = (0..<length).map { _ in Double(Int.random(in: 0...1000, using: &generator)) / 10 }
        let ids = (0..<length).map { _ in Int32.random(in: -1..<Int32(groups), using: &generator) }
        guard nulls else { return (values, nil, ids) }
        var validity = Bitmap(count: length, value: true)
        for row in 0..<length where Int.random(in: 0..<7, using: &generator) == 0 { validity[row] = false }
        return (values, validity, ids)
    }

    static func expectSame(_ fast: GroupedStatistics, _ scalar: GroupedStatistics, _ label: String) {
        #expect(fast.rows == scalar.rows, Comment(rawValue: label))
        #expect(fast.count == scalar.count, Comment(rawValue: label))
        #expect(fast.minimum == scalar.minimum, Comment(rawValue: label))
        #expect(fast.maximum == scalar.maximum, Comment(rawValue: label))
        #expect(fast.below == scalar.below, Comment(rawValue: label))
        for (a, b) in zip(fast.sum, scalar.sum) {
            #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), Comment(rawValue: "\(label): sum \(a) against \(b)"))
        }
    }

    /// Scores kept to hundredths are scattered as 16-bit integers for the medians; only values
    /// that come back exactly qualify.
    @Test func hundredthsAreExactOrRefused() {
        let accepted: [(Double, Int16)] = [(84.6, 8460), (0.07, 7), (-12.5, -1250), (327.67, 32767), (-327.67, -32767), (0, 0), (100, 10000)]
        for (value, expected) in accepted { #expect(Hundredths.of(value) == expected, "\(value)") }
        for value in [327.68, -327.68, 84.123, 0.001, -0.0, .nan, .infinity, -.infinity, 1e-300, 1e300] {
            #expect(Hundredths.of(value) == nil, "\(value)")
        }
    }

    /// Medians of hundredths by counting (a narrow span beside the group) and by sorting (a span
    /// as wide as 16-bit hundredths go), odd and even groups, against sorting the doubles; and
    /// the same values with one third decimal added, which sends every group to the doubles' path.
    @Test(arguments: [1, 2, 199, 200, 5_000, 5_001])
    func mediansOfHundredthsMatchSorting(length: Int) {
        var generator = SplitMix64(seed: UInt64(length) &* 7)
        for (low, high) in [(3_000, 10_000), (-32_767, 32_767)] {
            var values = (0..<length).map { _ in Double(Int.random(in: low...high, using: &generator)) / 100 }
            for round in 0..<2 {
                if round == 1 { values[length / 2] += 0.001 }
                let groups = (0..<length).map { Int32($0 % 3) }
                let medians = GroupedStatistics.medians(values: ColumnBuffer(values), validity: nil, groupIds: ColumnBuffer(groups), groupCount: 3)
                for group in 0..<3 {
                    let members = zip(values, groups).filter { $0.1 == Int32(group) }.map(\.0)
                    #expect(medians[group] == MedianSelectionTests.reference(members), "length \(length), span \(low)…\(high), round \(round)")
                }
            }
        }
    }

    @Test(arguments: [0, 1, 15, 16, 17, 63, 64, 65, 1000])
    func matchesTheScalarTwinExactlyOnOnePart(length: Int) {
        // No, one, two and three thresholds: each count has its own loop.
        for (nulls, thresholds) in [false, true].flatMap({ nulls in [[], [70], [70, 90], [60, 70, 90]].map { $0.map(Double.init) }.map { (nulls, $0) } }) {
            let input = Self.randomInput(length, groups: 5, nulls: nulls)
            let fast = GroupedStatistics.compute(values: ColumnBuffer(input.values), validity: input.validity, groupIds: ColumnBuffer(input.ids), groupCount: 5,
                                                 belowThresholds: thresholds)
            let scalar = GroupedStatistics.computeScalar(values: ColumnBuffer(input.values), validity: input.validity, groupIds: ColumnBuffer(input.ids),
                                                         groupCount: 5, belowThresholds: thresholds)
            // Below the part size the fast kernel is one part: the same sums to the bit.
            #expect(fast.sum == scalar.sum)
            #expect(fast.below.count == thresholds.count)
            Self.expectSame(fast, scalar, "length \(length), nulls \(nulls), thresholds \(thresholds)")
        }
    }

    @Test func matchesTheScalarTwinAcrossParts() {
        let length = GroupedStatistics.partRows * 5 + 17
        #expect(GroupedStatistics.parts(of: length).count == 5)
        let input = Self.randomInput(length, groups: 300, nulls: true)
        for thresholds: [Double] in [[70], [70, 90]] {
            let fast = GroupedStatistics.compute(values: ColumnBuffer(input.values), validity: input.validity, groupIds: ColumnBuffer(input.ids), groupCount: 300,
                                                 belowThresholds: thresholds)
            let scalar = GroupedStatistics.computeScalar(values: ColumnBuffer(input.values), validity: input.validity, groupIds: ColumnBuffer(input.ids),
                                                         groupCount: 300, belowThresholds: thresholds)
            Self.expectSame(fast, scalar, "\(length) rows, thresholds \(thresholds)")
        }
        // Medians across parts against sorting each group.
        let medians = GroupedStatistics.medians(values: ColumnBuffer(input.values), validity: input.validity, groupIds: ColumnBuffer(input.ids), groupCount: 300)
        var members = [[Double]](repeating: [], count: 300)
        for row in 0..<length where input.ids[row] >= 0 && input.validity![row] { members[Int(input.ids[row])].append(input.values[row]) }
        #expect(medians == members.map(MedianSelectionTests.reference))
        // The same medians from the statistics' own part counts (no counting pass); in this debug
        // build `medians` also checks those counts against a count of its own.
        let statisticsWithCounts = GroupedStatistics.compute(values: ColumnBuffer(input.values), validity: input.validity,
                                                             groupIds: ColumnBuffer(input.ids), groupCount: 300)
        #expect(statisticsWithCounts.partCounts?.count == GroupedStatistics.parts(of: length, groups: 300).count * 300)
        let fromCounts = GroupedStatistics.medians(values: ColumnBuffer(input.values), validity: input.validity, groupIds: ColumnBuffer(input.ids),
                                                   groupCount: 300, partCounts: statisticsWithCounts.partCounts)
        #expect(fromCounts == medians)
        // Standard deviations summed by parts on every core, against each group's two-pass sum
        // in row order worked out here.
        let statistics = GroupedStatistics.computeScalar(values: ColumnBuffer(input.values), validity: input.validity, groupIds: ColumnBuffer(input.ids),
                                                         groupCount: 300, belowThresholds: [])
        let deviations = GroupedStatistics.standardDeviations(values: ColumnBuffer(input.values), validity: input.validity, groupIds: ColumnBuffer(input.ids),
                                                              statistics: statistics)
        for (group, values) in members.enumerated() {
            guard values.count >= 2 else { #expect(deviations[group] == nil); continue }
            let mean = values.reduce(0, +) / Double(values.count)
            let expected = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
            #expect(abs(deviations[group]! - expected) <= 1e-9 * expected, "group \(group)")
        }
    }

    /// Scores held as 16-bit hundredths (the column cache's narrow scores) give the statistics,
    /// medians and deviations of the doubles they stand for, bit for bit, by row ids and by pairs
    /// of codes, across parts.
    @Test func hundredthsGiveTheStatisticsOfTheirDoubles() {
        let length = GroupedStatistics.partRows * 3 + 11
        let input = Self.randomInput(length, groups: 40, nulls: true)
        let hundredths = ColumnBuffer(input.values.map { Hundredths.of($0)! })
        let doubles = ColumnBuffer(input.values), ids = ColumnBuffer(input.ids)
        for thresholds: [Double] in [[], [70], [60, 85.5], [50, 60, 70]] {
            let narrow = GroupedStatistics.compute(hundredths: hundredths, validity: input.validity, groupIds: ids, groupCount: 40,
                                                   belowThresholds: thresholds)
            let wide = GroupedStatistics.compute(values: doubles, validity: input.validity, groupIds: ids, groupCount: 40,
                                                 belowThresholds: thresholds)
            #expect(narrow.rows == wide.rows && narrow.count == wide.count && narrow.below == wide.below)
            #expect(narrow.sum.map(\.bitPattern) == wide.sum.map(\.bitPattern))
            #expect(narrow.minimum == wide.minimum && narrow.maximum == wide.maximum && narrow.partCounts == wide.partCounts)
            #expect(GroupedStatistics.medians(hundredths: hundredths, validity: input.validity, groupIds: ids, groupCount: 40,
                                              partCounts: narrow.partCounts)
                    == GroupedStatistics.medians(values: doubles, validity: input.validity, groupIds: ids, groupCount: 40))
            #expect(GroupedStatistics.standardDeviations(hundredths: hundredths, validity: input.validity, groupIds: ids, statistics: narrow)
                    == GroupedStatistics.standardDeviations(values: doubles, validity: input.validity, groupIds: ids, statistics: wide))
        }
        // By pairs of codes: 5 × 8 pairs, every row in one.
        let first: [UInt32] = (0..<length).map { row in UInt32(row % 5) }
        let second: [UInt32] = (0..<length).map { row in UInt32(row / 5 % 8) }
        let slots: [Int32] = (0..<45).map { slot in Int32(slot / 9 * 8 + slot % 9) }
        let pairs = GroupIdSource.pairs(.wide(ColumnBuffer(first), ColumnBuffer(second)), slots: slots, width: 9)
        let narrow = GroupedStatistics.compute(hundredths: hundredths, validity: input.validity, ids: pairs, groupCount: 40,
                                               belowThresholds: [70])
        let wide = GroupedStatistics.compute(values: doubles, validity: input.validity, ids: pairs, groupCount: 40,
                                             belowThresholds: [70])
        #expect(narrow.rows == wide.rows && narrow.count == wide.count && narrow.below == wide.below)
        #expect(narrow.sum.map(\.bitPattern) == wide.sum.map(\.bitPattern) && narrow.rows.reduce(0, +) == length)
    }

    /// Ids read from codes as the kernels go (one narrow column with nulls, two columns of codes of
    /// every width the source takes) give the statistics, medians, deviations and row counts of
    /// the same ids stored one per row, worked out here from the codes.
    @Test func idsReadFromCodesGiveTheStatisticsOfStoredIds() {
        let length = GroupedStatistics.partRows * 2 + 77
        let hundredthValues: [Int16] = (0..<length).map { (row: Int) -> Int16 in Int16(row &* 37 % 10_001) }
        let hundredths = ColumnBuffer(hundredthValues)
        let doubles = ColumnBuffer(hundredthValues.map { (value: Int16) -> Double in Double(value) / 100 })
        var scoreValidity = Bitmap()
        for row in 0..<length { scoreValidity.append(row % 13 != 4) }
        // One column of 40 codes (row × 7 mod 40), code c in group 39 − c; every 11th row null,
        // in group 40 (the last slot).
        let codes: [Int] = (0..<length).map { (row: Int) -> Int in (row &* 7) % 40 }
        var codeValidity = Bitmap()
        for row in 0..<length { codeValidity.append(row % 11 != 3) }
        let codeSlots: [Int32] = (0..<40).map { (code: Int) -> Int32 in Int32(39 - code) } + [40]
        let singleIds: [Int32] = (0..<length).map { (row: Int) -> Int32 in row % 11 == 3 ? 40 : Int32(39 - codes[row]) }
        // Two columns: 5 × 8 pairs, the pair (a, b) in slot a × 9 + b, group a × 8 + b.
        let first: [Int] = (0..<length).map { (row: Int) -> Int in row % 5 }
        let second: [Int] = (0..<length).map { (row: Int) -> Int in row / 5 % 8 }
        let pairSlots: [Int32] = (0..<45).map { (slot: Int) -> Int32 in slot % 9 == 8 ? -1 : Int32(slot / 9 * 8 + slot % 9) }
        let pairIds: [Int32] = (0..<length).map { (row: Int) -> Int32 in Int32(first[row] * 8 + second[row]) }
        func bytes(_ values: [Int]) -> ColumnBuffer<UInt8> { ColumnBuffer(values.map { UInt8($0) }) }
        func shorts(_ values: [Int]) -> ColumnBuffer<UInt16> { ColumnBuffer(values.map { UInt16($0) }) }
        func words(_ values: [Int]) -> ColumnBuffer<UInt32> { ColumnBuffer(values.map { UInt32($0) }) }
        let cases: [(String, GroupIdSource, [Int32], Int)] = [
            ("bytes", .bytes(bytes(codes), slots: codeSlots, validity: codeValidity), singleIds, 41),
            ("shorts", .shorts(shorts(codes), slots: codeSlots, validity: codeValidity), singleIds, 41),
            ("bytes without nulls", .bytes(bytes(codes), slots: Array(codeSlots.dropLast()) + [-1], validity: nil),
             codes.map { (code: Int) -> Int32 in Int32(39 - code) }, 40),
            ("wide pairs", .pairs(.wide(words(first), words(second)), slots: pairSlots, width: 9), pairIds, 40),
            ("byte pairs", .pairs(.bytes(bytes(first), bytes(second)), slots: pairSlots, width: 9), pairIds, 40),
            ("byte and short", .pairs(.byteShort(bytes(first), shorts(second)), slots: pairSlots, width: 9), pairIds, 40),
            ("short and byte", .pairs(.shortByte(shorts(first), bytes(second)), slots: pairSlots, width: 9), pairIds, 40),
            ("short pairs", .pairs(.shorts(shorts(first), shorts(second)), slots: pairSlots, width: 9), pairIds, 40),
        ]
        for (label, source, storedIds, groupCount) in cases {
            let comment = Comment(rawValue: label)
            let stored = ColumnBuffer(storedIds)
            #expect(source.count == length, comment)
            var expectedRows = [Int](repeating: 0, count: groupCount)
            for id in storedIds { expectedRows[Int(id)] += 1 }
            #expect(GroupedStatistics.rowCounts(ids: source, groupCount: groupCount) == expectedRows, comment)
            let read = GroupedStatistics.compute(values: doubles, validity: scoreValidity, ids: source, groupCount: groupCount, belowThresholds: [70, 85])
            let expected = GroupedStatistics.compute(values: doubles, validity: scoreValidity, groupIds: stored, groupCount: groupCount,
                                                     belowThresholds: [70, 85])
            let readHundredths = GroupedStatistics.compute(hundredths: hundredths, validity: scoreValidity, ids: source, groupCount: groupCount,
                                                           belowThresholds: [70, 85])
            #expect(read.rows == expectedRows && read.rows == expected.rows && read.count == expected.count, comment)
            #expect(read.sum.map(\.bitPattern) == expected.sum.map(\.bitPattern) && read.below == expected.below, comment)
            #expect(read.minimum == expected.minimum && read.maximum == expected.maximum && read.partCounts == expected.partCounts, comment)
            #expect(readHundredths.sum.map(\.bitPattern) == expected.sum.map(\.bitPattern) && readHundredths.count == expected.count, comment)
            let medians = GroupedStatistics.medians(values: doubles, validity: scoreValidity, groupIds: stored, groupCount: groupCount)
            #expect(GroupedStatistics.medians(values: doubles, validity: scoreValidity, ids: source, groupCount: groupCount) == medians, comment)
            #expect(GroupedStatistics.medians(hundredths: hundredths, validity: scoreValidity, ids: source, groupCount: groupCount,
                                              partCounts: read.partCounts) == medians, comment)
            let deviations = GroupedStatistics.standardDeviations(values: doubles, validity: scoreValidity, groupIds: stored, statistics: expected)
            #expect(GroupedStatistics.standardDeviations(values: doubles, validity: scoreValidity, ids: source, statistics: read) == deviations, comment)
            #expect(GroupedStatistics.standardDeviations(hundredths: hundredths, validity: scoreValidity, ids: source, statistics: readHundredths)
                    == deviations, comment)
        }
    }

    @Test func partsHoldManyRowsPerGroup() {
        // 6,786 groups × 64 rows = 434,304 rows a part at least: 10,000,000 / 434,304 = 23.02.
        #expect(GroupedStatistics.parts(of: 10_000_000, groups: 6_786).count == 23)
        // Few groups: parts of 2^18 = 262,144 rows, 38.1 of them.
        #expect(GroupedStatistics.parts(of: 10_000_000, groups: 300).count == 38)
        #expect(GroupedStatistics.parts(of: 10_000_000, groups: 1_000_000).count == 1)
        #expect(GroupedStatistics.parts(of: 100_000_000).count == 64)
        let ranges = GroupedStatistics.parts(of: 10_000_000, groups: 6_786)
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == 10_000_000)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
    }

    @Test func countingSortLayoutByHand() {
        // Part 0 holds 2, 0, 1 rows of groups 0, 1, 2; part 1 holds 1, 3, 0.
        var counts = [2, 0, 1, 1, 3, 0]
        let starts = counts.withUnsafeMutableBufferPointer { PartedCountingSort.placeStretches($0, parts: 2, groups: 3) }
        #expect(starts == [0, 3, 6, 7])
        // Group 0: part 0 at 0, part 1 at 2; group 1: both at 3; group 2: part 0 at 6, part 1 at 7.
        #expect(counts == [0, 3, 6, 2, 3, 7])
        #expect(ConcurrentTasks.evenRanges(of: 10, pieces: 3) == [0..<3, 3..<6, 6..<10])
        let seen = Mutex([Int]())
        ConcurrentTasks.runInStripes(130, width: 2) { stripe in seen.withLock { $0 += Array(stripe) } }
        #expect(seen.withLock { $0.sorted() } == Array(0..<130))
    }

    @Test func worksOutByHand() {
        // Group 0: 69.9, 70, 95 (null 50 skipped); group 1: 100; row 4 left out.
        var validity = Bitmap(count: 6, value: true)
        validity[3] = false
        let stats = GroupedStatistics.compute(values: [69.9, 70, 95, 50, 12, 100], validity: validity, groupIds: [0, 0, 0, 0, -1, 1],
                                              groupCount: 2, belowThresholds: [70, 90])
        #expect(stats.rows == [4, 1])
        #expect(stats.count == [3, 1])
        #expect(stats.sum == [234.9, 100])
        #expect(stats.minimum == [69.9, 100])
        #expect(stats.maximum == [95, 100])
        #expect(stats.below == [[1, 0], [2, 0]])
    }
}
