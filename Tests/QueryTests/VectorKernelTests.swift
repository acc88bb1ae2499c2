@testable import Query
import Columnar
import Kernels
import Testing

/// The element-wise kernels cut big vectors into ranges run on every core; each is held here to
/// a plain row-by-row reference written in the test, on vectors below and above the cut-over
/// (`VectorKernels.parallelRows`), with seeded random values and nulls.
@Suite struct VectorKernelTests {
    static let sizes = [0, 1, 1_000, VectorKernels.parallelRows - 1, 3 * VectorKernels.parallelRows + 17]

    /// Three-valued bytes: 0 false, 1 true, 2 unknown.
    static func flags(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(random.next() % 3) }
    }

    @Test(arguments: sizes) func selectedRowsAreTheTrueRowsInOrder(count: Int) {
        let bytes = Self.flags(count, seed: 11)
        var expected: [Int32] = []
        for row in 0..<count where bytes[row] == 1 { expected.append(Int32(row)) }
        #expect(Vector.bool(bytes).selectedRows(rowCount: count) == expected)
    }

    @Test(arguments: sizes) func andOrFollowTheTruthTables(count: Int) {
        let a = Self.flags(count, seed: 21), b = Self.flags(count, seed: 22)
        // SQL's tables: AND is false if either is false, else unknown if either is; OR mirrors it.
        let and = zip(a, b).map { x, y -> UInt8 in x == 0 || y == 0 ? 0 : (x == 2 || y == 2 ? 2 : 1) }
        let or = zip(a, b).map { x, y -> UInt8 in x == 1 || y == 1 ? 1 : (x == 2 || y == 2 ? 2 : 0) }
        guard case .bool(let gotAnd) = VectorKernels.logical(.and, .bool(a), .bool(b), rowCount: count),
              case .bool(let gotOr) = VectorKernels.logical(.or, .bool(a), .bool(b), rowCount: count) else {
            Issue.record("AND/OR did not give booleans")
            return
        }
        #expect(gotAnd == and)
        #expect(gotOr == or)
    }

    @Test(arguments: sizes) func numberAndTextComparisonsMatchRowByRow(count: Int) {
        var random = SplitMix64(seed: 31)
        let numbers = (0..<count).map { _ in Int64(random.next() % 100) }
        var validity = Bitmap(count: count, value: true)
        for row in 0..<count where random.next() % 7 == 0 { validity[row] = false }
        let words = ["甲", "乙", "丙", "丁"]
        let texts = (0..<count).map { _ in words[Int(random.next() % 4)] }
        var dictionary = TextDictionary()
        let codes = texts.map { dictionary.code(for: $0) }

        let below = VectorKernels.compare(.less, .int64(numbers, validity), .constant(.int(70)), rowCount: count)
        let expectedBelow = (0..<count).map { row -> UInt8 in validity[row] ? (numbers[row] < 70 ? 1 : 0) : 2 }
        guard case .bool(let gotBelow) = below else { Issue.record("no booleans"); return }
        #expect(gotBelow == expectedBelow)

        let equal = VectorKernels.compare(.equal, .text(codes, dictionary, validity), .constant(.text("乙")), rowCount: count)
        let expectedEqual = (0..<count).map { row -> UInt8 in validity[row] ? (texts[row] == "乙" ? 1 : 0) : 2 }
        guard case .bool(let gotEqual) = equal else { Issue.record("no booleans"); return }
        #expect(gotEqual == expectedEqual)
    }

    /// Every comparison of a number or date column with a constant (one loop per operator), row
    /// by row against the order written out here: a NaN above every number, -0 equal to 0.
    @Test(arguments: sizes) func everyOperatorAgainstAConstant(count: Int) {
        var random = SplitMix64(seed: 41)
        let specials: [Double] = [.nan, -0.0, 0, 70, 69.9]
        let doubles = (0..<count).map { _ in random.next() % 5 == 0 ? specials[Int(random.next() % 5)] : Double(random.next() % 1000) / 10 }
        let integers = (0..<count).map { _ in Int64(random.next() % 200) - 100 }
        let days = (0..<count).map { _ in Int32(random.next() % 40) + 19_000 }
        var validity = Bitmap(count: count, value: true)
        for row in 0..<count where random.next() % 9 == 0 { validity[row] = false }
        let operators: [(BinaryOperator, (Int) -> Bool)] = [
            (.equal, { $0 == 0 }), (.notEqual, { $0 != 0 }), (.less, { $0 < 0 }),
            (.lessOrEqual, { $0 <= 0 }), (.greater, { $0 > 0 }), (.greaterOrEqual, { $0 >= 0 }),
        ]
        func expected(_ order: (Int) -> Int, _ holds: (Int) -> Bool) -> [UInt8] {
            (0..<count).map { row in validity[row] ? (holds(order(row)) ? 1 : 0) : 2 }
        }
        for (op, holds) in operators {
            let doubleOrder = { (row: Int) -> Int in
                let x = doubles[row]
                return x.isNaN ? 1 : (x < 70 ? -1 : (x == 70 ? 0 : 1))
            }
            let integerOrder = { (row: Int) -> Int in integers[row] < -3 ? -1 : (integers[row] == -3 ? 0 : 1) }
            let dayOrder = { (row: Int) -> Int in days[row] < 19_020 ? -1 : (days[row] == 19_020 ? 0 : 1) }
            guard case .bool(let gotDoubles) = VectorKernels.compare(op, .float64(doubles, validity), .constant(.int(70)), rowCount: count),
                  case .bool(let gotIntegers) = VectorKernels.compare(op, .int64(integers, validity), .constant(.int(-3)), rowCount: count),
                  case .bool(let gotDays) = VectorKernels.compare(op, .date(days, validity), .constant(.date(19_020)), rowCount: count),
                  case .bool(let mirrored) = VectorKernels.compare(op, .constant(.int(-3)), .int64(integers, validity), rowCount: count)
            else {
                Issue.record("no booleans for \(op)")
                return
            }
            #expect(gotDoubles == expected(doubleOrder, holds), "\(op) on doubles")
            #expect(gotIntegers == expected(integerOrder, holds), "\(op) on integers")
            #expect(gotDays == expected(dayOrder, holds), "\(op) on dates")
            // The constant on the left: -3 op x is x (mirrored op) -3.
            #expect(mirrored == expected({ -integerOrder($0) }, holds), "\(op) mirrored")
        }
    }
}

