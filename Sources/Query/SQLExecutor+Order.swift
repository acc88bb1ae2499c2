import Kernels
import Columnar
import CMemoryHints

extension SQLExecutor {
    /// One ORDER BY key on a column's storage.
    struct SortKey {
        var column: Column
        var descending: Bool
        var nullsFirst: Bool
    }

    /// The order of rows by their ORDER BY keys, compared on the storage (text by its
    /// dictionary's sorted rank), ties by row number (a stable order).
    struct RowOrder {
        /// Each key as a comparison of two rows: negative, zero or positive, nulls placed.
        private let comparisons: [(Int, Int) -> Int]
        private let first: (Int, Int) -> Int
        /// The second key, also called directly (an ORDER BY score, id: every tie on the score).
        private let second: ((Int, Int) -> Int)?
        /// For a second key on a large dictionary (an id column): asks for the memory its
        /// comparison of each of the rows will read (code, offsets, first bytes), a level at a
        /// time, so that the misses of a batch of rows overlap instead of following each other.
        private let prefetchSecond: ((UnsafeBufferPointer<Int32>) -> Void)?
        /// The first key's values when it is a column of doubles (or of a cache's hundredths,
        /// which order as the doubles they stand for) without nulls, and whether it descends: a
        /// top-k passes over a row whose value is strictly worse than the last kept row's on a
        /// bare comparison, without calling the keys.
        private let firstKeys: (values: FirstKeys, descending: Bool)?

        enum FirstKeys {
            case doubles(ColumnBuffer<Double>)
            case hundredths(ColumnBuffer<Int16>)
        }
        /// Text dictionaries up to this size are ranked in full before comparing.
        static let rankedDictionaryLimit = 1 << 16

        init(_ keys: [SortKey]) {
            comparisons = keys.map { key in
                let column = key.column, descending = key.descending, nullsFirst = key.nullsFirst
                let compareValues: (Int, Int) -> Int
                // A column the cache holds narrow is compared on its narrow values (codes by their
                // strings' rank, offsets and hundredths as they are: both order as their values).
                switch (column.narrow?.values, column.narrow == nil ? column.storage : nil) {
                case (.codes8(let codes)?, _): compareValues = RowOrder.ranked(codes, column.narrow!.dictionary!)
                case (.codes16(let codes)?, _): compareValues = RowOrder.ranked(codes, column.narrow!.dictionary!)
                case (.offsets8(_, let values)?, _): compareValues = RowOrder.ordered(values)
                case (.offsets16(_, let values)?, _): compareValues = RowOrder.ordered(values)
                case (.offsets32(_, let values)?, _): compareValues = RowOrder.ordered(values)
                case (.hundredths(let values)?, _): compareValues = RowOrder.ordered(values)
                case (nil, .int64(let values)?): compareValues = RowOrder.ordered(values)
                case (nil, .float64(let values)?): compareValues = RowOrder.ordered(values)
                case (nil, .date(let days)?): compareValues = RowOrder.ordered(days)
                case (nil, .timestamp(let seconds)?): compareValues = RowOrder.ordered(seconds)
                case (nil, .bool(let flags)?): compareValues = { flags[$0] == flags[$1] ? 0 : (flags[$0] ? 1 : -1) }
                case (nil, .text(let codes, let dictionary)?) where dictionary.count <= RowOrder.rankedDictionaryLimit:
                    // A small dictionary is ranked once; each comparison is then two loads.
                    compareValues = RowOrder.ranked(codes, dictionary)
                case (nil, .text(let codes, let dictionary)?):
                    // A large one (an id column) is compared byte-wise when asked: a top-k asks for
                    // few. The strings are read through the arena and offsets directly (kept alive
                    // by the closure), their first eight bytes as one big-endian word.
                    let (arena, offsets) = dictionary.rawParts
                    compareValues = { a, b in
                        let x = Int(codes[a]), y = Int(codes[b])
                        if x == y { return 0 }
                        return arena.withUnsafeBytes { bytes in
                            offsets.withUnsafeBufferPointer { ends in
                                TextDictionary.compareBytes(UnsafeRawBufferPointer(rebasing: bytes[ends[x]..<ends[x + 1]]),
                                                      UnsafeRawBufferPointer(rebasing: bytes[ends[y]..<ends[y + 1]]))
                            }
                        }
                    }
                default:
                    preconditionFailure("a column holds its values narrow or wide")
                }
                let hasNulls = column.validity != nil
                return { a, b in
                    if hasNulls {
                        switch (column.isNull(a), column.isNull(b)) {
                        case (true, true): return 0
                        case (true, false): return nullsFirst ? -1 : 1
                        case (false, true): return nullsFirst ? 1 : -1
                        default: break
                        }
                    }
                    let order = compareValues(a, b)
                    return descending ? -order : order
                }
            }
            first = comparisons.first ?? { _, _ in 0 }
            second = comparisons.count > 1 ? comparisons[1] : nil
            if keys.count > 1, keys[1].column.narrow == nil, case .text(let codes, let dictionary) = keys[1].column.storage,
               dictionary.count > RowOrder.rankedDictionaryLimit {
                let (arena, offsets) = dictionary.rawParts
                prefetchSecond = { rows in
                    codes.withUnsafeBufferPointer { codes in
                        offsets.withUnsafeBufferPointer { ends in
                            arena.withUnsafeBytes { bytes in
                                guard let codeBase = codes.baseAddress, let endBase = ends.baseAddress, let byteBase = bytes.baseAddress else { return }
                                for row in rows { pingcha_prefetch(codeBase + Int(row)) }
                                for row in rows { pingcha_prefetch(endBase + Int(codes[Int(row)])) }
                                for row in rows { pingcha_prefetch(byteBase + ends[Int(codes[Int(row)])]) }
                            }
                        }
                    }
                }
            } else {
                prefetchSecond = nil
            }
            if let key = keys.first, key.column.validity == nil, case .hundredths(let values)? = key.column.narrow?.values {
                firstKeys = (.hundredths(values), key.descending)
            } else if let key = keys.first, key.column.validity == nil, key.column.narrow == nil, case .float64(let values) = key.column.storage {
                firstKeys = (.doubles(values), key.descending)
            } else {
                firstKeys = nil
            }
        }

