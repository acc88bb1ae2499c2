import Kernels
import Columnar

extension SQLExecutor {
    /// The FROM table joined with each JOIN table in turn, as one scope: each side's columns
    /// gathered at the joined row pairs when the statement first reads them.
    func joinedScope() throws -> Scope {
        func entries(of table: Table, _ reference: SelectStatement.TableReference) -> [Scope.Entry] {
            let qualifier = reference.alias ?? SQLExecutor.defaultQualifier(reference)
            return table.columns.map { Scope.Entry(qualifier: qualifier, name: $0.name, aliases: $0.aliases, column: $0) }
        }
        let first = try source(statement.from)
        var scope = Scope(entries: entries(of: first, statement.from), rowCount: first.rowCount)
        for join in statement.joins {
            let table = try source(join.table)
            let newScope = Scope(entries: entries(of: table, join.table), rowCount: table.rowCount)
            let (leftKeys, rightKeys) = try joinKeys(join, previous: scope, new: newScope)
            let (leftRows, rightRows) = SQLExecutor.matchingRows(left: leftKeys.map { $0.evaluate() }, leftCount: scope.rowCount,
                                                                 right: rightKeys.map { $0.evaluate() }, rightCount: table.rowCount,
                                                                 keepUnmatched: join.left)
            scope = Scope(entries: scope.gathered(leftRows).entries + newScope.gathered(rightRows).entries, rowCount: leftRows.count)
        }
        return scope
    }

    /// The key pairs of an ON condition: one or more `a = b` joined by AND, each with one side on
    /// the tables before and the other on the new table, bound and made comparable.
    private func joinKeys(_ join: SelectStatement.Join, previous: Scope, new: Scope) throws(QueryError) -> ([Compiled], [Compiled]) {
        var leftKeys: [Compiled] = [], rightKeys: [Compiled] = []
        let previousBinder = Binder(scope: previous), newBinder = Binder(scope: new)
        for equality in SQLExecutor.conjuncts(join.condition) {
            guard case .binary(.equal, let a, let b, let position) = equality else {
                throw QueryError(message: LocalizedText(zh: "JOIN … ON 只支持等值条件（a = b，用 AND 连接）。",
                                                        en: "JOIN … ON supports equality keys only (a = b, joined by AND)."),
                                 position: equality.position)
            }
            let pair: (Compiled, Compiled)
            if let left = try? previousBinder.bind(a), let right = try? newBinder.bind(b) {
                pair = (left, right)
            } else if let left = try? previousBinder.bind(b), let right = try? newBinder.bind(a) {
                pair = (left, right)
            } else {
                // Report the real problem: an unknown column, or both sides on one table.
                let both = Binder(scope: Scope(entries: previous.entries + new.entries, rowCount: 0))
                _ = try both.bind(a)
                _ = try both.bind(b)
                throw QueryError(message: LocalizedText(zh: "JOIN 条件的两边应分别来自前面的表和新加入的表。",
                                                        en: "each side of a JOIN condition must come from a different table: one before, one joined."),
                                 position: position)
            }
            let (left, right) = try previousBinder.bindComparable(pair.0, pair.1, position)
            leftKeys.append(left)
            rightKeys.append(right)
        }
        return (leftKeys, rightKeys)
    }

    static func conjuncts(_ expression: Expression) -> [Expression] {
        if case .binary(.and, let left, let right, _) = expression { return conjuncts(left) + conjuncts(right) }
        return [expression]
    }