/// The selection kernel (a WHERE's true rows found without a flag per row) beside the flag
/// kernel's order written out in `VectorKernelTests`: the same rows, from every row and from a
/// given set of candidate rows, with nulls, NaN and -0.
@Suite struct SelectionKernelTests {
    @Test(arguments: VectorKernelTests.sizes) func selectedRowsAreTheTrueRows(count: Int) {
        var random = SplitMix64(seed: 43)
        let specials: [Double] = [.nan, -0.0, 0, 70, 69.9]
        let doubles = (0..<count).map { _ in random.next() % 5 == 0 ? specials[Int(random.next() % 5)] : Double(random.next() % 1000) / 10 }
        let integers = (0..<count).map { _ in Int64(random.next() % 200) - 100 }
        let days = (0..<count).map { _ in Int32(random.next() % 40) + 19_000 }
        let dictionary = TextDictionary(["乙", "甲", "丙"])
        let codes = (0..<count).map { _ in UInt32(random.next() % 3) }
        var validity = Bitmap(count: count, value: true)
        for row in 0..<count where random.next() % 9 == 0 { validity[row] = false }
        // Every third row, and the rows where a second random draw is even: candidates in order.
        let candidates = (0..<count).filter { $0 % 3 == 0 || random.next() % 2 == 0 }.map { Int32($0) }
        let operators: [(BinaryOperator, (Int) -> Bool)] = [
            (.equal, { $0 == 0 }), (.notEqual, { $0 != 0 }), (.less, { $0 < 0 }),
            (.lessOrEqual, { $0 <= 0 }), (.greater, { $0 > 0 }), (.greaterOrEqual, { $0 >= 0 }),
        ]
        for (op, holds) in operators {
            let orders: [(String, Vector, Vector, (Int) -> Int)] = [
                ("doubles", .float64(ColumnBuffer(doubles), validity), .constant(.int(70)), { row in
                    let x = doubles[row]
                    return x.isNaN ? 1 : (x < 70 ? -1 : (x == 70 ? 0 : 1))
                }),
                ("integers", .int64(ColumnBuffer(integers), validity), .constant(.int(-3)), { integers[$0] < -3 ? -1 : (integers[$0] == -3 ? 0 : 1) }),
                ("dates", .date(ColumnBuffer(days), validity), .constant(.date(19_020)), { days[$0] < 19_020 ? -1 : (days[$0] == 19_020 ? 0 : 1) }),
                // By UTF-8 bytes 丙 (E4 B8 99) < 乙 (E4 B9 99) < 甲 (E7 94 B2).
                ("text", .text(ColumnBuffer(codes), dictionary, validity), .constant(.text("乙")), { row in
                    let rank = [1, 2, 0][Int(codes[row])]  // 乙 1, 甲 2, 丙 0
                    return rank < 1 ? -1 : (rank == 1 ? 0 : 1)
                }),
                ("mirrored", .constant(.int(-3)), .int64(ColumnBuffer(integers), validity), { -(integers[$0] < -3 ? -1 : (integers[$0] == -3 ? 0 : 1)) }),
            ]
            for (name, left, right, order) in orders {
                let expected = (0..<count).filter { validity[$0] && holds(order($0)) }.map { Int32($0) }
                let all = VectorKernels.selectCompared(op, left, right, rowCount: count, among: nil)
                #expect(all == expected, "\(op) on \(name), every row")
                let some = VectorKernels.selectCompared(op, left, right, rowCount: count, among: candidates)
                #expect(some == candidates.filter { validity[Int($0)] && holds(order(Int($0))) }, "\(op) on \(name), candidates")
            }
        }
    }
}

