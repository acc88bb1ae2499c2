@testable import Query
import Columnar
import Kernels
import Foundation
import Testing

/// The kernels that read narrow columns (`NarrowColumn`) beside the ones that read the same
/// columns wide: the same rows, the same values, the same answers.
@Suite struct NarrowKernelTests {
    static let sizes = [0, 1, 63, 64, 65, 130, 2 * VectorKernels.blockRows + 77]
    static let operators: [BinaryOperator] = [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual]

    /// Random columns of every narrow kind, with nulls, and the same columns wide.
    static func columns(count: Int, seed: UInt64) -> [(narrow: Column, wide: Column)] {
        var random = SplitMix64(seed: seed)
        func nulls(_ every: UInt64) -> Bitmap {
            var validity = Bitmap(count: count, value: true)
            for row in 0..<count where random.next() % every == 0 { validity[row] = false }
            return validity
        }
        // Strings in no order, so that `<` holds for codes that are not one range.
        let sectors = TextDictionary(["市场监管", "城市管理", "交通运输", "生态环境", "农业农村", "文化旅游"])
        let units = TextDictionary((0..<300).map { "单位\(($0 * 7919) % 300)" })
        let sectorCodes = (0..<count).map { _ in UInt8(random.next() % 6) }
        let unitCodes = (0..<count).map { _ in UInt16(random.next() % 300) }
        let years = (0..<count).map { _ in UInt8(random.next() % 5) }
        let amounts = (0..<count).map { _ in UInt16(random.next() % 60_000) }
        let scores = (0..<count).map { _ in Int16(random.next() % 10_001) }
        let points = (0..<count).map { _ in Int16(random.next() % 2_001) - 1_000 }
        let (a, b, c, d, e) = (nulls(7), nulls(11), nulls(13), nulls(5), nulls(3))
        func pair(_ name: String, _ values: NarrowValues, _ dictionary: TextDictionary?, _ wide: ColumnStorage, _ validity: Bitmap) -> (Column, Column) {
            (Column(name: name, narrow: NarrowColumn(values: values, dictionary: dictionary), validity: validity),
             Column(name: name, storage: wide, validity: validity))
        }
        return [
            pair("sector", .codes8(ColumnBuffer(sectorCodes)), sectors, .text(codes: sectorCodes.map(UInt32.init), dictionary: sectors), a),
            pair("unit", .codes16(ColumnBuffer(unitCodes)), units, .text(codes: unitCodes.map(UInt32.init), dictionary: units), b),
            pair("year", .offsets8(base: 2020, ColumnBuffer(years)), nil, .int64(years.map { 2020 + Int64($0) }), c),
            pair("amount", .offsets16(base: -30_000, ColumnBuffer(amounts)), nil, .int64(amounts.map { -30_000 + Int64($0) }), d),
            pair("score", .hundredths(ColumnBuffer(scores)), nil, .float64(scores.map { Double($0) / 100 }), e),
            // Without nulls: the top-k's bare comparison of the first key.
            pair("points", .hundredths(ColumnBuffer(points)), nil, .float64(points.map { Double($0) / 100 }), Bitmap(count: count, value: true)),
        ]
    }

    /// Literals for each column: values it holds, values between and beyond them.
    static let literals: [String: [Value]] = [
        "sector": [.text("城市管理"), .text("文化旅游"), .text("不存在"), .text(""), .text("市场监管")],
        "unit": [.text("单位150"), .text("单位0"), .text("单位299"), .text("单位1500")],
        "year": [.int(2019), .int(2020), .int(2022), .int(2024), .int(2025), .int(.min)],
        "amount": [.int(-30_000), .int(-1), .int(0), .int(29_999), .int(40_000), .int(-40_000)],
        "score": [.double(70), .int(70), .double(69.99), .double(0), .double(100), .double(100.005), .double(-1), .double(.nan)],
        "points": [.double(-0.5), .int(0), .double(-10), .double(9.99), .double(10.01)],
    ]