        /// Two rows' values compared (negative, zero, positive) as they are.
        @inline(__always)
        static func ordered<T: Comparable>(_ values: ColumnBuffer<T>) -> (Int, Int) -> Int {
            { values[$0] < values[$1] ? -1 : (values[$0] == values[$1] ? 0 : 1) }
        }

        /// Two rows' codes compared by their strings' rank (the dictionary ranked once).
        @inline(__always)
        static func ranked<Code: FixedWidthInteger>(_ codes: ColumnBuffer<Code>, _ dictionary: TextDictionary) -> (Int, Int) -> Int {
            let rank = dictionary.sortRanks()
            return { rank[Int(codes[$0])] < rank[Int(codes[$1])] ? -1 : (codes[$0] == codes[$1] ? 0 : 1) }
        }

        /// Whether two rows are equal on every key (nulls equal to nulls).
        func ties(_ a: Int32, _ b: Int32) -> Bool {
            comparisons.allSatisfy { $0(Int(a), Int(b)) == 0 }
        }

        func precedes(_ a: Int32, _ b: Int32) -> Bool {
            // The first key decides most comparisons: called directly (walking the array of keys
            // retained and released each closure, a third of a top-k's time).
            let order = first(Int(a), Int(b))
            if order != 0 { return order < 0 }
            if let second {
                let order = second(Int(a), Int(b))
                if order != 0 { return order < 0 }
            }
            for index in 2..<max(2, comparisons.count) {
                let order = comparisons[index](Int(a), Int(b))
                if order != 0 { return order < 0 }
            }
            return a < b
        }

        /// The first `count` of `rows` in this order, in order. From a million rows the rows are
        /// cut into a part per core, each part's first `count` found alone, and those merged.
        func smallest(_ count: Int, of rows: [Int32]) -> [Int32] {
            smallest(count, ofRows: rows)
        }