    /// A hash join on key vectors: for each left row in order, each right row whose keys all
    /// equal its keys, in right row order (a null key matches nothing); `keepUnmatched` (LEFT
    /// JOIN) keeps a left row without a match once, with -1 for the right row.
    static func matchingRows(left: [Vector], leftCount: Int, right: [Vector], rightCount: Int,
                             keepUnmatched: Bool) -> (left: [Int32], right: [Int32]) {
        // Each row's composite key as a dense id, key by key: the ids made on the smaller side (the
        // build side), looked up for the other (-1: a null key, or a key the build side lacks).
        if left.count == 1, let pairs = textKeyRows(left[0], right[0], leftCount: leftCount, rightCount: rightCount,
                                                   keepUnmatched: keepUnmatched) {
            return pairs
        }
        var rightIds = [Int32](repeating: 0, count: rightCount)
        var leftIds = [Int32](repeating: 0, count: leftCount)
        let buildOnLeft = leftCount < rightCount
        var idCount = 1
        for (leftKey, rightKey) in zip(left, right) {
            let (leftBits, rightBits) = JoinKeyBits.make(leftKey.materialized(rowCount: leftCount), rightKey.materialized(rowCount: rightCount),
                                                         leftCount: leftCount, rightCount: rightCount)
            var table = DenseIdTable()
            func build(_ ids: inout [Int32], _ bits: [UInt64?]) {
                for row in ids.indices where ids[row] >= 0 {
                    guard let value = bits[row] else { ids[row] = -1; continue }
                    ids[row] = table.id(previous: ids[row], bits: value)
                }
            }
            func probe(_ ids: inout [Int32], _ bits: [UInt64?]) {
                for row in ids.indices where ids[row] >= 0 {
                    guard let value = bits[row] else { ids[row] = -1; continue }
                    ids[row] = table.existingId(previous: ids[row], bits: value)
                }
            }
            if buildOnLeft {
                build(&leftIds, leftBits)
                probe(&rightIds, rightBits)
            } else {
                build(&rightIds, rightBits)
                probe(&leftIds, leftBits)
            }
            idCount = table.count
        }
        return rows(leftIds: leftIds, rightIds: rightIds, idCount: idCount, keepUnmatched: keepUnmatched)
    }

    /// One text key on each side: the right dictionary's codes are the ids already (one per
    /// distinct string), and a left row's id is its string's code there (-1: a null key, or a
    /// string no right row has), so no table of keys is built: only the left dictionary's strings
    /// are looked up, once each (on every core). When no two right rows share a key (a roster's
    /// ids), the pairs are read straight from the codes; otherwise as ids for `rows`. Nil for any
    /// other pair of keys.
    static func textKeyRows(_ left: Vector, _ right: Vector, leftCount: Int, rightCount: Int,
                            keepUnmatched: Bool) -> (left: [Int32], right: [Int32])? {
        guard case .text(let leftCodes, let leftDictionary, let leftValidity) = left,
              case .text(let rightCodes, let rightDictionary, let rightValidity) = right else { return nil }
        let translated = translation(of: leftDictionary, into: rightDictionary)
        if let rowOfCode = uniqueRows(rightCodes, validity: rightValidity, codeCount: rightDictionary.count, rowCount: rightCount) {
            return uniqueMatches(leftCodes, validity: leftValidity, leftCount: leftCount, translated: translated,
                                 rowOfCode: rowOfCode, keepUnmatched: keepUnmatched)
        }
        let (leftIds, rightIds) = keyIds(leftCodes, leftValidity, leftCount: leftCount, translated: translated,
                                         rightCodes, rightValidity, rightCount: rightCount)
        return rows(leftIds: leftIds, rightIds: rightIds, idCount: max(1, rightDictionary.count), keepUnmatched: keepUnmatched)
    }

    /// One text key on each side as dense ids: the right dictionary's codes, and each left row's
    /// string's code there (-1: a null key, or a string no right row has). Nil for any other pair.
    static func textKeyIds(_ left: Vector, _ right: Vector, leftCount: Int, rightCount: Int) -> ([Int32], [Int32], Int)? {
        guard case .text(let leftCodes, let leftDictionary, let leftValidity) = left,
              case .text(let rightCodes, let rightDictionary, let rightValidity) = right else { return nil }
        let (leftIds, rightIds) = keyIds(leftCodes, leftValidity, leftCount: leftCount,
                                         translated: translation(of: leftDictionary, into: rightDictionary),
                                         rightCodes, rightValidity, rightCount: rightCount)
        return (leftIds, rightIds, max(1, rightDictionary.count))
    }

