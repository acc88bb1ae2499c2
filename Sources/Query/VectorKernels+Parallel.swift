import Kernels

extension VectorKernels {
    /// Rows from which an element-wise kernel is cut into ranges run on every core.
    static let parallelRows = 1 << 20
    /// Rows from which a gather at given rows (each read a likely cache miss) runs on every core.
    static let parallelGatherRows = 1 << 16

    /// A new array of `count` elements, each range of rows filled by `body` (every element must
    /// be written); the ranges run on every core when the array has `parallelFrom` elements or
    /// more (fewer for work that waits on memory, a gather at scattered rows, than for work that
    /// computes on values read in order).
    static func filled<T>(_ count: Int, parallelFrom: Int = parallelRows,
                          _ body: (_ rows: Range<Int>, _ output: UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
        MemoryAdvice.filledArray(count: count, parallelFrom: parallelFrom, body)
    }
}

extension VectorKernels {
    /// The row numbers 0..<count, written on every core when there are many.
    static func allRows(_ count: Int) -> [Int32] {
        filled(count) { rows, output in
            for row in rows { output[row] = Int32(truncatingIfNeeded: row) }
        }
    }
}

extension Vector {
    /// The rows where a boolean vector is true (unknown counts as false, as in WHERE), in order;
    /// counted and written by ranges on every core when the vector is big.
    public func selectedRows(rowCount: Int) -> [Int32] {
        switch self {
        case .bool(let values):
            let pieces = values.count >= VectorKernels.parallelRows ? min(64, values.count / (VectorKernels.parallelRows / 4)) : 1
            let ranges = ConcurrentTasks.evenRanges(of: values.count, pieces: max(1, pieces))
            var counts = [Int](repeating: 0, count: ranges.count)
            values.withUnsafeBufferPointer { flags in
                counts.withUnsafeMutableBufferPointer { counts in
                    ConcurrentTasks(ranges.count).run { piece in
                        counts[piece] = Vector.forEachTrue(in: flags, ranges[piece]) { _ in }
                    }
                }
            }
            var starts = [Int](repeating: 0, count: ranges.count + 1)
            for piece in ranges.indices { starts[piece + 1] = starts[piece] + counts[piece] }
            let total = starts[ranges.count]
            return [Int32](unsafeUninitializedCapacity: total) { rows, initialized in
                values.withUnsafeBufferPointer { flags in
                    ConcurrentTasks(ranges.count).run { piece in
                        var next = starts[piece]
                        Vector.forEachTrue(in: flags, ranges[piece]) { row in
                            rows[next] = Int32(row)
                            next += 1
                        }
                    }
                }
                initialized = total
            }
        case .constant(.bool(true)):
            return VectorKernels.allRows(rowCount)
        default:
            return []
        }
    }

    /// Calls `body` with each row of `rows` whose flag is true (1), in order, and returns how
    /// many there were. Eight flags are read as one word: true is the only flag with its low bit
    /// set (false is 0, unknown 2), so a word with no low bit set holds no true row and is skipped
    /// whole, and a count needs only the low bits' population.
    @inline(__always)
    @discardableResult
    static func forEachTrue(in flags: UnsafeBufferPointer<UInt8>, _ rows: Range<Int>, _ body: (Int) -> Void) -> Int {
        let lowBits: UInt64 = 0x0101_0101_0101_0101
        var found = 0
        var row = rows.lowerBound
        let raw = UnsafeRawPointer(flags.baseAddress)
        while row + 8 <= rows.upperBound, let raw {
            var word = raw.loadUnaligned(fromByteOffset: row, as: UInt64.self) & lowBits
            found += word.nonzeroBitCount
            while word != 0 {
                body(row + word.trailingZeroBitCount / 8)
                word &= word - 1
            }
            row += 8
        }
        while row < rows.upperBound {
            if flags[row] == Vector.trueValue {
                body(row)
                found += 1
            }
            row += 1
        }
        return found
    }
}

extension VectorKernels {
    /// The rows among `candidates` (every row of `rowCount` when nil), in order, whose flag in
    /// `flags` (a boolean vector over every row) is true.
    static func rows(where flags: Vector, among candidates: [Int32]?, rowCount: Int) -> [Int32] {
        guard let candidates else { return flags.selectedRows(rowCount: rowCount) }
        switch flags {
        case .bool(let values):
            return values.withUnsafeBufferPointer { values in
                candidates.filter { values[Int($0)] == 1 }
            }
        case .constant(.bool(true)):
            return candidates
        default:
            return []
        }
    }

