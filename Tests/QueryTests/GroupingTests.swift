@testable import Query
import Columnar
import Kernels
import Testing

/// The one-pass grouping by a text column against the general path that combines column codes.
struct GroupingTests {
    @Test func handWorkedTextGrouping() {
        // Codes: 0 舞阳, 1 郾城, 2 召陵 (never used); row 3 is null; row 5 is filtered out.
        let dictionary = TextDictionary(["舞阳", "郾城", "召陵"])
        var validity = Bitmap()
        for valid in [true, true, true, false, true, true] { validity.append(valid) }
        let column = Column(name: "unit", storage: .text(codes: [1, 0, 1, 0, 0, 1], dictionary: dictionary), validity: validity)
        let table = Table(columns: [column], rowCount: 6)
        let grouping = Grouping.make(table: table, columns: [column], selected: [0, 1, 2, 3, 4])
        #expect(grouping.groupIds == [0, 1, 0, 2, 1, -1])
        #expect(grouping.keys == [[.text("郾城")], [.text("舞阳")], [.null]])
    }

    /// A column whose codes come in order of first appearance (as a load numbers them) is grouped
    /// on its codes as they are; one whose codes do not is numbered afresh. Both by hand.
    @Test func codesInFirstAppearanceOrderAreTheGroupIds() {
        let dictionary = TextDictionary(["舞阳", "郾城", "召陵"])
        let ordered = Column(name: "unit", storage: .text(codes: [0, 0, 1, 0, 1, 2, 1], dictionary: dictionary))
        let grouping = Grouping.make(table: Table(columns: [ordered], rowCount: 7), columns: [ordered], selected: nil)
        #expect(grouping.groupIds == [0, 0, 1, 0, 1, 2, 1])
        #expect(grouping.keys == [[.text("舞阳")], [.text("郾城")], [.text("召陵")]])
        if case .text(let codes, _) = ordered.storage {
            // The ids are the codes' own memory, read as Int32.
            #expect(UnsafeRawPointer(grouping.groupIds.buffer.baseAddress) == UnsafeRawPointer(codes.buffer.baseAddress))
        }
        // The first row's code is 1: 郾城 is group 0, 舞阳 group 1, 召陵 (never used) no group.
        let reordered = Column(name: "unit", storage: .text(codes: [1, 0, 1, 1, 0], dictionary: dictionary))
        let regrouped = Grouping.make(table: Table(columns: [reordered], rowCount: 5), columns: [reordered], selected: nil)
        #expect(regrouped.groupIds == [0, 1, 0, 0, 1])
        #expect(regrouped.keys == [[.text("郾城")], [.text("舞阳")]])
        // In order up to a code that skips one (2 before 1): numbered afresh from there on too.
        let skipping = Column(name: "unit", storage: .text(codes: [0, 2, 1], dictionary: dictionary))
        let skipped = Grouping.make(table: Table(columns: [skipping], rowCount: 3), columns: [skipping], selected: nil)
        #expect(skipped.groupIds == [0, 1, 2])
        #expect(skipped.keys == [[.text("舞阳")], [.text("召陵")], [.text("郾城")]])
        #expect(Grouping.codesInFirstAppearanceOrder([0, 0, 1, 0, 1, 2, 1], dictionary: dictionary) == 3)
        #expect(Grouping.codesInFirstAppearanceOrder([0, 2, 1], dictionary: dictionary) == nil)
    }

