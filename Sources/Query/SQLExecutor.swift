import Columnar

/// Runs a `SELECT` statement: FROM and JOIN, WHERE, GROUP BY with aggregates, HAVING, window
/// ranks, the projection, DISTINCT, ORDER BY, OFFSET and LIMIT, in that order.
public struct SQLExecutor {
    /// Supplies the table of a FROM or JOIN reference (a `--table` name or a file path).
    public typealias TableSource = (SelectStatement.TableReference) throws -> Table

    let statement: SelectStatement
    private let source: TableSource
    /// The line `pass_rate(score)` counts from when no second argument gives one: a score at or
    /// above it passes (the rules' pass line, read as their `line_reading` says).
    let passLine: Double

    public init(statement: SelectStatement, passLine: Double = 70, source: @escaping TableSource) {
        self.statement = statement
        self.passLine = passLine
        self.source = source
    }

    /// A stage's rows: row ids into the source tables (`width` per row) and computed values.
    struct Rows {
        var width: Int
        var ids: [Int32]
        var values: [[Value]]
        var count: Int { values.count }

        func withRow<R>(_ index: Int, _ body: (EvaluationRow) -> R) -> R {
            values[index].withUnsafeBufferPointer { valueBuffer in
                if width == 0 { return body(EvaluationRow(ids: nil, values: valueBuffer.baseAddress)) }
                return ids.withUnsafeBufferPointer { idBuffer in
                    body(EvaluationRow(ids: idBuffer.baseAddress! + index * width, values: valueBuffer.baseAddress))
                }
            }
        }
    }

