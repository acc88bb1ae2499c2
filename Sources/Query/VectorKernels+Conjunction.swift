import Kernels
import Columnar
import CSIMDBits

/// A comparison of a column with a constant, tested a block of rows at a time into a mask: the
/// form in which an AND of comparisons (`WHERE 执法领域 = '市场监管' AND 评查年度 = 2022`) is
/// found in one pass over the rows, instead of the rows of its first side listed, copied and
/// then tested again one by one against the second.
///
/// A closure made where the column's type and the test are known, so that its loop is compiled
/// for them (a protocol with a generic conforming type ran its loop unspecialised, twice slower
/// than the two passes it replaces).
struct BlockTest: @unchecked Sendable {
    /// Clears in the mask the bit of each row of `start..<start + count` that fails the test or
    /// is null: bit `i % 64` of word `i / 64` stands for row `start + i` (`start` a multiple of 64).
    /// `dense`: every row is tested (the first test of a block); else only the rows whose bit is
    /// still set, one by one, as a chained AND tests only the earlier side's rows.
    let clearFailing: (_ start: Int, _ count: Int, _ mask: UnsafeMutablePointer<UInt64>, _ dense: Bool) -> Void

    /// `test` on the values of one column and its nulls; `keeper` is memory the test reads.
    @inline(__always)
    static func of<Test: RowTest>(_ values: ColumnBuffer<Test.Value>, _ validity: Bitmap?, _ test: Test,
                                  keeping keeper: ColumnBuffer<UInt8>? = nil) -> BlockTest {
        let words = validity?.rawWords ?? []
        return BlockTest { start, count, mask, dense in
            withExtendedLifetime(keeper) {
                values.withUnsafeBufferPointer { values in
                    words.withUnsafeBufferPointer { valid in
                        if dense {
                            clear(values, valid, hasNulls: validity != nil, test, start: start, count: count, mask: mask)
                        } else {
                            clearAmongSet(values, valid, hasNulls: validity != nil, test, start: start, count: count, mask: mask)
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func clear<Test: RowTest>(_ values: UnsafeBufferPointer<Test.Value>, _ valid: UnsafeBufferPointer<UInt64>, hasNulls: Bool,
                                             _ test: Test, start: Int, count: Int, mask: UnsafeMutablePointer<UInt64>) {
        clearWords(start: start, count: count, mask: mask, valid: valid, hasNulls: hasNulls) { row, rows in
            var bits: UInt64 = 0
            if rows == 64 {
                // A fixed count and a masking shift (`<<` checks its amount): a loop without branches.
                for offset in 0..<64 {
                    bits |= (test.passes(values[row &+ offset]) ? 1 : 0) &<< UInt64(offset)
                }
            } else {
                for offset in 0..<rows {
                    bits |= (test.passes(values[row &+ offset]) ? 1 : 0) &<< UInt64(offset)
                }
            }
            return bits
        }
    }

    /// ANDs into `mask` (word 0 for row `start`) the bits `bits(row, rows)` gives for each word of
    /// the rows `start..<start + count` (`rows`: 64, or fewer for the last word), nulls cleared.
    @inline(__always)
    static func clearWords(start: Int, count: Int, mask: UnsafeMutablePointer<UInt64>, valid: UnsafeBufferPointer<UInt64>, hasNulls: Bool,
                           _ bits: (_ row: Int, _ rows: Int) -> UInt64) {
        let end = start + count
        var word = 0
        var row = start
        while row < end {
            var found = bits(row, min(64, end - row))
            if hasNulls { found &= valid[row >> 6] }
            mask[word] &= found
            word += 1
            row += 64
        }
    }

    @inline(__always)
    private static func clearAmongSet<Test: RowTest>(_ values: UnsafeBufferPointer<Test.Value>, _ valid: UnsafeBufferPointer<UInt64>,
                                                     hasNulls: Bool, _ test: Test, start: Int, count: Int,
                                                     mask: UnsafeMutablePointer<UInt64>) {
        for word in 0..<(count + 63) >> 6 {
            var bits = mask[word]
            guard bits != 0 else { continue }
            let base = start + word << 6
            if hasNulls { bits &= valid[base >> 6] }
            var kept = bits
            while bits != 0 {
                let offset = bits.trailingZeroBitCount
                kept &= test.passes(values[base &+ offset]) ? ~0 : ~(1 &<< UInt64(offset))
                bits &= bits &- 1
            }
            mask[word] = kept
        }
    }
}

extension VectorKernels {
    /// `left op right` as a block test, when it compares a column with a constant of its type
    /// as `selectCompared` does without a flag per row; nil otherwise.
    static func blockTest(_ op: BinaryOperator, _ left: Vector, _ right: Vector) -> BlockTest? {
        switch (left, right) {
        case (.constant, .constant):
            return nil
        case (.constant, _):
            return blockTest(op.mirrored, right, left)
        case (.text(let codes, let dictionary, let validity), .constant(.text(let literal))):
            let flags = ColumnBuffer(codesHolding(op, dictionary, literal))
            return .of(codes, validity, CodeTest(flags: flags.buffer), keeping: flags)
        case (.int64(let values, let validity), .constant(.int(let literal))):
            return orderedBlockTest(values, validity, op, literal)
        case (.date(let values, let validity), .constant(.date(let literal))):
            return orderedBlockTest(values, validity, op, literal)
        case (.float64(let values, let validity), .constant(let literal)):
            return literal.asDouble.flatMap { orderedBlockTest(values, validity, op, $0) }
        default:
            return nil
        }
    }

    /// The operator's test as `selectOrdered` spells it.
    private static func orderedBlockTest<T: Comparable & BitwiseCopyable>(_ values: ColumnBuffer<T>, _ validity: Bitmap?, _ op: BinaryOperator,
                                                                         _ literal: T) -> BlockTest? {
        switch op {
        case .equal: return .of(values, validity, EqualTest(literal: literal))
        case .notEqual: return .of(values, validity, NotEqualTest(literal: literal))
        case .less: return .of(values, validity, LessTest(literal: literal))
        case .lessOrEqual: return .of(values, validity, LessOrEqualTest(literal: literal))
        case .greater: return .of(values, validity, GreaterTest(literal: literal))
        case .greaterOrEqual: return .of(values, validity, GreaterOrEqualTest(literal: literal))
        default: return nil
        }
    }

    /// Rows tested per block: the block's part of the mask (64 words) stays in the first cache.
    static let blockRows = 4096

    /// The rows of `0..<rowCount`, in order, that pass every one of `tests` (none null).
    ///
    /// Each block of rows is tested by each test in turn into its part of one bitmap of the
    /// table's rows: the first test on every row, the next ones on the rows still set (as a
    /// chained AND tests only the earlier side's rows); a block whose mask is empty is not tested
    /// further. Then the bits set are counted piece by piece, and each piece writes its rows
    /// straight into the answer at its place: no list of rows per test, no buffer per piece.
    /// Pieces of rows (cut at multiples of 64) run on every core.
    static func selectRows(passingAll tests: [BlockTest], rowCount: Int) -> [Int32] {
        precondition(!tests.isEmpty, "at least one test")
        let words = (rowCount + 63) >> 6
        guard words > 0 else { return [] }
        let pieces = rowCount >= parallelRows ? min(64, rowCount / (parallelRows / 4)) : 1
        let wordRanges = ConcurrentTasks.evenRanges(of: words, pieces: max(1, min(pieces, words)))
        let mask = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: wordRanges.count)
        defer {
            mask.deallocate()
            counts.deallocate()
        }
        ConcurrentTasks(wordRanges.count).run { piece in
            let end = min(rowCount, wordRanges[piece].upperBound << 6)
            var start = wordRanges[piece].lowerBound << 6
            var count = 0
            while start < end {
                let rows = min(blockRows, end - start)
                let block = mask + start >> 6
                let blockWords = (rows + 63) >> 6
                block.initialize(repeating: ~0, count: blockWords)
                for (index, test) in tests.enumerated() {
                    if index > 0 {
                        var any: UInt64 = 0
                        for word in 0..<blockWords { any |= block[word] }
                        if any == 0 { break }
                    }
                    test.clearFailing(start, rows, block, index == 0)
                }
                for word in 0..<blockWords { count += block[word].nonzeroBitCount }
                start += rows
            }
            counts[piece] = count
        }
        var places = [Int](repeating: 0, count: wordRanges.count)
        for piece in 1..<max(1, wordRanges.count) { places[piece] = places[piece - 1] + counts[piece - 1] }
        let total = counts.reduce(0, +)
        return [Int32](unsafeUninitializedCapacity: total) { output, initialized in
            MemoryAdvice.prepareForWriting(output)
            ConcurrentTasks(wordRanges.count).run { piece in
                var at = places[piece]
                for word in wordRanges[piece] {
                    var bits = mask[word]
                    let base = Int32(truncatingIfNeeded: word << 6)
                    while bits != 0 {
                        output[at] = base + Int32(truncatingIfNeeded: bits.trailingZeroBitCount)
                        at += 1
                        bits &= bits &- 1
                    }
                }
            }
            initialized = total
        }
    }
}

/// A narrow value (`NarrowValues`) as the slot of a table with one flag per possible value.
protocol NarrowSlot: BitwiseCopyable {
    var slot: Int { get }
}

extension UInt8: NarrowSlot {
    @inline(__always) var slot: Int { Int(self) }
}

extension UInt16: NarrowSlot {
    @inline(__always) var slot: Int { Int(self) }
}

extension Int16: NarrowSlot {
    @inline(__always) var slot: Int { Int(UInt16(bitPattern: self)) }
}

/// A narrow value whose flag is set: the test worked out once for every value the column's
/// width can hold (256 or 65,536 of them), so that any comparison is one load per row.
struct LookupTest<Element: NarrowSlot>: RowTest {
    let flags: UnsafeBufferPointer<UInt8>
    @inline(__always) func passes(_ value: Element) -> Bool { flags[value.slot] != 0 }
}

extension BlockTest {
    /// Bytes that lie in `low...high` (or, `negated`, outside it), 64 rows at a time: sixteen
    /// byte comparisons per instruction and one mask instruction (`pingcha_movemask16`) per
    /// sixteen rows. Every row of a block is tested, even for a later test of an AND: cheaper
    /// than visiting the rows still set one by one.
    static func byteRange(_ values: ColumnBuffer<UInt8>, _ validity: Bitmap?, low: UInt8, high: UInt8, negated: Bool) -> BlockTest {
        let words = validity?.rawWords ?? []
        let hasNulls = validity != nil
        return BlockTest { start, count, mask, _ in
            values.withUnsafeBufferPointer { values in
                words.withUnsafeBufferPointer { valid in
                    let base = UnsafeRawPointer(values.baseAddress!)
                    let lowLanes = SIMD16<UInt8>(repeating: low), span = SIMD16<UInt8>(repeating: high &- low)
                    clearWords(start: start, count: count, mask: mask, valid: valid, hasNulls: hasNulls) { row, rows in
                        var bits: UInt64 = 0
                        if rows == 64 {
                            for part in 0..<4 {
                                let lanes = base.loadUnaligned(fromByteOffset: row &+ part &* 16, as: SIMD16<UInt8>.self)
                                let inside = (lanes &- lowLanes) .<= span
                                bits |= UInt64(pingcha_movemask16(SIMD16<UInt8>(repeating: 0).replacing(with: 0xFF, where: inside))) &<< UInt64(part &* 16)
                            }
                            return negated ? ~bits : bits
                        }
                        for offset in 0..<rows {
                            let inside = values[row &+ offset] &- low <= high &- low
                            bits |= (inside != negated ? 1 : 0) &<< UInt64(offset)
                        }
                        return bits
                    }
                }
            }
        }
    }

    /// The passing slots among the first `slots` of `flags` as one range, or the complement of
    /// one (`negated`); nil when they are neither. Slots from `slots` on hold no value and may
    /// be counted either way.
    static func range(of flags: [UInt8], slots: Int) -> (low: Int, high: Int, negated: Bool)? {
        let passing = (0..<slots).filter { flags[$0] != 0 }
        if passing.isEmpty { return (0, flags.count - 1, true) }
        if passing.last! - passing.first! + 1 == passing.count { return (passing.first!, passing.last!, false) }
        let failing = (0..<slots).filter { flags[$0] == 0 }
        if failing.last! - failing.first! + 1 == failing.count { return (failing.first!, failing.last!, true) }
        return nil
    }
}

extension VectorKernels {
    /// `column op literal` as a block test on the column's narrow values, with the same answer
    /// as the test of its wide values (`blockTest`); nil when the column is not narrow, or not of
    /// a kind and literal this reads (`offsets32`, a whole-number column beside a fraction).
    static func narrowBlockTest(_ op: BinaryOperator, _ column: Column, _ literal: Value) -> BlockTest? {
        guard let narrow = column.narrow, [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(op) else { return nil }
        // The test of every value the width holds; bytes whose passing values form one range (or
        // the complement of one) compared sixteen at a time, any other set looked up row by row.
        func test<Element: NarrowSlot>(_ values: ColumnBuffer<Element>, slots: Int, used: Int? = nil, _ passes: (Int) -> Bool) -> BlockTest {
            let table = (0..<slots).map { passes($0) ? UInt8(1) : 0 }
            if let bytes = values as? ColumnBuffer<UInt8>, let range = BlockTest.range(of: table, slots: used ?? slots) {
                return .byteRange(bytes, column.validity, low: UInt8(range.low), high: UInt8(range.high), negated: range.negated)
            }
            let flags = ColumnBuffer(table)
            return .of(values, column.validity, LookupTest<Element>(flags: flags.buffer), keeping: flags)
        }
        func ordered<T: Comparable>(_ value: T, _ other: T) -> Bool {
            ValueOrdering.holds(op, value < other ? -1 : (value == other ? 0 : 1))
        }
        switch (narrow.values, literal) {
        case (.codes8(let codes), .text(let text)):
            let holding = codesHolding(op, narrow.dictionary!, text)
            return test(codes, slots: 1 << 8, used: holding.count) { $0 < holding.count && holding[$0] != 0 }
        case (.codes16(let codes), .text(let text)):
            let holding = codesHolding(op, narrow.dictionary!, text)
            return test(codes, slots: 1 << 16) { $0 < holding.count && holding[$0] != 0 }
        case (.offsets8(let base, let offsets), .int(let number)):
            return test(offsets, slots: 1 << 8) { ordered(base &+ Int64($0), number) }
        case (.offsets16(let base, let offsets), .int(let number)):
            return test(offsets, slots: 1 << 16) { ordered(base &+ Int64($0), number) }
        case (.hundredths(let values), _):
            guard let number = literal.asDouble else { return nil }
            return test(values, slots: 1 << 16) { slot in
                // The wide tests' comparisons, spelled as they spell them (a NaN literal alike).
                let value = Hundredths.number(Int16(bitPattern: UInt16(slot)))
                switch op {
                case .equal: return value == number
                case .notEqual: return !(value == number)
                case .less: return value < number
                case .lessOrEqual: return value <= number
                case .greater: return !(value <= number)
                default: return !(value < number)
                }
            }
        default:
            return nil
        }
    }
}