    @Test(arguments: sizes) func narrowTestsFindTheRowsTheWideOnesFind(count: Int) throws {
        for (narrow, wide) in Self.columns(count: count, seed: UInt64(count) + 3) {
            for op in Self.operators {
                for literal in Self.literals[narrow.name]! {
                    let test = try #require(VectorKernels.narrowBlockTest(op, narrow, literal), "\(narrow.name) \(op) \(literal)")
                    let twin = try #require(VectorKernels.blockTest(op, Vector(column: wide), .constant(literal)))
                    let found = VectorKernels.selectRows(passingAll: [test], rowCount: count)
                    #expect(found == VectorKernels.selectRows(passingAll: [twin], rowCount: count), "\(narrow.name) \(op) \(literal) on \(count) rows")
                    // A later test of an AND, on the rows an earlier one left.
                    let first = try #require(VectorKernels.narrowBlockTest(.notEqual, narrow, Self.literals[narrow.name]![0]))
                    let firstTwin = try #require(VectorKernels.blockTest(.notEqual, Vector(column: wide), .constant(Self.literals[narrow.name]![0])))
                    #expect(VectorKernels.selectRows(passingAll: [first, test], rowCount: count)
                            == VectorKernels.selectRows(passingAll: [firstTwin, twin], rowCount: count), "\(narrow.name) ≠ then \(op) \(literal)")
                }
            }
        }
    }

    /// Above the cut to every core, one test a column, alone and after another.
    @Test func narrowTestsFindTheRowsTheWideOnesFindOnEveryCore() throws {
        let count = VectorKernels.parallelRows + 17
        for (narrow, wide) in Self.columns(count: count, seed: 12) {
            let (op, literal) = (BinaryOperator.lessOrEqual, Self.literals[narrow.name]![0])
            let test = try #require(VectorKernels.narrowBlockTest(op, narrow, literal))
            let twin = try #require(VectorKernels.blockTest(op, Vector(column: wide), .constant(literal)))
            let other = try #require(VectorKernels.narrowBlockTest(.notEqual, narrow, Self.literals[narrow.name]![1]))
            let otherTwin = try #require(VectorKernels.blockTest(.notEqual, Vector(column: wide), .constant(Self.literals[narrow.name]![1])))
            #expect(VectorKernels.selectRows(passingAll: [test], rowCount: count) == VectorKernels.selectRows(passingAll: [twin], rowCount: count))
            #expect(VectorKernels.selectRows(passingAll: [other, test], rowCount: count)
                    == VectorKernels.selectRows(passingAll: [otherTwin, twin], rowCount: count))
        }
    }

    /// The rows found, worked out here row by row for a few tests.
    @Test func narrowTestsFindTheRowsByHand() throws {
        let strings = TextDictionary(["乙", "甲", "丙"])
        var validity = Bitmap(count: 6, value: true)
        validity[4] = false
        let sector = Column(name: "s", narrow: NarrowColumn(values: .codes8([0, 1, 2, 1, 1, 0]), dictionary: strings), validity: validity)
        let score = Column(name: "f", narrow: NarrowColumn(values: .hundredths([7000, 6999, -50, 10_000, 7000, 7001]), dictionary: nil), validity: validity)
        func rows(_ op: BinaryOperator, _ column: Column, _ literal: Value) throws -> [Int32] {
            VectorKernels.selectRows(passingAll: [try #require(VectorKernels.narrowBlockTest(op, column, literal))], rowCount: 6)
        }
        #expect(try rows(.equal, sector, .text("甲")) == [1, 3])
        #expect(try rows(.notEqual, sector, .text("甲")) == [0, 2, 5])
        // 丙 U+4E19 < 乙 U+4E59 < 甲 U+7532: below 乙 is 丙 alone, above 丙 乙 and 甲.
        #expect(try rows(.less, sector, .text("乙")) == [2])
        #expect(try rows(.greater, sector, .text("丙")) == [0, 1, 3, 5])
        #expect(try rows(.greaterOrEqual, score, .int(70)) == [0, 3, 5])
        #expect(try rows(.less, score, .double(70)) == [1, 2])
        #expect(try rows(.equal, score, .double(-0.5)) == [2])
        // A whole-number column beside a fraction is left to the wide kernels.
        let year = Column(name: "y", narrow: NarrowColumn(values: .offsets8(base: 2020, [0, 2]), dictionary: nil))
        #expect(VectorKernels.narrowBlockTest(.equal, year, .double(2022.5)) == nil)
        #expect(VectorKernels.narrowBlockTest(.equal, Column(name: "w", storage: .int64([1])), .int(1)) == nil)
    }

    /// The passing values as one range, or the complement of one.
    @Test func rangesOfFlagsByHand() {
        #expect(BlockTest.range(of: [0, 1, 1, 0], slots: 4)! == (1, 2, false))
        #expect(BlockTest.range(of: [1, 0, 0, 1], slots: 4)! == (1, 2, true))
        #expect(BlockTest.range(of: [1, 0, 1, 0], slots: 4) == nil)
        #expect(BlockTest.range(of: [0, 0, 0, 0], slots: 4)! == (0, 3, true))
        #expect(BlockTest.range(of: [1, 1, 1, 1], slots: 4)! == (0, 3, false))
        // Slots past `slots` hold no value: `<> 甲` among two codes is code 1 alone.
        #expect(BlockTest.range(of: [0, 1, 0, 0], slots: 2)! == (1, 1, false))
        #expect(BlockTest.range(of: [1, 0, 1, 0], slots: 2)! == (0, 0, false))
    }

    @Test(arguments: [0, 1, 1_000, 3 * VectorKernels.parallelGatherRows + 5])
    func narrowGathersStayNarrowAndGiveTheWideValues(count: Int) {
        var random = SplitMix64(seed: 41)
        let source = 5_000
        let rows = (0..<count).map { _ in random.next() % 10 == 0 ? Int32(-1) : Int32(random.next() % UInt64(source)) }
        for (narrow, wide) in Self.columns(count: source, seed: 5) {
            let gathered = narrow.gathered(rows), twin = wide.gathered(rows)
            #expect(NarrowKernelTests.kind(gathered) == NarrowKernelTests.kind(narrow), "\(narrow.name)")
            #expect(gathered.count == count && gathered.dataType == twin.dataType && gathered.validity == twin.validity, "\(narrow.name)")
            #expect((0..<count).allSatisfy { gathered.value(at: $0) == twin.value(at: $0) }, "\(narrow.name)")
        }
    }

    /// A name for a column's narrow kind.
    static func kind(_ column: Column) -> String {
        switch column.narrow?.values {
        case nil: return "wide"
        case .codes8?: return "codes8"
        case .codes16?: return "codes16"
        case .offsets8?: return "offsets8"
        case .offsets16?: return "offsets16"
        case .offsets32?: return "offsets32"
        case .hundredths?: return "hundredths"
        }
    }

    @Test func gatheredNullsByHand() {
        var source = Bitmap(count: 70, value: true)
        source[3] = false
        source[68] = false
        let rows: ColumnBuffer<Int32> = [0, -1, 3, 68, 69, 2]
        var picked = Bitmap(count: 6, value: true)
        picked[5] = false
        func bits(_ bitmap: Bitmap?) -> [Bool]? { bitmap.map { bitmap in (0..<bitmap.count).map { bitmap[$0] } } }
        #expect(bits(Vector.gatheredNulls(rows, rowValidity: nil, sourceValidity: source)) == [true, false, false, false, true, true])
        #expect(bits(Vector.gatheredNulls(rows, rowValidity: picked, sourceValidity: source)) == [true, false, false, false, true, false])
        #expect(Vector.gatheredNulls([0, 1, 2], rowValidity: nil, sourceValidity: nil) == nil)
        #expect(Vector.gatheredNulls([0, 69], rowValidity: nil, sourceValidity: source) == nil)
    }

    /// Enough rows for the words to be cut into ranges on every core: each row's bit is the one
    /// worked out here row by row (a -1 row, a picked row unset, a source row unset all null).
    @Test func gatheredNullsOfManyRowsMatchRowByRow() throws {
        let sourceCount = 300_000, count = 4 * VectorKernels.parallelGatherRows + 37
        var generator = SplitMix64(seed: 20261201)
        var source = Bitmap(count: sourceCount, value: true)
        for row in 0..<sourceCount where generator.next() % 7 == 0 { source[row] = false }
        let rows = (0..<count).map { _ in generator.next() % 50 == 0 ? Int32(-1) : Int32(generator.next() % UInt64(sourceCount)) }
        var picked = Bitmap(count: count, value: true)
        for row in 0..<count where generator.next() % 11 == 0 { picked[row] = false }
        let buffer = ColumnBuffer(rows)
        for rowValidity in [nil, picked] {
            let gathered = try #require(Vector.gatheredNulls(buffer, rowValidity: rowValidity, sourceValidity: source))
            #expect(gathered.count == count)
            let firstWrong = (0..<count).first { row in
                let expected = rows[row] >= 0 && source[Int(rows[row])] && (rowValidity?[row] ?? true)
                return gathered[row] != expected
            }
            #expect(firstWrong == nil, "picked bitmap \(rowValidity != nil)")
        }
    }

    /// Statements over a table read narrow from the cache and over the same table wide: the same
    /// rows, in the same order.
    @Test func statementsAnswerAlikeOverNarrowAndWideColumns() throws {
        let count = 20_000
        let pairs = Self.columns(count: count, seed: 77)
        let narrowTable = Table(columns: pairs.map(\.narrow), rowCount: count)
        let wideTable = Table(columns: pairs.map(\.wide), rowCount: count)
        let statements = [
            "SELECT unit, pass_rate(score) AS r, count(*) AS n FROM t WHERE sector = '城市管理' AND year = 2022 GROUP BY unit ORDER BY unit",
            "SELECT count(*) AS n FROM t WHERE score < 70",
            "SELECT count(*) AS n FROM t WHERE 70 <= score AND amount <> -30000",
            "SELECT sector, count(*) AS n, avg(score) AS a FROM t WHERE year >= 2021 GROUP BY sector",
            "SELECT sector, unit, score FROM t WHERE year = 2023 AND unit > '单位200' ORDER BY score DESC, unit LIMIT 7",
            "SELECT year, count(DISTINCT unit) AS u, median(score) AS m FROM t GROUP BY year ORDER BY year",
            "SELECT amount + year AS s FROM t WHERE sector IN ('市场监管', '交通运输') ORDER BY s LIMIT 5",
            "SELECT sector, sum(amount) AS s FROM t WHERE score BETWEEN 60 AND 80 GROUP BY sector ORDER BY sector",
            "SELECT sector, stddev(score) AS s, count(DISTINCT score) AS d, sum(DISTINCT score) AS t, max(score) AS m FROM t GROUP BY sector ORDER BY sector",
            "SELECT sector, unit, avg(score) AS a, rank() OVER (PARTITION BY sector ORDER BY avg(score) DESC) AS k FROM t GROUP BY sector, unit ORDER BY sector, k, unit LIMIT 40",
            "SELECT pass_rate(score) AS p, share_below(score, 60) AS b, median(score) AS m FROM t",
            "SELECT unit, points FROM t ORDER BY points DESC, unit LIMIT 15",
            "SELECT unit, points FROM t WHERE sector <> '交通运输' ORDER BY points, unit DESC LIMIT 11",
            "SELECT sector, year, amount FROM t ORDER BY year, amount DESC, sector LIMIT 9",
            "SELECT unit, score FROM t ORDER BY score NULLS FIRST, unit DESC LIMIT 12",
            "SELECT sector FROM t ORDER BY sector DESC NULLS FIRST LIMIT 8",
            "SELECT year, count(DISTINCT sector) AS s, count(DISTINCT amount) AS a, count(DISTINCT points) AS p FROM t GROUP BY year ORDER BY year",
            "SELECT count(DISTINCT unit) AS u, count(DISTINCT year) AS y FROM t WHERE points > 0",
            "SELECT sector, count(DISTINCT unit) AS u, count(*) AS n, median(score) AS m FROM t GROUP BY sector ORDER BY sector",
            "SELECT unit, sector, count(DISTINCT year) AS y, stddev(score) AS s FROM t WHERE year > 2020 GROUP BY unit, sector ORDER BY unit, sector LIMIT 30",
        ]
        for sql in statements {
            let statement = try SQLParser.parse(sql)[0]
            let narrow = try SQLExecutor(statement: statement, passLine: 70) { _ in narrowTable }.run()
            let wide = try SQLExecutor(statement: statement, passLine: 70) { _ in wideTable }.run()
            #expect(narrow.columnNames == wide.columnNames, "\(sql)")
            #expect(narrow.rows == wide.rows, "\(sql)")
            #expect(!narrow.rows.isEmpty, "\(sql)")
        }
    }
}