/// An AND of comparisons found in one pass (`selectRows(passingAll:rowCount:)`, block by block
/// into one bitmap) beside a row-by-row reference written here: the same rows in order, for two
/// and three tests, with nulls in every column, NaN among the numbers, a first test that passes
/// few rows and one that passes most, on sizes around the block and the parallel cut-overs.
@Suite struct ConjunctionKernelTests {
    static let sizes = [0, 1, 63, 64, 65, VectorKernels.blockRows - 1, VectorKernels.blockRows + 1,
                        VectorKernels.parallelRows - 1, 3 * VectorKernels.parallelRows + 17]

    @Test(arguments: sizes) func allTestsPassOnTheRowsFound(count: Int) throws {
        var random = SplitMix64(seed: 91)
        let dictionary = TextDictionary(["市场监管", "城市管理", "交通运输", "生态环境"])
        let codes = (0..<count).map { _ in UInt32(random.next() % 4) }
        let years = (0..<count).map { _ in Int64(2020 + random.next() % 4) }
        let scores = (0..<count).map { _ in random.next() % 50 == 0 ? Double.nan : Double(random.next() % 1001) / 10 }
        let days = (0..<count).map { _ in Int32(19_000 + random.next() % 400) }
        func nulls(_ every: UInt64) -> Bitmap {
            var validity = Bitmap(count: count, value: true)
            for row in 0..<count where random.next() % every == 0 { validity[row] = false }
            return validity
        }
        let (codeValid, yearValid, scoreValid, dayValid) = (nulls(7), nulls(11), nulls(13), nulls(17))
        let sector = try #require(VectorKernels.blockTest(.equal, .text(ColumnBuffer(codes), dictionary, codeValid), .constant(.text("城市管理"))))
        let notSector = try #require(VectorKernels.blockTest(.notEqual, .text(ColumnBuffer(codes), dictionary, codeValid), .constant(.text("交通运输"))))
        let year = try #require(VectorKernels.blockTest(.equal, .constant(.int(2022)), .int64(ColumnBuffer(years), yearValid)))
        let below = try #require(VectorKernels.blockTest(.less, .float64(ColumnBuffer(scores), scoreValid), .constant(.int(70))))
        let late = try #require(VectorKernels.blockTest(.greaterOrEqual, .date(ColumnBuffer(days), dayValid), .constant(.date(19_200))))
        // The same tests row by row: a null fails, NaN is above every number (`selectOrdered`).
        let passes: [(Int) -> Bool] = [
            { codeValid[$0] && codes[$0] == 1 },
            { codeValid[$0] && codes[$0] != 2 },
            { yearValid[$0] && years[$0] == 2022 },
            { scoreValid[$0] && !scores[$0].isNaN && scores[$0] < 70 },
            { dayValid[$0] && days[$0] >= 19_200 },
        ]
        let tests = [sector, notSector, year, below, late]
        for chosen in [[0, 2], [1, 3], [2, 3, 4], [0, 1, 2, 3, 4], [3, 0]] {
            let expected = (0..<count).filter { row in chosen.allSatisfy { passes[$0](row) } }.map { Int32($0) }
            let found = VectorKernels.selectRows(passingAll: chosen.map { tests[$0] }, rowCount: count)
            #expect(found == expected, "tests \(chosen) on \(count) rows")
        }
    }
}

