import Kernels
import Columnar
import Synchronization

/// Rows assigned to groups by the values of one or more columns.
public struct Grouping: Sendable {
    /// Where each row's group id comes from: stored one per row, or read from the codes of one
    /// narrow text column or of two text columns as the grouped kernels go (`GroupIdSource`).
    public let source: GroupIdSource
    /// The ids of a source that is not stored, written out when first asked for as an array.
    private let written = WrittenGroupIds()
    /// Each group's key values, in the order of the grouping columns.
    public var keys: [[Value]]

    public var groupCount: Int { keys.count }

    /// One group id per table row; -1 for rows left out by the filter.
    public var groupIds: ColumnBuffer<Int32> {
        if case .stored(let ids) = source { return ids }
        return written.ids(of: source)
    }

    public init(groupIds: ColumnBuffer<Int32>, keys: [[Value]]) {
        source = .stored(groupIds)
        self.keys = keys
    }

    init(source: GroupIdSource, keys: [[Value]]) {
        self.source = source
        self.keys = keys
    }

    public init(groupIds: [Int32], keys: [[Value]]) {
        self.init(groupIds: ColumnBuffer(groupIds), keys: keys)
    }

    /// Groups the `selected` rows (all rows when nil) by `columns`.
    public static func make(table: Table, columns: [Column], selected: [Int32]?) -> Grouping {
        if columns.count == 1 {
            switch columns[0].narrow?.values {
            case .codes8(let codes)?:
                return byText(columns[0], codes: codes, dictionary: columns[0].narrow!.dictionary!, rowCount: table.rowCount, selected: selected)
            case .codes16(let codes)?:
                return byText(columns[0], codes: codes, dictionary: columns[0].narrow!.dictionary!, rowCount: table.rowCount, selected: selected)
            default:
                if case .text(let codes, let dictionary) = columns[0].storage {
                    return byText(columns[0], codes: codes, dictionary: dictionary, rowCount: table.rowCount, selected: selected)
                }
            }
        }
        if let grouping = byTwoTextColumns(columns, rowCount: table.rowCount, selected: selected) { return grouping }
        return byCombining(table: table, columns: columns, selected: selected)
    }

    /// One text column: its dictionary codes renumbered in order of first appearance, in one pass
    /// (the ids and keys `byCombining` gives, without its per-row code array and composite table).
    /// Codes the cache holds narrow (8 or 16 bits), every row grouped, are read as the ids are
    /// needed (`GroupIdSource.bytes`, `.shorts`): no id and no widened code is written per row.
    static func byText<Code: FixedWidthInteger & UnsignedInteger>(_ column: Column, codes: ColumnBuffer<Code>, dictionary: TextDictionary,
                                                                  rowCount: Int, selected: [Int32]?) -> Grouping {
        let nullCode = dictionary.count
        func key(_ code: Int) -> [Value] { [code == nullCode ? .null : .text(dictionary.string(at: UInt32(code)))] }
        if selected == nil, Code.bitWidth < 32 {
            let (slots, order) = codes.withUnsafeBufferPointer { codes in
                Bitmap.withWords(of: column.validity) { words in
                    numberedInOrderOfAppearance(NullableRowCodes(codes: codes.baseAddress, words: words, nullCode: nullCode),
                                                rowCount: rowCount, universe: nullCode + 1,
                                                distinctAtMost: column.validity == nil ? nullCode : nullCode + 1)
                }
            }
            let keys = order.map { key(Int($0)) }
            // `slots` ends with the null code's: the layout `GroupIdSource.bytes` and `.shorts` take.
            let source: GroupIdSource = if let bytes = codes as? ColumnBuffer<UInt8> {
                .bytes(bytes, slots: slots, validity: column.validity)
            } else {
                .shorts(codes as! ColumnBuffer<UInt16>, slots: slots, validity: column.validity)
            }
            return Grouping(source: source, keys: keys)
        }
        if selected == nil, column.validity == nil, let wide = codes as? ColumnBuffer<UInt32>,
           let seen = codesInFirstAppearanceOrder(wide, dictionary: dictionary) {
            // The codes are the group ids already: read as ids, with no array of their own.
            return Grouping(groupIds: wide.rebound(to: Int32.self), keys: (0..<seen).map(key))
        }
        // remap[code]: the group id of that code (-1: not seen yet); the last slot is null's.
        var remap = [Int32](repeating: -1, count: nullCode + 1)
        var keys: [[Value]] = []
        func groupId(ofRow row: Int, codes: UnsafeBufferPointer<Code>, remap: UnsafeMutableBufferPointer<Int32>) -> Int32 {
            let code = column.isNull(row) ? nullCode : Int(codes[row])
            var id = remap[code]
            if id < 0 {
                id = Int32(keys.count)
                remap[code] = id
                keys.append(key(code))
            }
            return id
        }
        var ids: [Int32]
        if let selected {
            ids = MemoryAdvice.array(repeating: -1, count: rowCount)
            for row in selected { ids[Int(row)] = 0 }
            ids.withUnsafeMutableBufferPointer { ids in
                codes.withUnsafeBufferPointer { codes in
                    remap.withUnsafeMutableBufferPointer { remap in
                        for row in 0..<rowCount where ids[row] >= 0 { ids[row] = groupId(ofRow: row, codes: codes, remap: remap) }
                    }
                }
            }
        } else {
            // Every row gets its group: the ids are written once, with no zeroing first.
            ids = [Int32](unsafeUninitializedCapacity: rowCount) { ids, initialized in
                MemoryAdvice.prepareForWriting(ids)
                codes.withUnsafeBufferPointer { codes in
                    remap.withUnsafeMutableBufferPointer { remap in
                        for row in 0..<rowCount { ids[row] = groupId(ofRow: row, codes: codes, remap: remap) }
                    }
                }
                initialized = rowCount
            }
        }
        return Grouping(groupIds: ids, keys: keys)
    }

