import Kernels
import Synchronization

/// A column's values held in fewer bytes than its type takes, as the column cache stores them:
/// a text column of at most 65,536 strings as 8- or 16-bit codes, whole numbers as unsigned
/// offsets from the smallest, scores kept to hundredths as 16-bit hundredths. A quarter of the
/// bytes (or less) to read, check and scan, so that a query over the cache touches a quarter of
/// the memory; each value reads back exactly as the one that was stored.
public enum NarrowValues: Sendable {
    /// Dictionary codes below 256.
    case codes8(ColumnBuffer<UInt8>)
    /// Dictionary codes below 65,536.
    case codes16(ColumnBuffer<UInt16>)
    /// Whole numbers `base + offset`.
    case offsets8(base: Int64, ColumnBuffer<UInt8>)
    case offsets16(base: Int64, ColumnBuffer<UInt16>)
    case offsets32(base: Int64, ColumnBuffer<UInt32>)
    /// Numbers `Double(hundredths) / 100`, each exactly the double that was stored.
    case hundredths(ColumnBuffer<Int16>)

    public var count: Int {
        switch self {
        case .codes8(let values): return values.count
        case .codes16(let values): return values.count
        case .offsets8(_, let values): return values.count
        case .offsets16(_, let values): return values.count
        case .offsets32(_, let values): return values.count
        case .hundredths(let values): return values.count
        }
    }
}

/// A column held narrow (`NarrowValues`), widened to its type's storage only when a reader asks
/// for that storage (once; the kernels that read narrow values never do).
public final class NarrowColumn: Sendable {
    public let values: NarrowValues
    /// The strings of a text column's codes.
    public let dictionary: TextDictionary?
    private let wide = Mutex<ColumnStorage?>(nil)

    public init(values: NarrowValues, dictionary: TextDictionary?) {
        switch values {
        case .codes8, .codes16: precondition(dictionary != nil, "codes come with their strings")
        default: precondition(dictionary == nil, "numbers have no strings")
        }
        self.values = values
        self.dictionary = dictionary
    }

    public var count: Int { values.count }

    public var dataType: DataType {
        switch values {
        case .codes8, .codes16: return .text
        case .offsets8, .offsets16, .offsets32: return .int64
        case .hundredths: return .float64
        }
    }

    /// Row `index`'s value (null rows are the caller's to know).
    public func value(at index: Int) -> Value {
        switch values {
        case .codes8(let codes): return .text(dictionary!.string(at: UInt32(codes[index])))
        case .codes16(let codes): return .text(dictionary!.string(at: UInt32(codes[index])))
        case .offsets8(let base, let offsets): return .int(base &+ Int64(offsets[index]))
        case .offsets16(let base, let offsets): return .int(base &+ Int64(offsets[index]))
        case .offsets32(let base, let offsets): return .int(base &+ Int64(offsets[index]))
        case .hundredths(let values): return .double(Hundredths.number(values[index]))
        }
    }

    /// The values as their type's storage, made on first request and kept.
    public var widened: ColumnStorage {
        wide.withLock { stored in
            if let stored { return stored }
            let made = widen()
            stored = made
            return made
        }
    }

    private func widen() -> ColumnStorage {
        // Each conversion spelled out in its loop (a conversion handed in as a closure was
        // called once per value, three times slower).
        switch values {
        case .codes8(let codes):
            return .text(codes: Self.filled(codes) { input, output, rows in for row in rows { output[row] = UInt32(input[row]) } }, dictionary: dictionary!)
        case .codes16(let codes):
            return .text(codes: Self.filled(codes) { input, output, rows in for row in rows { output[row] = UInt32(input[row]) } }, dictionary: dictionary!)
        case .offsets8(let base, let offsets):
            return .int64(Self.filled(offsets) { input, output, rows in for row in rows { output[row] = base &+ Int64(input[row]) } })
        case .offsets16(let base, let offsets):
            return .int64(Self.filled(offsets) { input, output, rows in for row in rows { output[row] = base &+ Int64(input[row]) } })
        case .offsets32(let base, let offsets):
            return .int64(Self.filled(offsets) { input, output, rows in for row in rows { output[row] = base &+ Int64(input[row]) } })
        case .hundredths(let values):
            return .float64(Self.filled(values) { input, output, rows in for row in rows { output[row] = Hundredths.number(input[row]) } })
        }
    }

