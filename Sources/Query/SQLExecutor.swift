import Kernels
import Columnar

/// Runs a `SELECT` statement column-at-a-time: FROM and JOIN (hash joins on the key vectors),
/// WHERE, GROUP BY with aggregates, HAVING, window functions, the projection, DISTINCT, ORDER BY,
/// OFFSET and LIMIT, in that order. Every expression is bound once by `Binder` and computed by
/// its vector kernels; each stage's rows are columns, gathered only when read.
public struct SQLExecutor {
    /// Supplies the table of a FROM or JOIN reference (a `--table` name or a file path).
    public typealias TableSource = (SelectStatement.TableReference) throws -> Table

    let statement: SelectStatement
    let source: TableSource
    /// The line `pass_rate(score)` counts from when no second argument gives one: a score at or
    /// above it passes (the rules' pass line, read as their `line_reading` says). Nil when the
    /// statement has no such call (`SelectStatement.usesDefaultPassLine`): the rules need not be read.
    let passLine: Double?

    public init(statement: SelectStatement, passLine: Double?, source: @escaping TableSource) {
        self.statement = statement
        self.passLine = passLine
        self.source = source
    }

    typealias Item = (expression: Expression, name: String)

    /// One stage of the statement's rows: the names it offers, and the aggregate and window
    /// results computed for its rows.
    struct Stage {
        var scope: Scope
        var precomputed: [String: Vector] = [:]
        var ungroupedScope: Scope?
        var rowCount: Int { scope.rowCount }

        var binder: Binder {
            var binder = Binder(scope: scope)
            binder.precomputed = precomputed
            binder.ungroupedScope = ungroupedScope
            return binder
        }

        /// The stage at `rows` of its rows.
        func gathered(_ rows: [Int32]) -> Stage {
            var moved = self
            moved.scope = scope.gathered(rows)
            moved.precomputed = precomputed.mapValues { $0.gathered(rows) }
            return moved
        }
    }