    /// The rows among `candidates` (every row of `rowCount` when nil), in order, where
    /// `left op right` is true: a column compared with a constant (either side) is tested row by
    /// row and the row numbers written at once, with no flag per row (a WHERE's first condition
    /// over ten million rows), on every core when the rows are many. Anything else is compared
    /// as `compare` does and its true rows kept.
    static func selectCompared(_ op: BinaryOperator, _ left: Vector, _ right: Vector, rowCount: Int, among candidates: [Int32]?) -> [Int32] {
        switch (left, right) {
        case (.constant, .constant):
            break
        case (.constant, _):
            return selectCompared(op.mirrored, right, left, rowCount: rowCount, among: candidates)
        case (.text(let codes, let dictionary, let validity), .constant(.text(let literal))):
            return codesHolding(op, dictionary, literal).withUnsafeBufferPointer { perCode in
                selectRows(codes, validity, rowCount: rowCount, among: candidates, CodeTest(flags: perCode))
            }
        case (.int64(let values, let validity), .constant(.int(let literal))):
            return selectOrdered(values, validity, op, literal, rowCount: rowCount, among: candidates)
        case (.date(let values, let validity), .constant(.date(let literal))):
            return selectOrdered(values, validity, op, literal, rowCount: rowCount, among: candidates)
        case (.float64(let values, let validity), .constant(let literal)):
            guard let threshold = literal.asDouble else { break }
            return selectOrdered(values, validity, op, threshold, rowCount: rowCount, among: candidates)
        default:
            break
        }
        return rows(where: compare(op, left, right, rowCount: rowCount), among: candidates, rowCount: rowCount)
    }

    /// `selectRows` with the operator's test, spelled as `compare` spells it (a NaN is above
    /// every number: `>` is `!(<=)`, `>=` is `!(<)`).
    private static func selectOrdered<T: Comparable & BitwiseCopyable>(_ values: ColumnBuffer<T>, _ validity: Bitmap?, _ op: BinaryOperator,
                                                                      _ literal: T, rowCount: Int, among candidates: [Int32]?) -> [Int32] {
        switch op {
        case .equal: return selectRows(values, validity, rowCount: rowCount, among: candidates, EqualTest(literal: literal))
        case .notEqual: return selectRows(values, validity, rowCount: rowCount, among: candidates, NotEqualTest(literal: literal))
        case .less: return selectRows(values, validity, rowCount: rowCount, among: candidates, LessTest(literal: literal))
        case .lessOrEqual: return selectRows(values, validity, rowCount: rowCount, among: candidates, LessOrEqualTest(literal: literal))
        case .greater: return selectRows(values, validity, rowCount: rowCount, among: candidates, GreaterTest(literal: literal))
        case .greaterOrEqual: return selectRows(values, validity, rowCount: rowCount, among: candidates, GreaterOrEqualTest(literal: literal))
        default: return []
        }
    }