    /// Each code below `universe` numbered in order of first appearance in the rows: `slots[code]`
    /// its number (-1: it never appears) and `order` the codes by number. Found on every core:
    /// each stretch of rows lists the codes new to it, in order (stopping once it has met
    /// `distinctAtMost`, all the codes its rows can hold), and the lists, taken in row order,
    /// number the codes.
    static func numberedInOrderOfAppearance<Codes: RowCodes>(_ codes: Codes, rowCount: Int, universe: Int,
                                                            distinctAtMost: Int? = nil) -> (slots: [Int32], order: [Int32]) {
        let distinctAtMost = distinctAtMost ?? universe
        let ranges = ConcurrentTasks.evenRanges(of: rowCount, pieces: max(1, min(ConcurrentTasks.processorCount * 2, rowCount >> 16)))
        var newCodes = [[Int32]](repeating: [], count: ranges.count)
        newCodes.withUnsafeMutableBufferPointer { newCodes in
            ConcurrentTasks(ranges.count).run { piece in
                var seen = [UInt64](repeating: 0, count: (universe + 63) / 64)
                var found: [Int32] = []
                seen.withUnsafeMutableBufferPointer { seen in
                    for row in ranges[piece] {
                        let code = codes[row]
                        let bit: UInt64 = 1 &<< UInt64(code & 63)
                        if seen[code &>> 6] & bit == 0 {
                            seen[code &>> 6] |= bit
                            found.append(Int32(code))
                            if found.count == distinctAtMost { break }
                        }
                    }
                }
                newCodes[piece] = found
            }
        }
        var slots = [Int32](repeating: -1, count: universe)
        var order: [Int32] = []
        for found in newCodes {
            for code in found where slots[Int(code)] < 0 {
                slots[Int(code)] = Int32(order.count)
                order.append(code)
            }
        }
        return (slots, order)
    }

    /// How many distinct codes `codes` holds when each new code is the next number (0, 1, 2, …
    /// in the order of the rows, as a load assigns them), so that each row's code is the id
    /// `byText` would give it; nil as soon as one is not (read only, stopping there).
    static func codesInFirstAppearanceOrder(_ codes: ColumnBuffer<UInt32>, dictionary: TextDictionary) -> Int? {
        guard dictionary.count < Int(Int32.max) else { return nil }
        return codes.withUnsafeBufferPointer { codes -> Int? in
            var seen: UInt32 = 0
            for code in codes {
                if code < seen { continue }
                guard code == seen else { return nil }
                seen += 1
            }
            return Int(seen)
        }
    }