    public func run() throws -> QueryResult {
        // FROM and JOIN.
        var tables: [Table] = []
        var scope = Scope()
        func add(_ reference: SelectStatement.TableReference) throws {
            let table = try source(reference)
            let qualifier = reference.alias ?? SQLExecutor.defaultQualifier(reference)
            let index = tables.count
            tables.append(table)
            for column in table.columns {
                scope.entries.append(Scope.Entry(qualifier: qualifier, name: column.name, aliases: column.aliases,
                                                 type: column.dataType, source: .tableColumn(table: index, column: column)))
            }
        }
        try add(statement.from)
        if let result = try vectorisedScan(table: tables[0], scope: scope) { return result }
        for join in statement.joins { try add(join.table) }
        if let result = try joinedOnColumns(tables: tables, scope: scope) { return result }

        // Items, with * expanded.
        var items: [(expression: Expression, name: String)] = []
        for item in statement.items {
            switch item {
            case .star(let position):
                for entry in scope.entries {
                    items.append((.qualifiedColumn(entry.qualifier ?? "", entry.name, position), entry.name))
                }
            case .expression(let expression, let alias):
                items.append((expression, alias ?? expression.displayName))
            }
        }
        let groupExpressions = statement.groupBy.map { resolveReference($0, items: items, scope: scope) }
        let aggregated = !groupExpressions.isEmpty || items.contains { $0.expression.containsAggregate }
            || statement.having != nil || statement.orderBy.contains { $0.expression.containsAggregate }

        var binder = Binder(scope: scope)
        var plan = "row"
        var rows: Rows
        if aggregated, let vectorised = try vectorisedAggregate(table: tables[0], scope: scope, groupExpressions: groupExpressions, items: items) {
            (rows, binder) = vectorised
            plan = "vectorised"
        } else {
            // FROM and JOIN, row by row.
            rows = try joinedRows(tables: tables, scope: scope)
            // WHERE.
            if let filter = statement.filter {
                let condition = try Binder(scope: scope).bind(filter)
                guard condition.type == .bool || condition.type == nil else {
                    throw QueryError(message: LocalizedText(zh: "WHERE 后应为真假判断。", en: "WHERE takes a condition (true or false)."),
                                     position: filter.position)
                }
                rows = keep(rows) { condition.evaluate($0) == .bool(true) }
            }

            if aggregated {
                (rows, binder) = try aggregate(rows, scope: scope, groupExpressions: groupExpressions, items: items)
            }
        }
        if aggregated, let having = statement.having {
            let condition = try binder.bind(having)
            rows = keep(rows) { condition.evaluate($0) == .bool(true) }
        }

        // Window functions, into extra slots.
        let windows = uniqueWindows(items.map(\.expression) + statement.orderBy.map(\.expression))
        for window in windows {
            guard case .window(let name, let arguments, let star, let partition, let order, _) = window else { continue }
            let partitionKeys = try partition.map { (expression) throws(QueryError) in try binder.bind(expression) }
            let slot = rows.values.first?.count ?? 0
            if let aggregate = AggregateName(rawValue: name) {
                // An aggregate over each whole partition (no ORDER BY: the parser refuses a running frame).
                let argument = try arguments.first.map { (expression) throws(QueryError) in try binder.bind(expression) }
                let values = SQLExecutor.windowAggregates(rows: rows, name: aggregate, argument: argument, star: star, partition: partitionKeys)
                for index in 0..<rows.count { rows.values[index].append(values[index]) }
                binder.precomputed[window.canonical] = (slot: slot, type: Accumulator.resultType(aggregate, argument: argument?.type))
                continue
            }
            let orderKeys = try order.map { (item) throws(QueryError) in try binder.bind(item.expression) }
            let ranks = SQLExecutor.windowRanks(rows: rows, name: name, partition: partitionKeys, order: orderKeys, items: order)
            for index in 0..<rows.count { rows.values[index].append(.int(ranks[index])) }
            binder.precomputed[window.canonical] = (slot: slot, type: .int64)
        }

        // Projection and ORDER BY keys: a position or a select alias names an output column;
        // anything else is evaluated on the row before projection.
        let projections = try items.map { (item) throws(QueryError) in try binder.bind(item.expression) }
        let aliases = statement.items.compactMap { item -> String? in
            if case .expression(_, let alias?) = item { return alias }
            return nil
        }
        enum OrderSource {
            case output(Int)
            case compiled(Compiled)
        }
        var orderSources: [OrderSource] = []
        for item in statement.orderBy {
            switch item.expression {
            case .literal(.int(let position), let place):
                guard position >= 1, position <= items.count else {
                    throw QueryError(message: LocalizedText(zh: "ORDER BY \(position) 超出了选择列的个数。",
                                                            en: "ORDER BY \(position) is beyond the selected columns."), position: place)
                }
                orderSources.append(.output(Int(position) - 1))
            case .column(let name, _) where aliases.contains(name):
                orderSources.append(.output(items.firstIndex { $0.name == name }!))
            default:
                orderSources.append(.compiled(try binder.bind(item.expression)))
            }
        }
        var output: [[Value]] = []
        var keys: [[Value]] = []
        output.reserveCapacity(rows.count)
        for index in 0..<rows.count {
            let (projected, rowKeys) = rows.withRow(index) { row -> ([Value], [Value]) in
                let projected = projections.map { $0.evaluate(row) }
                let rowKeys = orderSources.map { source -> Value in
                    switch source {
                    case .output(let column): return projected[column]
                    case .compiled(let key): return key.evaluate(row)
                    }
                }
                return (projected, rowKeys)
            }
            output.append(projected)
            keys.append(rowKeys)
        }

        if statement.distinct {
            var seen = Set<[Value]>()
            var keptOutput: [[Value]] = [], keptKeys: [[Value]] = []
            for (row, key) in zip(output, keys) where seen.insert(row).inserted {
                keptOutput.append(row)
                keptKeys.append(key)
            }
            output = keptOutput
            keys = keptKeys
        }
        if !statement.orderBy.isEmpty {
            let order = statement.orderBy
            let sortedIndices = output.indices.sorted { a, b in
                for (position, item) in order.enumerated() {
                    let comparison = SQLExecutor.compareForSort(keys[a][position], keys[b][position], item)
                    if comparison != 0 { return comparison < 0 }
                }
                return a < b
            }
            output = sortedIndices.map { output[$0] }
        }
        let start = min(statement.offset ?? 0, output.count)
        let end = statement.limit.map { min(output.count, start + $0) } ?? output.count
        return QueryResult(columnNames: items.map(\.name), columnTypes: projections.map(\.type), rows: Array(output[start..<end]),
                           plan: plan)
    }