    public func run() throws -> QueryResult {
        let joined = try joinedScope()

        // Items, with * expanded.
        var items: [Item] = []
        for item in statement.items {
            switch item {
            case .star(let position):
                for entry in joined.entries {
                    items.append((.qualifiedColumn(entry.qualifier ?? "", entry.name, position), entry.name))
                }
            case .expression(let expression, let alias):
                items.append((expression, alias ?? expression.displayName))
            }
        }
        let groupExpressions = statement.groupBy.map { resolveReference($0, items: items, scope: joined) }
        let aggregated = !groupExpressions.isEmpty || items.contains { $0.expression.containsAggregate }
            || statement.having != nil || statement.orderBy.contains { $0.expression.containsAggregate }

        // WHERE: the rows kept, as row numbers of the joined rows.
        var selected: [Int32]?
        if let filter = statement.filter {
            let condition = try Binder(scope: joined).bind(filter)
            guard condition.type == .bool || condition.type == nil else {
                throw QueryError(message: LocalizedText(zh: "WHERE 后应为真假判断。", en: "WHERE takes a condition (true or false)."),
                                 position: filter.position)
            }
            selected = condition.selectedRows(among: nil, rowCount: joined.rowCount)
        }

        var stage = Stage(scope: joined)
        if aggregated {
            // A filter that keeps at most half the rows: the columns the statement reads are
            // gathered to those rows first, and grouped and summed at their length.
            if let rows = selected, rows.count <= joined.rowCount / 2 {
                stage = try aggregate(joined.gathered(rows), selected: nil, groupExpressions: groupExpressions, items: items)
            } else {
                stage = try aggregate(joined, selected: selected, groupExpressions: groupExpressions, items: items)
            }
            selected = nil
            if let having = statement.having {
                let condition = try stage.binder.bind(having)
                stage = stage.gathered(condition.evaluate().selectedRows(rowCount: stage.rowCount))
            }
        }

        // Window functions, computed over the stage's rows.
        let windows = uniqueWindows(items.map(\.expression) + statement.orderBy.map(\.expression))
        if !windows.isEmpty, let rows = selected {
            stage = stage.gathered(rows)
            selected = nil
        }
        for window in windows { try addWindow(window, to: &stage) }

        // The projection, bound now so that its errors come before any work.
        let projections = try items.map { (item) throws(QueryError) in try stage.binder.bind(item.expression) }
        let offset = statement.offset ?? 0

        var output: [[Value]]
        if statement.distinct {
            // DISTINCT: the first row of each distinct projected row, then ordered.
            if let rows = selected { stage = stage.gathered(rows) }
            let vectors = try items.map { (item) throws(QueryError) in try stage.binder.bind(item.expression).evaluate() }
            let rowCount = stage.rowCount
            let columns = vectors.enumerated().map { index, vector in SQLExecutor.column(vector, named: "\u{0}distinct\(index)", rowCount: rowCount) }
            let grouping = Grouping.make(table: Table(columns: columns, rowCount: rowCount), columns: columns, selected: nil)
            var firstRows: [Int32] = []
            var seen = [Bool](repeating: false, count: grouping.groupCount)
            for (row, group) in grouping.groupIds.enumerated() where group >= 0 && !seen[Int(group)] {
                seen[Int(group)] = true
                firstRows.append(Int32(row))
            }
            let order = try sortKeys(stage: stage, items: items).nonEmptyOrder
            let rows = SQLExecutor.ordered(firstRows, by: order, offset: offset, limit: statement.limit)
            output = rows.map { row in vectors.map { $0.value(at: Int(row)) } }
        } else {
            let order = try sortKeys(stage: stage, items: items).nonEmptyOrder
            let rows = SQLExecutor.ordered(selected, rowCount: stage.rowCount, by: order, offset: offset, limit: statement.limit)
            let isIdentity = rows.count == stage.rowCount && (rows.isEmpty || (rows.first == 0 && rows.last == Int32(rows.count - 1)))
                && order == nil
            let final = isIdentity ? stage : stage.gathered(rows)
            let vectors = try items.map { (item) throws(QueryError) in try final.binder.bind(item.expression).evaluate() }
            output = (0..<rows.count).map { row in vectors.map { $0.value(at: row) } }
        }
        return QueryResult(columnNames: items.map(\.name), columnTypes: projections.map(\.type), rows: output, plan: "vectorised")
    }

    /// `rows` in `order` (a top-k selection when a limit is given), then OFFSET and LIMIT.
    static func ordered(_ rows: [Int32], by order: RowOrder?, offset: Int, limit: Int?) -> [Int32] {
        ordered(Optional(rows), rowCount: rows.count, by: order, offset: offset, limit: limit)
    }

    /// `ordered(_:by:offset:limit:)` of `selected`, or of every row 0..<rowCount when nil: a
    /// limit then reads the rows by number, with no array of 10M numbers made first.
    static func ordered(_ selected: [Int32]?, rowCount: Int, by order: RowOrder?, offset: Int, limit: Int?) -> [Int32] {
        if selected == nil, let limit {
            guard let order else {
                let start = min(offset, rowCount), end = min(rowCount, start + limit)
                return (start..<end).map { Int32($0) }
            }
            let rows = order.smallest(offset + limit, ofFirst: rowCount)
            let start = min(offset, rows.count)
            return Array(rows[start..<min(rows.count, start + limit)])
        }
        var rows = selected ?? VectorKernels.allRows(rowCount)
        if let order {
            if let limit {
                rows = order.smallest(offset + limit, of: rows)
            } else {
                rows.sort { order.precedes($0, $1) }
            }
        }
        let start = min(offset, rows.count)
        let end = limit.map { min(rows.count, start + $0) } ?? rows.count
        return Array(rows[start..<end])
    }