    /// Each of `left`'s strings' code in `right` (`UInt32.max`, -1 as an Int32: none).
    private static func translation(of left: TextDictionary, into right: TextDictionary) -> [UInt32] {
        var indexed = right
        indexed.ensureIndexed()
        return indexed.codes(of: left)
    }

    private static func keyIds(_ leftCodes: ColumnBuffer<UInt32>, _ leftValidity: Bitmap?, leftCount: Int, translated: [UInt32],
                               _ rightCodes: ColumnBuffer<UInt32>, _ rightValidity: Bitmap?, rightCount: Int) -> ([Int32], [Int32]) {
        let leftIds = [Int32](unsafeUninitializedCapacity: leftCount) { ids, initialized in
            leftCodes.withUnsafeBufferPointer { codes in
                translated.withUnsafeBufferPointer { translated in
                    for row in 0..<leftCount { ids[row] = Int32(bitPattern: translated[Int(codes[row])]) }
                }
            }
            if let leftValidity { for row in 0..<leftCount where !leftValidity[row] { ids[row] = -1 } }
            initialized = leftCount
        }
        let rightIds = [Int32](unsafeUninitializedCapacity: rightCount) { ids, initialized in
            rightCodes.withUnsafeBufferPointer { codes in
                for row in 0..<rightCount { ids[row] = Int32(bitPattern: codes[row]) }
            }
            if let rightValidity { for row in 0..<rightCount where !rightValidity[row] { ids[row] = -1 } }
            initialized = rightCount
        }
        return (leftIds, rightIds)
    }

    /// The one right row of each code (-1: none; a null holds none), or nil when two rows hold
    /// one code. Codes numbered in order of first appearance with one per row are the row numbers
    /// themselves: then `identity` is returned without an array.
    private static func uniqueRows(_ codes: ColumnBuffer<UInt32>, validity: Bitmap?, codeCount: Int, rowCount: Int) -> RightRows? {
        // Fewer codes than rows with a key: two of them share one.
        guard codeCount >= validity?.setCount ?? rowCount else { return nil }
        if validity == nil, codeCount == rowCount {
            let inOrder = codes.withUnsafeBufferPointer { codes in
                var ordered = true
                for row in 0..<rowCount { ordered = ordered && codes[row] == UInt32(truncatingIfNeeded: row) }
                return ordered
            }
            if inOrder { return .identity }
        }
        var rowOfCode = [Int32](repeating: -1, count: codeCount)
        let unique = codes.withUnsafeBufferPointer { codes in
            rowOfCode.withUnsafeMutableBufferPointer { rowOfCode in
                for row in 0..<rowCount where validity?[row] ?? true {
                    let code = Int(codes[row])
                    if rowOfCode[code] >= 0 { return false }
                    rowOfCode[code] = Int32(row)
                }
                return true
            }
        }
        return unique ? .rows(rowOfCode) : nil
    }

    /// Where each right code's one row is.
    private enum RightRows {
        /// Code n is row n.
        case identity
        case rows([Int32])
    }

    /// The pairs of a join whose right rows hold distinct keys: each left row meets at most one.
    private static func uniqueMatches(_ leftCodes: ColumnBuffer<UInt32>, validity: Bitmap?, leftCount: Int, translated: [UInt32],
                                      rowOfCode: RightRows, keepUnmatched: Bool) -> (left: [Int32], right: [Int32]) {
        // Each left string's right row (-1: none).
        let rightRowOfString: [Int32]
        switch rowOfCode {
        case .identity: rightRowOfString = translated.map { Int32(bitPattern: $0) }
        case .rows(let rows): rightRowOfString = translated.map { $0 == .max ? -1 : rows[Int($0)] }
        }
        var leftRows = MemoryAdvice.arrayToFill(count: leftCount) as [Int32]
        var rightRows = MemoryAdvice.arrayToFill(count: leftCount) as [Int32]
        let kept = leftCodes.withUnsafeBufferPointer { codes in
            rightRowOfString.withUnsafeBufferPointer { rightRowOfString in
                leftRows.withUnsafeMutableBufferPointer { leftRows in
                    rightRows.withUnsafeMutableBufferPointer { rightRows in
                        var kept = 0
                        for row in 0..<leftCount {
                            var match = rightRowOfString[Int(codes[row])]
                            if let validity, !validity[row] { match = -1 }
                            // Written always, kept when it matched or unmatched rows are kept.
                            leftRows[kept] = Int32(truncatingIfNeeded: row)
                            rightRows[kept] = match
                            kept += (match >= 0 || keepUnmatched) ? 1 : 0
                        }
                        return kept
                    }
                }
            }
        }
        if kept < leftCount {
            leftRows.removeLast(leftCount - kept)
            rightRows.removeLast(leftCount - kept)
        }
        return (leftRows, rightRows)
    }