    /// Numbers and dates are grouped on their bits, not as boxed values: worked out by hand,
    /// with -0 and 0 one group, the NaNs one group, nulls one group, in order of first appearance.
    @Test func handWorkedNumberAndDateGrouping() {
        var validity = Bitmap()
        for valid in [true, true, true, false, true, true, true, false] { validity.append(valid) }
        let doubles = Column(name: "x", storage: .float64([0.0, -0.0, .nan, 5, .nan, 2.5, 2.5, 1]), validity: validity)
        let table = Table(columns: [doubles], rowCount: 8)
        let grouping = Grouping.make(table: table, columns: [doubles], selected: nil)
        #expect(grouping.groupIds == [0, 0, 1, 2, 1, 3, 3, 2])
        #expect(grouping.keys.count == 4)
        #expect(grouping.keys[0] == [.double(0)] && grouping.keys[2] == [.null] && grouping.keys[3] == [.double(2.5)])

        let days = Column(name: "d", storage: .date([19_000, 19_001, 19_000, 18_999]))
        let years = Column(name: "y", storage: .int64([2022, 2023, 2022, 2022]))
        let both = Grouping.make(table: Table(columns: [days, years], rowCount: 4), columns: [days, years], selected: [0, 1, 2, 3])
        #expect(both.groupIds == [0, 1, 0, 2])
        #expect(both.keys == [[.date(19_000), .int(2022)], [.date(19_001), .int(2023)], [.date(18_999), .int(2022)]])
    }

    @Test func oneTextColumnMatchesTheGeneralPath() {
        var generator = SplitMix64(seed: 99)
        for rowCount in [0, 1, 2, 17, 1000] {
            for withNulls in [false, true] {
                for filtered in [false, true] {
                    let dictionary = TextDictionary((0..<40).map { "单位\($0)" })
                    let codes = (0..<rowCount).map { _ in UInt32.random(in: 0..<40, using: &generator) }
                    var validity: Bitmap?
                    if withNulls {
                        var bitmap = Bitmap()
                        for _ in 0..<rowCount { bitmap.append(Int.random(in: 0..<5, using: &generator) != 0) }
                        validity = bitmap
                    }
                    let column = Column(name: "unit", storage: .text(codes: codes, dictionary: dictionary), validity: validity)
                    let table = Table(columns: [column], rowCount: rowCount)
                    let selected: [Int32]? = filtered ? (0..<rowCount).filter { _ in Bool.random(using: &generator) }.map(Int32.init) : nil
                    let fast = Grouping.make(table: table, columns: [column], selected: selected)
                    let general = Grouping.byCombining(table: table, columns: [column], selected: selected)
                    let label = Comment(rawValue: "rows \(rowCount), nulls \(withNulls), filtered \(filtered)")
                    #expect(fast.groupIds == general.groupIds, label)
                    #expect(fast.keys == general.keys, label)
                }
            }
        }
    }

    /// Two text columns without nulls, every row grouped, are held as pairs of codes numbered on
    /// every core. Over enough rows for several stretches, with pairs that keep first appearing
    /// late in the rows: the keys and ids against the general path and against a dictionary of
    /// pairs numbered row by row, and the statistics read through the pairs against those read
    /// from the general path's ids.
    @Test func pairsOfCodesMatchTheGeneralPath() {
        var generator = SplitMix64(seed: 11)
        let rowCount = 300_000
        let cities = TextDictionary((0..<7).map { "市\($0)" })
        let units = TextDictionary((0..<501).map { "单位\($0)" })
        let firstCodes = (0..<rowCount).map { _ in UInt32.random(in: 0..<7, using: &generator) }
        let secondCodes = (0..<rowCount).map { row in UInt32.random(in: 0...UInt32(row / 600), using: &generator) }
        let columns = [Column(name: "市", storage: .text(codes: firstCodes, dictionary: cities)),
                       Column(name: "单位", storage: .text(codes: secondCodes, dictionary: units))]
        let table = Table(columns: columns, rowCount: rowCount)
        let grouping = Grouping.make(table: table, columns: columns, selected: nil)
        guard case .pairs(.wide, _, _) = grouping.source else {
            Issue.record("two text columns without nulls are grouped as pairs of codes")
            return
        }
        let general = Grouping.byCombining(table: table, columns: columns, selected: nil)
        #expect(grouping.keys == general.keys)
        #expect(Array(grouping.groupIds) == Array(general.groupIds))

        var numbered: [Int: Int32] = [:]
        var expectedIds: [Int32] = []
        var expectedRows: [Int] = []
        for row in 0..<rowCount {
            let pair = Int(firstCodes[row]) * 1000 + Int(secondCodes[row])
            if numbered[pair] == nil {
                numbered[pair] = Int32(numbered.count)
                expectedRows.append(0)
            }
            expectedIds.append(numbered[pair]!)
            expectedRows[Int(numbered[pair]!)] += 1
        }
        #expect(Array(grouping.groupIds) == expectedIds)
        #expect(grouping.groupCount == numbered.count)

        let values = ColumnBuffer((0..<rowCount).map { _ in Double(Int.random(in: 0...10_000, using: &generator)) / 100 })
        let viaPairs = GroupedStatistics.compute(values: values, validity: nil, ids: grouping.source, groupCount: grouping.groupCount,
                                                 belowThresholds: [70])
        let viaIds = GroupedStatistics.compute(values: values, validity: nil, groupIds: general.groupIds, groupCount: general.groupCount,
                                               belowThresholds: [70])
        #expect(viaPairs.rows == expectedRows)
        #expect(viaPairs.rows == viaIds.rows && viaPairs.count == viaIds.count)
        #expect(viaPairs.sum == viaIds.sum && viaPairs.minimum == viaIds.minimum && viaPairs.maximum == viaIds.maximum)
        #expect(viaPairs.below == viaIds.below)
    }

