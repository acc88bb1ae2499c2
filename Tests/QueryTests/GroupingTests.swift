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
}
