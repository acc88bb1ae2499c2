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