    /// Two text columns whose code combinations (null one more code each) number at most 2^24:
    /// each row's combination computed from the two codes in one pass, its group found in a flat
    /// table (no per-column id arrays, as `byCombining` makes). Nil for any other columns.
    static func byTwoTextColumns(_ columns: [Column], rowCount: Int, selected: [Int32]?) -> Grouping? {
        guard columns.count == 2 else { return nil }
        if selected == nil, rowCount > 0, columns[0].validity == nil, columns[1].validity == nil,
           let first = columns[0].narrow, let second = columns[1].narrow, let firstDictionary = first.dictionary,
           let secondDictionary = second.dictionary, (firstDictionary.count + 1) * (secondDictionary.count + 1) <= PairSlots.maximumPairs {
            switch (first.values, second.values) {
            case (.codes8(let a), .codes8(let b)):
                return byPairs(a, firstDictionary, b, secondDictionary, rowCount: rowCount) { .bytes(a, b) }
            case (.codes8(let a), .codes16(let b)):
                return byPairs(a, firstDictionary, b, secondDictionary, rowCount: rowCount) { .byteShort(a, b) }
            case (.codes16(let a), .codes8(let b)):
                return byPairs(a, firstDictionary, b, secondDictionary, rowCount: rowCount) { .shortByte(a, b) }
            case (.codes16(let a), .codes16(let b)):
                return byPairs(a, firstDictionary, b, secondDictionary, rowCount: rowCount) { .shorts(a, b) }
            default: break
            }
        }
        guard case .text(let firstCodes, let firstDictionary) = columns[0].storage,
              case .text(let secondCodes, let secondDictionary) = columns[1].storage else { return nil }
        let firstNull = firstDictionary.count, secondNull = secondDictionary.count
        let width = secondNull + 1
        let (combinations, overflow) = (firstNull + 1).multipliedReportingOverflow(by: width)
        guard !overflow, combinations <= 1 << 24 else { return nil }
        let firstColumn = columns[0], secondColumn = columns[1]
        if selected == nil, rowCount > 0, firstColumn.validity == nil, secondColumn.validity == nil, combinations <= PairSlots.maximumPairs {
            return byPairs(firstCodes, firstDictionary, secondCodes, secondDictionary, rowCount: rowCount) { .wide(firstCodes, secondCodes) }
        }
        let firstNullable = firstColumn.validity != nil, secondNullable = secondColumn.validity != nil
        var slots = [Int32](repeating: -1, count: combinations)
        var keys: [[Value]] = []
        // With every row grouped, each id is written once, with no filling first.
        var ids: [Int32] = selected == nil ? MemoryAdvice.arrayToFill(count: rowCount) : MemoryAdvice.array(repeating: -1, count: rowCount)
        firstCodes.withUnsafeBufferPointer { first in
            secondCodes.withUnsafeBufferPointer { second in
                slots.withUnsafeMutableBufferPointer { slots in
                    ids.withUnsafeMutableBufferPointer { ids in
                        func assign(_ row: Int) {
                            let a = firstNullable && firstColumn.isNull(row) ? firstNull : Int(first[row])
                            let b = secondNullable && secondColumn.isNull(row) ? secondNull : Int(second[row])
                            let composite = a &* width &+ b
                            var id = slots[composite]
                            if id < 0 {
                                id = Int32(keys.count)
                                slots[composite] = id
                                keys.append([a == firstNull ? .null : .text(firstDictionary.string(at: UInt32(a))),
                                             b == secondNull ? .null : .text(secondDictionary.string(at: UInt32(b)))])
                            }
                            ids[row] = id
                        }
                        if let selected {
                            for row in selected { assign(Int(row)) }
                        } else {
                            for row in 0..<rowCount { assign(row) }
                        }
                    }
                }
            }
        }
        return Grouping(groupIds: ids, keys: keys)
    }