    /// Two text columns: the one-pass composite of codes against the general path, nulls in
    /// either column and filtered rows included.
    @Test func twoTextColumnsMatchTheGeneralPath() {
        var generator = SplitMix64(seed: 7)
        for rowCount in [0, 1, 3, 17, 2000] {
            for withNulls in [false, true] {
                for filtered in [false, true] {
                    func column(_ name: String, _ width: Int) -> Column {
                        let dictionary = TextDictionary((0..<width).map { "\(name)\($0)" })
                        let codes = (0..<rowCount).map { _ in UInt32.random(in: 0..<UInt32(width), using: &generator) }
                        var validity: Bitmap?
                        if withNulls {
                            var bitmap = Bitmap()
                            for _ in 0..<rowCount { bitmap.append(Int.random(in: 0..<4, using: &generator) != 0) }
                            validity = bitmap
                        }
                        return Column(name: name, storage: .text(codes: codes, dictionary: dictionary), validity: validity)
                    }
                    let columns = [column("市", 5), column("单位", 30)]
                    let table = Table(columns: columns, rowCount: rowCount)
                    let selected: [Int32]? = filtered ? (0..<rowCount).filter { _ in Bool.random(using: &generator) }.map(Int32.init) : nil
                    let fast = Grouping.make(table: table, columns: columns, selected: selected)
                    let general = Grouping.byCombining(table: table, columns: columns, selected: selected)
                    let label = Comment(rawValue: "rows \(rowCount), nulls \(withNulls), filtered \(filtered)")
                    #expect(fast.groupIds == general.groupIds, label)
                    #expect(fast.keys == general.keys, label)
                }
            }
        }
    }