    /// The ORDER BY keys as columns of the stage: a position or a select alias names the
    /// projected item; anything else is an expression of the stage.
    private func sortKeys(stage: Stage, items: [Item]) throws(QueryError) -> [SortKey] {
        let aliases = statement.items.compactMap { item -> String? in
            if case .expression(_, let alias?) = item { return alias }
            return nil
        }
        var keys: [SortKey] = []
        for item in statement.orderBy {
            var expression = item.expression
            switch item.expression {
            case .literal(.int(let position), let place):
                guard position >= 1, position <= items.count else {
                    throw QueryError(message: LocalizedText(zh: "ORDER BY \(position) 超出了选择列的个数。",
                                                            en: "ORDER BY \(position) is beyond the selected columns."), position: place)
                }
                expression = items[Int(position) - 1].expression
            case .column(let name, _) where aliases.contains(name):
                expression = items.first { $0.name == name }!.expression
            default:
                break
            }
            let compiled = try stage.binder.bind(expression)
            // A column the cache holds narrow is ordered on its narrow values (`RowOrder`).
            var column: Column
            if let reference = compiled.column, reference().narrow != nil {
                column = reference()
                column.name = "\u{0}order\(keys.count)"
                column.aliases = []
            } else {
                column = SQLExecutor.column(compiled.evaluate(), named: "\u{0}order\(keys.count)", rowCount: stage.rowCount)
            }
            keys.append(SortKey(column: column, descending: item.descending, nullsFirst: item.nullsFirst ?? false))
        }
        return keys
    }

    /// A vector as a column of `rowCount` rows (a null constant as a column of nulls).
    static func column(_ vector: Vector, named name: String, rowCount: Int) -> Column {
        vector.column(named: name, rowCount: rowCount) ?? Vector.nulls(.int64, rowCount: rowCount).column(named: name, rowCount: rowCount)!
    }

    static func defaultQualifier(_ reference: SelectStatement.TableReference) -> String {
        guard reference.isPath else { return reference.source }
        var name = Substring(reference.source.split(separator: "/").last ?? Substring(reference.source))
        if let dot = name.lastIndex(of: ".") { name = name[..<dot] }
        return String(name)
    }

    /// `GROUP BY 2` and `GROUP BY alias` mean the select item.
    private func resolveReference(_ expression: Expression, items: [Item], scope: Scope) -> Expression {
        if case .literal(.int(let position), _) = expression, position >= 1, position <= items.count {
            return items[Int(position) - 1].expression
        }
        if case .column(let name, let place) = expression, (try? scope.resolve(name, qualifier: nil, position: place)) == nil,
           let item = items.first(where: { $0.name == name }) {
            return item.expression
        }
        return expression
    }

    private func uniqueWindows(_ expressions: [Expression]) -> [Expression] {
        var found: [Expression] = []
        var seen: Set<String> = []
        func visit(_ expression: Expression) {
            if case .window = expression {
                if seen.insert(expression.canonical).inserted { found.append(expression) }
                return
            }
            for child in expression.children { visit(child) }
        }
        expressions.forEach(visit)
        return found
    }
}

extension Array where Element == SQLExecutor.SortKey {
    var nonEmptyOrder: SQLExecutor.RowOrder? { isEmpty ? nil : SQLExecutor.RowOrder(self) }
}

extension Expression {
    /// The direct sub-expressions.
    var children: [Expression] {
        switch self {
        case .column, .literal, .qualifiedColumn: return []
        case .not(let inner, _), .negate(let inner, _), .isNull(let inner, _, _), .cast(let inner, _, _): return [inner]
        case .binary(_, let left, let right, _), .like(let left, let right, _, _): return [left, right]
        case .inList(let subject, let items, _, _): return [subject] + items
        case .between(let a, let b, let c, _, _): return [a, b, c]
        case .function(_, let arguments, _, _, _): return arguments
        case .caseWhen(let operand, let branches, let otherwise, _):
            return (operand.map { [$0] } ?? []) + branches.flatMap { [$0.0, $0.1] } + (otherwise.map { [$0] } ?? [])
        case .window(_, let arguments, _, let partition, let order, _): return arguments + partition + order.map(\.expression)
        }
    }
}
