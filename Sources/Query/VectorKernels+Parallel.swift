import Kernels

extension VectorKernels {
    /// Rows from which an element-wise kernel is cut into ranges run on every core.
    static let parallelRows = 1 << 20

    /// A new array of `count` elements, each range of rows filled by `body` (every element must
    /// be written); the ranges run on every core when the array is big enough.
    static func filled<T>(_ count: Int, _ body: (_ rows: Range<Int>, _ output: UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
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
                        var found = 0
                        for row in ranges[piece] where flags[row] == Vector.trueValue { found += 1 }
                        counts[piece] = found
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
                        for row in ranges[piece] where flags[row] == Vector.trueValue {
                            rows[next] = Int32(row)
                            next += 1
                        }
                    }
                }
                initialized = total
            }
        case .constant(.bool(true)):
            return (0..<Int32(rowCount)).map { $0 }
        default:
            return []
        }
    }
}
