import Columnar

extension SQLExecutor {
    /// An equality hash join of the rows so far with a new table (inner or left).
    ///
    /// The ON condition must be one or more `a = b` joined by AND, each with one side on the
    /// tables before and the other on the new table.
    func hashJoin(_ rows: Rows, newTable: Int, table: Table, join: SelectStatement.Join,
                  previousScope: Scope, fullScope: Scope, previousWidth: Int) throws -> Rows {
        var leftKeys: [Compiled] = [], rightKeys: [Compiled] = []
        var newScope = Scope()
        newScope.entries = Array(fullScope.entries.suffix(table.columns.count))
        for equality in SQLExecutor.conjuncts(join.condition) {
            guard case .binary(.equal, let a, let b, let position) = equality else {
                throw QueryError(message: LocalizedText(zh: "JOIN … ON 只支持等值条件（a = b，用 AND 连接）。",
                                                        en: "JOIN … ON supports equality keys only (a = b, joined by AND)."),
                                 position: equality.position)
            }
            let previous = Binder(scope: previousScope), new = Binder(scope: newScope)
            if let left = try? previous.bind(a), let right = try? new.bind(b) {
                leftKeys.append(left)
                rightKeys.append(try Binder(scope: fullScope).bindComparable(left, right, position))
            } else if let left = try? previous.bind(b), let right = try? new.bind(a) {
                leftKeys.append(left)
                rightKeys.append(try Binder(scope: fullScope).bindComparable(left, right, position))
            } else {
                // Report the real problem: an unknown column, or both sides on one table.
                _ = try Binder(scope: fullScope).bind(a)
                _ = try Binder(scope: fullScope).bind(b)
                throw QueryError(message: LocalizedText(zh: "JOIN 条件的两边应分别来自前面的表和新加入的表。",
                                                        en: "each side of a JOIN condition must come from a different table: one before, one joined."),
                                 position: position)
            }
        }
        if let columns = SQLExecutor.singleColumnKey(join: join, previousScope: previousScope, newScope: newScope),
           let matches = SQLExecutor.matchOnColumns(rows, left: columns.left, right: columns.right) {
            return SQLExecutor.pairedRows(rows, matches: matches, left: join.left, previousWidth: previousWidth)
        }
        // Build on the new table; rows with a null key never match.
        var buckets: [[Value]: [Int32]] = [:]
        // The new table's columns read ids[newTable]: one row of that width, reused.
        var wide = [Int32](repeating: -1, count: newTable + 1)
        for id in 0..<Int32(table.rowCount) {
            wide[newTable] = id
            let key = wide.withUnsafeBufferPointer { ids in rightKeys.map { $0.evaluate(EvaluationRow(ids: ids.baseAddress, values: nil)) } }
            if key.contains(where: \.isNull) { continue }
            buckets[key, default: []].append(id)
        }
        let matches = (0..<rows.count).map { index -> [Int32] in
            let key = rows.withRow(index) { row in leftKeys.map { $0.evaluate(row) } }
            return key.contains(where: \.isNull) ? [] : (buckets[key] ?? [])
        }
        return SQLExecutor.pairedRows(rows, matches: matches, left: join.left, previousWidth: previousWidth)
    }

    static func conjuncts(_ expression: Expression) -> [Expression] {
        if case .binary(.and, let left, let right, _) = expression { return conjuncts(left) + conjuncts(right) }
        return [expression]
    }

    /// The key columns of a join on one `a = b` of two plain columns of the same type: a column of
    /// a table before (its table's index) and a column of the new table.
    static func singleColumnKey(join: SelectStatement.Join, previousScope: Scope, newScope: Scope)
        -> (left: (table: Int, column: Column), right: Column)? {
        guard case .binary(.equal, let a, let b, _) = join.condition else { return nil }
        func column(_ expression: Expression, in scope: Scope) -> (table: Int, column: Column)? {
            let entry: Scope.Entry?
            switch expression {
            case .column(let name, let position): entry = try? scope.resolve(name, qualifier: nil, position: position)
            case .qualifiedColumn(let qualifier, let name, let position): entry = try? scope.resolve(name, qualifier: qualifier, position: position)
            default: entry = nil
            }
            guard case .tableColumn(let table, let found)? = entry?.source else { return nil }
            return (table, found)
        }
        let pair: ((table: Int, column: Column), (table: Int, column: Column))
        if let left = column(a, in: previousScope), let right = column(b, in: newScope) {
            pair = (left, right)
        } else if let left = column(b, in: previousScope), let right = column(a, in: newScope) {
            pair = (left, right)
        } else {
            return nil
        }
        guard pair.0.column.dataType == pair.1.column.dataType else { return nil }
        return (pair.0, pair.1.column)
    }

    /// For each row so far, the new table's rows whose key equals its key (nulls match nothing),
    /// on the columns' storage: text by dictionary code (the left dictionary's codes translated
    /// once into the right one's), other types by value. Nil for a type it does not take.
    static func matchOnColumns(_ rows: Rows, left: (table: Int, column: Column), right: Column) -> [[Int32]]? {
        // The new table's rows by key: a code (or value number) → its rows.
        var rowsOfKey: [Int64: [Int32]] = [:]
        let leftKey: (Int) -> Int64?
        switch (left.column.storage, right.storage) {
        case (.text(let leftCodes, let leftDictionary), .text(let rightCodes, let rightDictionary)):
            for row in 0..<right.count where !right.isNull(row) { rowsOfKey[Int64(rightCodes[row]), default: []].append(Int32(row)) }
            let translated = (0..<leftDictionary.count).map { rightDictionary.lookup(leftDictionary.string(at: UInt32($0))).map(Int64.init) }
            leftKey = { row in translated[Int(leftCodes[row])] }
        case (.int64(let leftValues), .int64(let rightValues)):
            for row in 0..<right.count where !right.isNull(row) { rowsOfKey[rightValues[row], default: []].append(Int32(row)) }
            leftKey = { row in leftValues[row] }
        case (.date(let leftDays), .date(let rightDays)):
            for row in 0..<right.count where !right.isNull(row) { rowsOfKey[Int64(rightDays[row]), default: []].append(Int32(row)) }
            leftKey = { row in Int64(leftDays[row]) }
        default:
            return nil
        }
        let width = rows.width
        return (0..<rows.count).map { index in
            let id = Int(rows.ids[index * width + left.table])
            guard id >= 0, !left.column.isNull(id), let key = leftKey(id) else { return [] }
            return rowsOfKey[key] ?? []
        }
    }

    /// The rows so far, each followed by each of its matches (a left join keeps an unmatched row
    /// once, with -1 for the new table).
    static func pairedRows(_ rows: Rows, matches: [[Int32]], left: Bool, previousWidth: Int) -> Rows {
        var joined = Rows(width: previousWidth + 1, ids: [], values: [])
        for index in 0..<rows.count {
            let prefix = rows.ids[(index * previousWidth)..<((index + 1) * previousWidth)]
            if matches[index].isEmpty {
                if left {
                    joined.ids.append(contentsOf: prefix)
                    joined.ids.append(-1)
                    joined.values.append([])
                }
                continue
            }
            for match in matches[index] {
                joined.ids.append(contentsOf: prefix)
                joined.ids.append(match)
                joined.values.append([])
            }
        }
        return joined
    }
}
