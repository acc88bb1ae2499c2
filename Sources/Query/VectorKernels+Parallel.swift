import Kernels

extension VectorKernels {
    /// Rows from which an element-wise kernel is cut into ranges run on every core.
    static let parallelRows = 1 << 20

    /// A new array of `count` elements, each range of rows filled by `body` (every element must
    /// be written); the ranges run on every core when the array is big enough.
    static func filled<T>(_ count: Int, _ body: (_ rows: Range<Int>, _ output: UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Big outputs: huge pages, mapped at once on every core (`MemoryAdvice`).
            MemoryAdvice.prepareForWriting(buffer)
            if count >= parallelRows {
                let ranges = ConcurrentTasks.evenRanges(of: count, pieces: min(64, count / (parallelRows / 4)))
                ConcurrentTasks(ranges.count).run { body(ranges[$0], buffer) }
            } else if count > 0 {
                body(0..<count, buffer)
            }
            initialized = count
        }
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