    /// The rows (of `candidates`, or of 0..<rowCount) whose value passes `test` and is not null,
    /// in order. Each piece of rows (up to 64, each a quarter of a million rows or more) writes
    /// its row numbers into a buffer of its own, and the pieces are then copied together: only
    /// the pages written are ever backed, and a later statement's buffers come from the memory
    /// these gave back. The test is a type, not a closure, so that each is its own loop.
    private static func selectRows<Test: RowTest>(_ values: ColumnBuffer<Test.Value>, _ validity: Bitmap?, rowCount: Int,
                                                  among candidates: [Int32]?, _ test: Test) -> [Int32] {
        let total = candidates?.count ?? rowCount
        let pieces = total >= parallelRows ? min(64, total / (parallelRows / 4)) : 1
        let ranges = ConcurrentTasks.evenRanges(of: total, pieces: max(1, pieces))
        let found = UnsafeMutableBufferPointer<UnsafeMutableBufferPointer<Int32>>.allocate(capacity: ranges.count)
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: ranges.count)
        defer {
            for piece in 0..<ranges.count { found[piece].deallocate() }
            found.deallocate()
            counts.deallocate()
        }
        values.withUnsafeBufferPointer { values in
            (candidates ?? []).withUnsafeBufferPointer { chosen in
                ConcurrentTasks(ranges.count).run { piece in
                    let range = ranges[piece]
                    let output = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(1, range.count))
                    var count = 0
                    switch (candidates != nil, validity) {
                    case (false, nil):
                        for row in range {
                            output[count] = Int32(truncatingIfNeeded: row)
                            count += test.passes(values[row]) ? 1 : 0
                        }
                    case (true, nil):
                        for index in range {
                            let row = chosen[index]
                            output[count] = row
                            count += test.passes(values[Int(row)]) ? 1 : 0
                        }
                    case (false, let validity?):
                        for row in range where validity[row] && test.passes(values[row]) {
                            output[count] = Int32(truncatingIfNeeded: row)
                            count += 1
                        }
                    case (true, let validity?):
                        for index in range {
                            let row = Int(chosen[index])
                            if validity[row], test.passes(values[row]) {
                                output[count] = Int32(truncatingIfNeeded: row)
                                count += 1
                            }
                        }
                    }
                    found[piece] = output
                    counts[piece] = count
                }
            }
        }
        let sum = counts.reduce(0, +)
        return [Int32](unsafeUninitializedCapacity: sum) { rows, initialized in
            var at = 0
            for piece in 0..<ranges.count {
                if counts[piece] > 0 {
                    (rows.baseAddress! + at).update(from: found[piece].baseAddress!, count: counts[piece])
                }
                at += counts[piece]
            }
            initialized = sum
        }
    }
}

/// A test of one value, for `selectRows`: a type per test, so that each loop is its own code.
protocol RowTest {
    associatedtype Value: BitwiseCopyable
    func passes(_ value: Value) -> Bool
}

/// A text code whose string passes (one flag per code of the dictionary, 1 where it does).
struct CodeTest: RowTest {
    let flags: UnsafeBufferPointer<UInt8>
    @inline(__always) func passes(_ code: UInt32) -> Bool { flags[Int(code)] != 0 }
}

struct EqualTest<Value: Comparable & BitwiseCopyable>: RowTest {
    let literal: Value
    @inline(__always) func passes(_ value: Value) -> Bool { value == literal }
}

struct NotEqualTest<Value: Comparable & BitwiseCopyable>: RowTest {
    let literal: Value
    @inline(__always) func passes(_ value: Value) -> Bool { !(value == literal) }
}

struct LessTest<Value: Comparable & BitwiseCopyable>: RowTest {
    let literal: Value
    @inline(__always) func passes(_ value: Value) -> Bool { value < literal }
}

struct LessOrEqualTest<Value: Comparable & BitwiseCopyable>: RowTest {
    let literal: Value
    @inline(__always) func passes(_ value: Value) -> Bool { value <= literal }
}

struct GreaterTest<Value: Comparable & BitwiseCopyable>: RowTest {
    let literal: Value
    @inline(__always) func passes(_ value: Value) -> Bool { !(value <= literal) }
}

struct GreaterOrEqualTest<Value: Comparable & BitwiseCopyable>: RowTest {
    let literal: Value
    @inline(__always) func passes(_ value: Value) -> Bool { !(value < literal) }
}