    static func defaultQualifier(_ reference: SelectStatement.TableReference) -> String {
        guard reference.isPath else { return reference.source }
        var name = Substring(reference.source.split(separator: "/").last ?? Substring(reference.source))
        if let dot = name.lastIndex(of: ".") { name = name[..<dot] }
        return String(name)
    }

    /// `GROUP BY 2` and `GROUP BY alias` mean the select item.
    private func resolveReference(_ expression: Expression, items: [(expression: Expression, name: String)], scope: Scope) -> Expression {
        if case .literal(.int(let position), _) = expression, position >= 1, position <= items.count {
            return items[Int(position) - 1].expression
        }
        if case .column(let name, let place) = expression, (try? scope.resolve(name, qualifier: nil, position: place)) == nil,
           let item = items.first(where: { $0.name == name }) {
            return item.expression
        }
        return expression
    }

    private func keep(_ rows: Rows, where predicate: (EvaluationRow) -> Bool) -> Rows {
        var kept = Rows(width: rows.width, ids: [], values: [])
        for index in 0..<rows.count where rows.withRow(index, predicate) {
            if rows.width > 0 { kept.ids.append(contentsOf: rows.ids[(index * rows.width)..<((index + 1) * rows.width)]) }
            kept.values.append(rows.values[index])
        }
        return kept
    }

    /// Sort comparison with SQL's null placement: nulls last unless NULLS FIRST is asked.
    static func compareForSort(_ a: Value, _ b: Value, _ item: OrderItem) -> Int {
        let nullsFirst = item.nullsFirst ?? false
        switch (a.isNull, b.isNull) {
        case (true, true): return 0
        case (true, false): return nullsFirst ? -1 : 1
        case (false, true): return nullsFirst ? 1 : -1
        default:
            let order = ValueOrdering.compare(a, b) ?? 0
            return item.descending ? -order : order
        }
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

    /// An aggregate (`sum`, `avg`, `count`, `min`, `max`) over each row's whole partition.
    private static func windowAggregates(rows: Rows, name: AggregateName, argument: Compiled?, star: Bool, partition: [Compiled]) -> [Value] {
        var partitions = DenseKeys()
        var accumulators: [Accumulator] = []
        var membership = [Int](repeating: 0, count: rows.count)
        for index in 0..<rows.count {
            let (key, value) = rows.withRow(index) { row in (partition.map { $0.evaluate(row) }, argument?.evaluate(row) ?? .null) }
            let (group, isNew) = partitions.id(key)
            if isNew { accumulators.append(Accumulator(name: name, distinct: false, integerInput: argument?.type == .int64)) }
            accumulators[group].add(value, threshold: nil, star: star)
            membership[index] = group
        }
        let results = accumulators.map { $0.result(star: star) }
        return membership.map { results[$0] }
    }

    /// rank, dense_rank or row_number of every row within its partition.
    private static func windowRanks(rows: Rows, name: String, partition: [Compiled], order: [Compiled], items: [OrderItem]) -> [Int64] {
        var partitions = DenseKeys()
        var members: [[Int]] = []
        var keys: [[Value]] = []
        for index in 0..<rows.count {
            let (partitionKey, orderKey) = rows.withRow(index) { row in (partition.map { $0.evaluate(row) }, order.map { $0.evaluate(row) }) }
            keys.append(orderKey)
            let (group, isNew) = partitions.id(partitionKey)
            if isNew { members.append([]) }
            members[group].append(index)
        }
        var ranks = [Int64](repeating: 0, count: rows.count)
        for group in members {
            let sorted = group.sorted { a, b in
                for (position, item) in items.enumerated() {
                    let comparison = compareForSort(keys[a][position], keys[b][position], item)
                    if comparison != 0 { return comparison < 0 }
                }
                return a < b
            }
            var dense: Int64 = 0
            for (position, index) in sorted.enumerated() {
                let tiedWithPrevious = position > 0 && keys[sorted[position - 1]] == keys[index]
                if !tiedWithPrevious { dense += 1 }
                switch name {
                case "row_number": ranks[index] = Int64(position + 1)
                case "dense_rank": ranks[index] = dense
                default: ranks[index] = tiedWithPrevious ? ranks[sorted[position - 1]] : Int64(position + 1)
                }
            }
        }
        return ranks
    }
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