    /// Every row of two text columns without nulls, as pairs of codes: each pair numbered in order
    /// of first appearance (`numberedInOrderOfAppearance`), and no id written per row: the
    /// kernels read each row's id from its two codes (`GroupIdSource.pairs`).
    static func byPairs<First: FixedWidthInteger & UnsignedInteger, Second: FixedWidthInteger & UnsignedInteger>(
        _ firstCodes: ColumnBuffer<First>, _ firstDictionary: TextDictionary, _ secondCodes: ColumnBuffer<Second>,
        _ secondDictionary: TextDictionary, rowCount: Int, buffers: () -> PairCodeBuffers) -> Grouping {
        let width = secondDictionary.count + 1
        let combinations = (firstDictionary.count + 1) * width
        let (slots, order) = firstCodes.withUnsafeBufferPointer { first in
            secondCodes.withUnsafeBufferPointer { second in
                numberedInOrderOfAppearance(PairRowCodes(first: first.baseAddress, second: second.baseAddress, width: width),
                                            rowCount: rowCount, universe: combinations,
                                            distinctAtMost: firstDictionary.count * secondDictionary.count)
            }
        }
        let keys = order.map { pair -> [Value] in
            let (a, b) = Int(pair).quotientAndRemainder(dividingBy: width)
            return [.text(firstDictionary.string(at: UInt32(a))), .text(secondDictionary.string(at: UInt32(b)))]
        }
        return Grouping(source: .pairs(buffers(), slots: slots, width: width), keys: keys)
    }

    /// Any columns: each column's dense codes combined with the group ids so far.
    static func byCombining(table: Table, columns: [Column], selected: [Int32]?) -> Grouping {
        let rowCount = table.rowCount
        if columns.isEmpty, selected == nil {
            // One group of every row (`count(*)` of a whole table): ids that take no memory.
            return Grouping(groupIds: .zeros(count: rowCount), keys: [[]])
        }
        var ids = MemoryAdvice.array(repeating: Int32(-1), count: rowCount)
        ids.withUnsafeMutableBufferPointer { ids in
            if let selected {
                for row in selected { ids[Int(row)] = 0 }
            } else {
                for row in 0..<rowCount { ids[row] = 0 }
            }
        }
        guard !columns.isEmpty else {
            let any = ids.contains(0)
            return Grouping(groupIds: ids, keys: any || selected == nil ? [[]] : [])
        }
        var keys: [[Value]] = [[]]
        for column in columns {
            let (columnIds, columnKeys) = codes(of: column)
            // Combine the previous group id with this column's code: in a flat table when the
            // combinations are few enough, else in a dictionary.
            var newKeys: [[Value]] = []
            let width = Int64(columnKeys.count)
            func combine<Table: CompositeTable>(_ combined: inout Table) {
                for row in 0..<rowCount where ids[row] >= 0 {
                    let composite = Int64(ids[row]) * width + Int64(columnIds[row])
                    if let existing = combined[composite] {
                        ids[row] = existing
                    } else {
                        let id = Int32(newKeys.count)
                        combined[composite] = id
                        newKeys.append(keys[Int(ids[row])] + [columnKeys[Int(columnIds[row])]])
                        ids[row] = id
                    }
                }
            }
            let combinations = Int64(keys.count) * width
            if combinations <= 1 << 24 {
                var flat = FlatCompositeTable(size: Int(combinations))
                combine(&flat)
            } else {
                var sparse: [Int64: Int32] = [:]
                combine(&sparse)
            }
            keys = newKeys
        }
        return Grouping(groupIds: ids, keys: keys)
    }