        /// `smallest(_:of:)` of the rows 0..<rowCount, with no array of their numbers.
        func smallest(_ count: Int, ofFirst rowCount: Int) -> [Int32] {
            smallest(count, ofRows: Int32(0)..<Int32(rowCount))
        }

        private func smallest<Rows: RandomAccessCollection>(_ count: Int, ofRows rows: Rows) -> [Int32] where Rows.Element == Int32 {
            guard count > 0 else { return [] }
            guard rows.count > count else { return rows.sorted(by: precedes) }
            let parts = rows.count >= 1 << 20 ? min(ConcurrentTasks.processorCount, rows.count / count) : 1
            guard parts > 1 else { return smallest(count, ofPart: rows[...]) }
            var kept = [[Int32]](repeating: [], count: parts)
            kept.withUnsafeMutableBufferPointer { kept in
                ConcurrentTasks(parts).run { part in
                    let from = rows.index(rows.startIndex, offsetBy: rows.count * part / parts)
                    let to = rows.index(rows.startIndex, offsetBy: rows.count * (part + 1) / parts)
                    kept[part] = smallest(count, ofPart: rows[from..<to])
                }
            }
            return Array(kept.joined().sorted(by: precedes).prefix(count))
        }

        /// The first `count` of `rows` (more than `count`), in order: a bounded heap whose root
        /// is the last row kept, so each other row costs one comparison.
        private func smallest<Part: Collection>(_ count: Int, ofPart rows: Part) -> [Int32] where Part.Element == Int32 {
            guard rows.count > count else { return rows.sorted(by: precedes) }
            // A max-heap on this order.
            var heap = Array(rows.prefix(count))
            func siftDown(_ start: Int) {
                var parent = start
                while true {
                    let left = 2 * parent + 1, right = left + 1
                    var largest = parent
                    if left < heap.count, precedes(heap[largest], heap[left]) { largest = left }
                    if right < heap.count, precedes(heap[largest], heap[right]) { largest = right }
                    if largest == parent { return }
                    heap.swapAt(parent, largest)
                    parent = largest
                }
            }
            for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
            guard let (firstValues, descending) = firstKeys else {
                for row in rows.dropFirst(count) where precedes(row, heap[0]) {
                    heap[0] = row
                    siftDown(0)
                }
                return heap.sorted(by: precedes)
            }
            // A row whose first key is strictly worse than the root's (by `<` or `>`, which are
            // false for NaN, so NaN goes to the full comparison) cannot precede it.
            func pass<Key: Comparable>(over keys: UnsafeBufferPointer<Key>) {
                var last = keys[Int(heap[0])]
                guard let prefetchSecond else {
                    for row in rows.dropFirst(count) {
                        let value = keys[Int(row)]
                        if descending ? value < last : value > last { continue }
                        guard precedes(row, heap[0]) else { continue }
                        heap[0] = row
                        siftDown(0)
                        last = keys[Int(heap[0])]
                    }
                    return
                }
                // The rows that pass the first key are compared in batches, their second key's
                // memory asked for first (a tie on a score is then one string comparison in cache).
                let batchSize = 64
                let batch = UnsafeMutableBufferPointer<Int32>.allocate(capacity: batchSize)
                defer { batch.deallocate() }
                var held = 0
                func compareBatch() {
                    prefetchSecond(UnsafeBufferPointer(rebasing: batch[..<held]))
                    for row in batch[..<held] where precedes(row, heap[0]) {
                        heap[0] = row
                        siftDown(0)
                    }
                    last = keys[Int(heap[0])]
                    held = 0
                }
                for row in rows.dropFirst(count) {
                    let value = keys[Int(row)]
                    if descending ? value < last : value > last { continue }
                    batch[held] = row
                    held += 1
                    if held == batchSize { compareBatch() }
                }
                compareBatch()
            }
            switch firstValues {
            case .doubles(let values): values.withUnsafeBufferPointer { pass(over: $0) }
            case .hundredths(let values): values.withUnsafeBufferPointer { pass(over: $0) }
            }
            return heap.sorted(by: precedes)
        }
    }
}

