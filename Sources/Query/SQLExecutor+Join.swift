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
        var joined = Rows(width: previousWidth + 1, ids: [], values: [])
        for index in 0..<rows.count {
            let key = rows.withRow(index) { row in leftKeys.map { $0.evaluate(row) } }
            let prefix = rows.ids[(index * previousWidth)..<((index + 1) * previousWidth)]
            let matches = key.contains(where: \.isNull) ? [] : (buckets[key] ?? [])
            if matches.isEmpty {
                if join.left {
                    joined.ids.append(contentsOf: prefix)
                    joined.ids.append(-1)
                    joined.values.append([])
                }
                continue
            }
            for match in matches {
                joined.ids.append(contentsOf: prefix)
                joined.ids.append(match)
                joined.values.append([])
            }
        }
        return joined
    }

    static func conjuncts(_ expression: Expression) -> [Expression] {
        if case .binary(.and, let left, let right, _) = expression { return conjuncts(left) + conjuncts(right) }
        return [expression]
    }
}