    /// Dense codes of a column's values (null gets its own code) and the value of each code.
    static func codes(of column: Column) -> (ids: [Int32], keys: [Value]) {
        let count = column.count
        var ids = MemoryAdvice.array(repeating: Int32(0), count: count)
        var keys: [Value] = []
        var valueCode: [Int32] = []
        switch column.storage {
        case .text(let codes, let dictionary):
            keys = dictionary.strings.map(Value.text)
            let nullCode = Int32(keys.count)
            keys.append(.null)
            for row in 0..<count { ids[row] = column.isNull(row) ? nullCode : Int32(codes[row]) }
        default:
            // Each value's 64-bit identity given a dense code in a hash table on the bits (no
            // value boxed per row); null gets a code of its own.
            let bits = DistinctCount.bits(of: column)
            var table = DenseIdTable()
            var nullCode: Int32 = -1
            for row in 0..<count {
                if column.isNull(row) {
                    if nullCode < 0 {
                        nullCode = Int32(keys.count)
                        keys.append(.null)
                    }
                    ids[row] = nullCode
                    continue
                }
                // The table's ids count values only; the null code sits among them in `keys`.
                let before = table.count
                let id = table.id(previous: 0, bits: bits[row])
                if table.count > before {
                    valueCode.append(Int32(keys.count))
                    keys.append(column.value(at: row))
                }
                ids[row] = valueCode[Int(id)]
            }
        }
        return (ids, keys)
    }
}

/// Group ids by composite key, as `Grouping.make` combines columns.
protocol CompositeTable {
    subscript(key: Int64) -> Int32? { get set }
}

extension Dictionary: CompositeTable where Key == Int64, Value == Int32 {}

/// Every composite key below `size` in a flat array (-1: none yet).
struct FlatCompositeTable: CompositeTable {
    private var slots: [Int32]

    init(size: Int) { slots = [Int32](repeating: -1, count: size) }

    subscript(key: Int64) -> Int32? {
        get {
            let slot = slots.withUnsafeBufferPointer { $0[Int(key)] }
            return slot >= 0 ? slot : nil
        }
        set { slots[Int(key)] = newValue ?? -1 }
    }
}

/// Where a grouping finds each row's code for numbering (`Grouping.numberedInOrderOfAppearance`).
protocol RowCodes {
    subscript(row: Int) -> Int { get }
}

/// One column's codes; a row clear in `words` (when given) has `nullCode`.
struct NullableRowCodes<Code: FixedWidthInteger & UnsignedInteger>: RowCodes {
    let codes: UnsafePointer<Code>?
    let words: UnsafePointer<UInt64>?
    let nullCode: Int

    @inline(__always)
    subscript(row: Int) -> Int {
        if let words, !Bitmap.isSet(words, row) { return nullCode }
        return Int(codes.unsafelyUnwrapped[row])
    }
}

/// Two columns' codes as one number, `first × width + second`.
struct PairRowCodes<First: FixedWidthInteger & UnsignedInteger, Second: FixedWidthInteger & UnsignedInteger>: RowCodes {
    let first: UnsafePointer<First>?
    let second: UnsafePointer<Second>?
    let width: Int

    @inline(__always)
    subscript(row: Int) -> Int { Int(first.unsafelyUnwrapped[row]) &* width &+ Int(second.unsafelyUnwrapped[row]) }
}

enum PairSlots {
    /// The pairs a grouping holds as pairs of codes at most (a slot of 4 bytes each, and a
    /// bitmap of them per stretch of rows while they are numbered).
    static let maximumPairs = 1 << 22
}

/// The ids of a grouping whose source is not stored, written once when first asked for.
final class WrittenGroupIds: Sendable {
    private let written = Mutex<ColumnBuffer<Int32>?>(nil)

    func ids(of source: GroupIdSource) -> ColumnBuffer<Int32> {
        written.withLock { written in
            if let written { return written }
            let buffer = ColumnBuffer(source.read(IdWriter(count: source.count)))
            written = buffer
            return buffer
        }
    }

    /// Each row's id into an array, every place written once.
    struct IdWriter: GroupIdsReader {
        let count: Int

        func read<Ids: RowGroupIds>(_ ids: Ids) -> [Int32] {
            var filled: [Int32] = MemoryAdvice.arrayToFill(count: count)
            filled.withUnsafeMutableBufferPointer { buffer in
                for row in 0..<count { buffer[row] = ids[row] }
            }
            return filled
        }
    }
}