    /// Text columns the cache holds narrow (8- and 16-bit codes) are grouped on their codes as
    /// they are: one column with nulls, codes not in order of appearance and codes never used;
    /// two columns of each pair of widths. The ids and keys against the general path over the
    /// same codes held wide, filtered and not; every row grouped, the ids are read from the codes.
    @Test func narrowCodesGroupAsTheirWideCodes() {
        var generator = SplitMix64(seed: 23)
        func narrow(_ name: String, _ codes: [UInt32], _ dictionary: TextDictionary, short: Bool, validity: Bitmap?) -> Column {
            let values: NarrowValues = short ? .codes16(ColumnBuffer(codes.map { UInt16($0) })) : .codes8(ColumnBuffer(codes.map { UInt8($0) }))
            return Column(name: name, narrow: NarrowColumn(values: values, dictionary: dictionary), validity: validity)
        }
        for rowCount in [0, 1, 5, 3000, 200_000] {
            for short in [false, true] {
                for withNulls in [false, true] {
                    // 300 strings, of which the rows use codes 2 to 250: some never appear, and the
                    // first rows' codes are not 0, 1, 2, ….
                    let dictionary = TextDictionary((0..<300).map { "县\($0)" })
                    let codes = (0..<rowCount).map { _ in UInt32.random(in: 2...250, using: &generator) }
                    var validity: Bitmap?
                    if withNulls {
                        var bitmap = Bitmap()
                        for _ in 0..<rowCount { bitmap.append(Int.random(in: 0..<6, using: &generator) != 0) }
                        validity = bitmap
                    }
                    let held = narrow("县区", codes, dictionary, short: short, validity: validity)
                    let wide = Column(name: "县区", storage: .text(codes: codes, dictionary: dictionary), validity: validity)
                    for filtered in [false, true] {
                        let selected: [Int32]? = filtered ? (0..<rowCount).filter { _ in Bool.random(using: &generator) }.map(Int32.init) : nil
                        let fast = Grouping.make(table: Table(columns: [held], rowCount: rowCount), columns: [held], selected: selected)
                        let general = Grouping.byCombining(table: Table(columns: [wide], rowCount: rowCount), columns: [wide], selected: selected)
                        let label = Comment(rawValue: "rows \(rowCount), 16-bit \(short), nulls \(withNulls), filtered \(filtered)")
                        #expect(Array(fast.groupIds) == Array(general.groupIds), label)
                        #expect(fast.keys == general.keys, label)
                        switch fast.source {
                        case .bytes: #expect(!short && !filtered, label)
                        case .shorts: #expect(short && !filtered, label)
                        default: #expect(filtered, label)
                        }
                    }
                }
            }
        }
        // Two columns, each 8- or 16-bit, without nulls: 7 cities, 501 units (16-bit) or 200
        // (8-bit), pairs that keep first appearing late in the rows.
        let rowCount = 300_000
        for (firstShort, secondShort) in [(false, false), (false, true), (true, false), (true, true)] {
            let cities = TextDictionary((0..<7).map { "市\($0)" })
            let unitCount = secondShort ? 501 : 200
            let units = TextDictionary((0..<unitCount).map { "单位\($0)" })
            let firstCodes = (0..<rowCount).map { _ in UInt32.random(in: 0..<7, using: &generator) }
            let secondCodes = (0..<rowCount).map { row in UInt32.random(in: 0...UInt32(row * (unitCount - 1) / rowCount), using: &generator) }
            let held = [narrow("市", firstCodes, cities, short: firstShort, validity: nil),
                        narrow("单位", secondCodes, units, short: secondShort, validity: nil)]
            let wide = [Column(name: "市", storage: .text(codes: firstCodes, dictionary: cities)),
                        Column(name: "单位", storage: .text(codes: secondCodes, dictionary: units))]
            let fast = Grouping.make(table: Table(columns: held, rowCount: rowCount), columns: held, selected: nil)
            let general = Grouping.byCombining(table: Table(columns: wide, rowCount: rowCount), columns: wide, selected: nil)
            let label = Comment(rawValue: "16-bit cities \(firstShort), 16-bit units \(secondShort)")
            guard case .pairs(let buffers, _, _) = fast.source else {
                Issue.record("narrow pairs are read from their codes: \(label)")
                continue
            }
            switch (buffers, firstShort, secondShort) {
            case (.bytes, false, false), (.byteShort, false, true), (.shortByte, true, false), (.shorts, true, true): break
            default: Issue.record("the codes are read at their own widths: \(label)")
            }
            #expect(fast.keys == general.keys, label)
            #expect(Array(fast.groupIds) == Array(general.groupIds), label)
        }
    }
}