    /// An array of one value per value of `source`, each range of rows written by `body`
    /// (`MemoryAdvice.filledArray`) on up to `width` cores when there are many.
    @inline(__always)
    static func filled<Source, Target: BitwiseCopyable>(
        _ source: ColumnBuffer<Source>, width: Int = ConcurrentTasks.processorCount,
        _ body: (_ input: UnsafeBufferPointer<Source>, _ output: UnsafeMutableBufferPointer<Target>, _ rows: Range<Int>) -> Void
    ) -> [Target] {
        source.withUnsafeBufferPointer { input in
            MemoryAdvice.filledArray(count: source.count, parallelFrom: 1 << 18, width: width) { rows, output in body(input, output, rows) }
        }
    }

    /// The storage held narrow where its values allow (nil where they do not): text of at most
    /// 65,536 strings, whole numbers spanning less than 2^32, numbers that are all hundredths.
    /// Every row's value is narrowed, null or not, so each reads back as it was. The work runs on
    /// up to `width` cores.
    public static func narrowed(_ storage: ColumnStorage, width: Int = ConcurrentTasks.processorCount) -> NarrowColumn? {
        switch storage {
        case .text(let codes, let dictionary):
            if dictionary.count <= 1 << 8 {
                let narrow: [UInt8] = filled(codes, width: width) { input, output, rows in for row in rows { output[row] = UInt8(truncatingIfNeeded: input[row]) } }
                return NarrowColumn(values: .codes8(ColumnBuffer(narrow)), dictionary: dictionary)
            }
            if dictionary.count <= 1 << 16 {
                let narrow: [UInt16] = filled(codes, width: width) { input, output, rows in for row in rows { output[row] = UInt16(truncatingIfNeeded: input[row]) } }
                return NarrowColumn(values: .codes16(ColumnBuffer(narrow)), dictionary: dictionary)
            }
            return nil
        case .int64(let values):
            guard let (low, high) = bounds(values) else { return nil }
            let (span, overflow) = high.subtractingReportingOverflow(low)
            guard !overflow else { return nil }
            if span < 1 << 8 {
                let narrow: [UInt8] = filled(values, width: width) { input, output, rows in for row in rows { output[row] = UInt8(truncatingIfNeeded: input[row] &- low) } }
                return NarrowColumn(values: .offsets8(base: low, ColumnBuffer(narrow)), dictionary: nil)
            }
            if span < 1 << 16 {
                let narrow: [UInt16] = filled(values, width: width) { input, output, rows in for row in rows { output[row] = UInt16(truncatingIfNeeded: input[row] &- low) } }
                return NarrowColumn(values: .offsets16(base: low, ColumnBuffer(narrow)), dictionary: nil)
            }
            if span < 1 << 32 {
                let narrow: [UInt32] = filled(values, width: width) { input, output, rows in for row in rows { output[row] = UInt32(truncatingIfNeeded: input[row] &- low) } }
                return NarrowColumn(values: .offsets32(base: low, ColumnBuffer(narrow)), dictionary: nil)
            }
            return nil
        case .float64(let values):
            guard values.count > 0 else { return nil }
            let exact = Atomic<Bool>(true)
            let hundredths: [Int16] = filled(values, width: width) { input, output, rows in
                var allExact = true
                for row in rows {
                    let whole = Hundredths.of(input[row])
                    allExact = allExact && whole != nil
                    output[row] = whole ?? 0
                }
                if !allExact { exact.store(false, ordering: .relaxed) }
            }
            return exact.load(ordering: .relaxed) ? NarrowColumn(values: .hundredths(ColumnBuffer(hundredths)), dictionary: nil) : nil
        case .date, .timestamp, .bool:
            return nil
        }
    }

    /// The smallest and largest value, nil for none.
    static func bounds(_ values: ColumnBuffer<Int64>) -> (Int64, Int64)? {
        guard !values.isEmpty else { return nil }
        return values.withUnsafeBufferPointer { buffer in
            var low = SIMD4<Int64>(repeating: buffer[0]), high = low
            var row = 0
            while row + 4 <= buffer.count {
                let lanes = SIMD4<Int64>(buffer[row], buffer[row + 1], buffer[row + 2], buffer[row + 3])
                low = pointwiseMin(low, lanes)
                high = pointwiseMax(high, lanes)
                row += 4
            }
            var smallest = low.min(), largest = high.max()
            while row < buffer.count {
                smallest = min(smallest, buffer[row])
                largest = max(largest, buffer[row])
                row += 1
            }
            return (smallest, largest)
        }
    }
}