/// The join's id table beside Swift's dictionary: the same ids, in order of first insertion,
/// for seeded random pairs with many repeats and colliding bits.
@Suite struct DenseIdTableTests {
    @Test(arguments: [0, 1, 100, 50_000]) func givesTheDictionarysIds(count: Int) {
        var random = SplitMix64(seed: 41)
        var table = DenseIdTable(capacity: count)
        var reference: [[UInt64]: Int32] = [:]
        for _ in 0..<count {
            let previous = Int32(random.next() % 50)
            // Bits that differ only high up, and small ones: both must hash apart.
            let bits = random.next() % 2 == 0 ? (random.next() % 300) << 40 : random.next() % 300
            let expected = reference[[UInt64(previous), bits]] ?? Int32(reference.count)
            reference[[UInt64(previous), bits]] = expected
            #expect(table.id(previous: previous, bits: bits) == expected)
        }
        #expect(table.count == reference.count)
        for (key, id) in reference { #expect(table.existingId(previous: Int32(key[0]), bits: key[1]) == id) }
        #expect(table.existingId(previous: 99, bits: 1) == -1)
    }
}

/// Arithmetic, date parts and gathers cut into ranges, against row-by-row references.
@Suite struct VectorArithmeticTests {
    @Test(arguments: VectorKernelTests.sizes) func arithmeticDatePartsAndGathers(count: Int) {
        var random = SplitMix64(seed: 51)
        let a = (0..<count).map { _ in Int64(random.next() % 1000) - 500 }
        let b = (0..<count).map { _ in Int64(random.next() % 1000) - 500 }
        let x = a.map { Double($0) / 4 }
        guard case .int64(let sums, _) = VectorKernels.arithmetic(.add, .int64(a, nil), .int64(b, nil), integers: true, rowCount: count),
              case .float64(let products, _) = VectorKernels.arithmetic(.multiply, .float64(x, nil), .int64(b, nil), integers: false,
                                                                          rowCount: count) else {
            Issue.record("arithmetic did not give numbers")
            return
        }
        #expect(sums.elements == zip(a, b).map { $0 + $1 })
        #expect(products.elements == zip(x, b).map { $0 * Double($1) })

        // Days from 1970-01-01; 2024-02-29 is day 19,782.
        let days = (0..<count).map { _ in Int32(random.next() % 40_000) }
        guard case .int64(let months, _) = VectorKernels.datePart("month", .date(days, nil), rowCount: count) else {
            Issue.record("month() did not give integers")
            return
        }
        #expect(months.elements == days.map { Int64(CivilDate.components(days: $0).month) })
        if count > 0, case .int64(let leap, _) = VectorKernels.datePart("day", .date([19_782], nil), rowCount: 1) {
            #expect(leap == [29])
        }

        // Every ninth row or so gathers -1, which gives null.
        let rows = (0..<count).map { _ in random.next() % 9 == 0 ? -1 : Int32(random.next() % UInt64(count)) }
        let picked = Vector.int64(a, nil).gathered(rows)
        #expect((0..<count).map { picked.value(at: $0) } == rows.map { $0 >= 0 ? .int(a[Int($0)]) : .null })
    }
}

/// The domain commands' key join: the last matching row, nulls never matching, and keys of two
/// types compared as text.
@Suite struct KeyJoinTests {
    @Test func lastMatchByHand() {
        var validity = Bitmap()
        for valid in [true, true, false, true] { validity.append(valid) }
        let tests = Column(name: "证件号", storage: .text(codes: [0, 1, 0, 2], dictionary: TextDictionary(["A1", "B2", "C3"])),
                           validity: validity)
        // The roster lists A1 twice (rows 0 and 2): the later line wins; C3 is not there.
        let roster = Column(name: "证件号", storage: .text(codes: [0, 1, 0], dictionary: TextDictionary(["A1", "B2"])))
        #expect(KeyJoin.lastMatch(left: tests, right: roster) == [2, 1, -1, -1])

        let numbers = Column(name: "证件号", storage: .int64([410_001, 410_002]))
        let texts = Column(name: "证件号", storage: .text(codes: [1, 0], dictionary: TextDictionary(["410001", "410002"])))
        #expect(KeyJoin.lastMatch(left: numbers, right: texts) == [1, 0])
    }
}