    /// The matching (left, right) row pairs of rows given dense key ids (-1: matches nothing),
    /// each left row's matches in right row order.
    private static func rows(leftIds: [Int32], rightIds: [Int32], idCount: Int, keepUnmatched: Bool) -> (left: [Int32], right: [Int32]) {
        let leftCount = leftIds.count, rightCount = rightIds.count
        // The right rows of each id, in row order.
        var starts = [Int](repeating: 0, count: idCount + 1)
        for id in rightIds where id >= 0 { starts[Int(id) + 1] += 1 }
        for id in 0..<idCount { starts[id + 1] += starts[id] }
        var members = [Int32](repeating: 0, count: starts[idCount])
        var fill = starts
        for row in 0..<rightCount where rightIds[row] >= 0 {
            let id = Int(rightIds[row])
            members[fill[id]] = Int32(row)
            fill[id] += 1
        }
        var leftRows: [Int32] = [], rightRows: [Int32] = []
        leftRows.reserveCapacity(leftCount)
        rightRows.reserveCapacity(leftCount)
        for row in 0..<leftCount {
            let id = Int(leftIds[row])
            if id >= 0, starts[id] < starts[id + 1] {
                for index in starts[id]..<starts[id + 1] {
                    leftRows.append(Int32(row))
                    rightRows.append(members[index])
                }
            } else if keepUnmatched {
                leftRows.append(Int32(row))
                rightRows.append(-1)
            }
        }
        return (leftRows, rightRows)
    }

}

/// Dense ids of (id of the keys so far, one more key's bits) pairs, in order of first insertion:
/// an open-addressing table with linear probing and a multiplicative hash, grown as it fills
/// (Swift's hashed dictionary was a fifth of a warm tests ⋈ roster query).
struct DenseIdTable {
    private var previous: [Int32] = []
    private var bits: [UInt64] = []
    /// The id in each slot; -1 for an empty slot.
    private var slots: [Int32]
    private var mask: Int
    private(set) var count = 0

    /// Room for about `capacity` distinct pairs before the first growth.
    init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        mask = size - 1
        slots = [Int32](repeating: -1, count: size)
    }

    @inline(__always)
    private static func home(_ previous: Int32, _ bits: UInt64, mask: Int) -> Int {
        let mixed = (bits ^ (UInt64(UInt32(bitPattern: previous)) &* 0x9E37_79B9_7F4A_7C15)) &* 0xD6E8_FEB8_6659_FD93
        return Int(truncatingIfNeeded: mixed >> 32) & mask
    }

    /// The pair's id, a new one when it was not there.
    mutating func id(previous key: Int32, bits value: UInt64) -> Int32 {
        var slot = Self.home(key, value, mask: mask)
        while true {
            let found = slots[slot]
            if found < 0 { break }
            if previous[Int(found)] == key && bits[Int(found)] == value { return found }
            slot = (slot + 1) & mask
        }
        let id = Int32(count)
        slots[slot] = id
        previous.append(key)
        bits.append(value)
        count += 1
        if count * 2 > slots.count { grow() }
        return id
    }

    /// The pair's id, or -1 when it was never inserted.
    func existingId(previous key: Int32, bits value: UInt64) -> Int32 {
        var slot = Self.home(key, value, mask: mask)
        while true {
            let found = slots[slot]
            if found < 0 { return -1 }
            if previous[Int(found)] == key && bits[Int(found)] == value { return found }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        mask = size - 1
        slots = [Int32](repeating: -1, count: size)
        for id in 0..<count {
            var slot = Self.home(previous[id], bits[id], mask: mask)
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id)
        }
    }
}

/// Join key values of both sides in one space of 64-bit patterns: equal keys, equal bits.
enum JoinKeyBits {
    static func make(_ left: Vector, _ right: Vector, leftCount: Int, rightCount: Int) -> ([UInt64?], [UInt64?]) {
        func bits<T>(_ values: ColumnBuffer<T>, _ validity: Bitmap?, _ convert: (T) -> UInt64) -> [UInt64?] {
            (0..<values.count).map { row in (validity?[row] ?? true) ? convert(values[row]) : nil }
        }
        switch (left, right) {
        case (.text, .text):
            // The left side's strings as the right dictionary's codes (nil: a null, or no right row has it).
            let (leftIds, rightIds, _) = SQLExecutor.textKeyIds(left, right, leftCount: leftCount, rightCount: rightCount)!
            let asBits = { (id: Int32) -> UInt64? in id < 0 ? nil : UInt64(id) }
            return (leftIds.map(asBits), rightIds.map(asBits))
        case (.int64(let a, let aValid), .int64(let b, let bValid)):
            return (bits(a, aValid) { UInt64(bitPattern: $0) }, bits(b, bValid) { UInt64(bitPattern: $0) })
        case (.date(let a, let aValid), .date(let b, let bValid)):
            return (bits(a, aValid) { UInt64(UInt32(bitPattern: $0)) }, bits(b, bValid) { UInt64(UInt32(bitPattern: $0)) })
        case (.bool(let a), .bool(let b)):
            return (a.map { $0 == 2 ? nil : UInt64($0) }, b.map { $0 == 2 ? nil : UInt64($0) })
        default:
            break
        }
        if left.dataType?.isNumeric == true, right.dataType?.isNumeric == true, let (a, aValid) = left.doubles, let (b, bValid) = right.doubles {
            // -0 and 0 are one key.
            return (bits(a, aValid) { ($0 == 0 ? 0 : $0).bitPattern }, bits(b, bValid) { ($0 == 0 ? 0 : $0).bitPattern })
        }
        if let (a, aValid) = left.seconds, let (b, bValid) = right.seconds {
            return (bits(a, aValid) { UInt64(bitPattern: $0) }, bits(b, bValid) { UInt64(bitPattern: $0) })
        }
        return ([UInt64?](repeating: nil, count: leftCount), [UInt64?](repeating: nil, count: rightCount))
    }
}

/// The query engine's hash join, for the domain commands that join two exports on a key column.
public enum KeyJoin {
    /// For each row of `left`, the row of `right` whose key equals its key — the last one when
    /// several do (a roster listing a certificate twice: its latest line) — or -1 for none (a null
    /// key matches nothing).
    /// Key columns of different types (a certificate number read as a number in one export and
    /// as text in the other) are compared as their text.
    public static func lastMatch(left: Column, right: Column) -> [Int32] {
        var leftKey = Vector(column: left), rightKey = Vector(column: right)
        if left.dataType != right.dataType {
            leftKey = VectorKernels.cast(leftKey, to: .text, rowCount: left.count)
            rightKey = VectorKernels.cast(rightKey, to: .text, rowCount: right.count)
        }
        let (leftRows, rightRows) = SQLExecutor.matchingRows(left: [leftKey], leftCount: left.count,
                                                             right: [rightKey], rightCount: right.count, keepUnmatched: true)
        var match = [Int32](repeating: -1, count: left.count)
        for (leftRow, rightRow) in zip(leftRows, rightRows) { match[Int(leftRow)] = rightRow }
        return match
    }
}
