import Columnar
import Kernels

extension SQLExecutor {
    /// A statement with joins, on the column paths: the joined row pairs found once, the columns
    /// the statement reads gathered into one table (a right row that did not match gives nulls),
    /// and the statement rewritten over that table, which then groups, filters and orders like a
    /// one-table statement (`vectorisedAggregate`, `vectorisedScan`, or the row path for what they
    /// cannot take). Nil when a name does not resolve: the row path reports it.
    func joinedOnColumns(tables: [Table], scope: Scope) throws -> QueryResult? {
        guard !statement.joins.isEmpty else { return nil }
        let rows = try joinedRows(tables: tables, scope: scope)

        // Every column the statement names, gathered once under a name of its own.
        var gathered: [Column] = []
        var gatheredName: [String: String] = [:]   // "table#column" → gathered column name
        func reference(_ name: String, _ qualifier: String?, _ position: TextPosition) -> Expression? {
            guard let entry = try? scope.resolve(name, qualifier: qualifier, position: position),
                  case .tableColumn(let owner, let column) = entry.source else { return nil }
            let identity = "\(owner)#\(column.name)"
            if let existing = gatheredName[identity] { return .column(existing, position) }
            let renamed = "\(entry.qualifier ?? String(owner)).\(column.name)"
            gatheredName[identity] = renamed
            gathered.append(Self.gather(column, named: renamed, ids: rows.ids, width: rows.width, table: owner))
            return .column(renamed, position)
        }
        var unresolved = false
        let outputNames = Set(statement.items.compactMap { item -> String? in
            if case .expression(let expression, let alias) = item { return alias ?? expression.displayName }
            return nil
        })
        func rewrite(_ expression: Expression) -> Expression {
            expression.replacingColumns { column in
                switch column {
                case .column(let name, let position):
                    if let found = reference(name, nil, position) { return found }
                    // A select alias (in GROUP BY, HAVING or ORDER BY) stays; anything else unknown
                    // or ambiguous is the row path's to report.
                    if !outputNames.contains(name) { unresolved = true }
                    return column
                case .qualifiedColumn(let qualifier, let name, let position):
                    guard let found = reference(name, qualifier, position) else {
                        unresolved = true
                        return column
                    }
                    return found
                default:
                    return column
                }
            }
        }
        var items: [SelectStatement.Item] = []
        for item in statement.items {
            switch item {
            case .star(let position):
                for entry in scope.entries {
                    items.append(.expression(rewrite(.qualifiedColumn(entry.qualifier ?? "", entry.name, position)), alias: entry.name))
                }
            case .expression(let expression, let alias):
                // The output keeps the name it had: the rewritten expression would print another.
                items.append(.expression(rewrite(expression), alias: alias ?? expression.displayName))
            }
        }
        var rewritten = statement
        rewritten.items = items
        rewritten.joins = []
        rewritten.filter = statement.filter.map(rewrite)
        rewritten.groupBy = statement.groupBy.map(rewrite)
        rewritten.having = statement.having.map(rewrite)
        rewritten.orderBy = statement.orderBy.map { OrderItem(expression: rewrite($0.expression), descending: $0.descending, nullsFirst: $0.nullsFirst) }
        guard !unresolved else { return nil }
        let table = Table(columns: gathered, rowCount: rows.count)
        return try SQLExecutor(statement: rewritten, passLine: passLine) { _ in table }.run()
    }

    /// The FROM table's rows joined with each JOIN table in turn: one id per table per row.
    func joinedRows(tables: [Table], scope: Scope) throws -> Rows {
        var rows = Rows(width: 1, ids: (0..<Int32(tables[0].rowCount)).map { $0 }, values: [[Value]](repeating: [], count: tables[0].rowCount))
        for (index, join) in statement.joins.enumerated() {
            let table = index + 1
            rows = try hashJoin(rows, newTable: table, table: tables[table], join: join,
                                previousScope: scope.owned { $0 < table }, fullScope: scope.owned { $0 <= table }, previousWidth: table)
        }
        return rows
    }

    /// Column `column` of source table `table`, at each joined row's id in that table (-1: null).
    static func gather(_ column: Column, named name: String, ids: [Int32], width: Int, table: Int) -> Column {
        let count = width == 0 ? 0 : ids.count / width
        var validity = Bitmap(count: count, value: true)
        var anyNull = false
        func source(_ row: Int) -> Int? {
            let id = Int(ids[row * width + table])
            guard id >= 0, !column.isNull(id) else {
                validity[row] = false
                anyNull = true
                return nil
            }
            return id
        }
        let storage: ColumnStorage
        switch column.storage {
        case .int64(let values): storage = .int64((0..<count).map { source($0).map { values[$0] } ?? 0 })
        case .float64(let values): storage = .float64((0..<count).map { source($0).map { values[$0] } ?? 0 })
        case .date(let days): storage = .date((0..<count).map { source($0).map { days[$0] } ?? 0 })
        case .timestamp(let seconds): storage = .timestamp((0..<count).map { source($0).map { seconds[$0] } ?? 0 })
        case .bool(let flags): storage = .bool((0..<count).map { source($0).map { flags[$0] } ?? false })
        case .text(let codes, let dictionary): storage = .text(codes: (0..<count).map { source($0).map { codes[$0] } ?? 0 }, dictionary: dictionary)
        }
        return Column(name: name, aliases: [], storage: storage, validity: anyNull ? validity : nil)
    }
}

extension Scope {
    /// The entries of the tables whose index satisfies `owned`.
    func owned(_ owned: (Int) -> Bool) -> Scope {
        Scope(entries: entries.filter { entry in
            if case .tableColumn(let owner, _) = entry.source { return owned(owner) }
            return false
        })
    }
}

extension Expression {
    /// The expression with each column reference (`.column`, `.qualifiedColumn`) replaced by
    /// `transform`'s answer, everything else rebuilt around it.
    func replacingColumns(_ transform: (Expression) -> Expression) -> Expression {
        func map(_ expression: Expression) -> Expression { expression.replacingColumns(transform) }
        switch self {
        case .column, .qualifiedColumn: return transform(self)
        case .literal: return self
        case .not(let inner, let position): return .not(map(inner), position)
        case .negate(let inner, let position): return .negate(map(inner), position)
        case .binary(let op, let left, let right, let position): return .binary(op, map(left), map(right), position)
        case .isNull(let inner, let negated, let position): return .isNull(map(inner), negated: negated, position)
        case .inList(let subject, let items, let negated, let position): return .inList(map(subject), items.map(map), negated: negated, position)
        case .between(let subject, let low, let high, let negated, let position):
            return .between(map(subject), map(low), map(high), negated: negated, position)
        case .like(let subject, let pattern, let negated, let position): return .like(map(subject), map(pattern), negated: negated, position)
        case .function(let name, let arguments, let distinct, let star, let position):
            return .function(name, arguments.map(map), distinct: distinct, star: star, position)
        case .caseWhen(let operand, let branches, let otherwise, let position):
            return .caseWhen(operand.map(map), branches.map { (map($0.0), map($0.1)) }, otherwise.map(map), position)
        case .cast(let inner, let type, let position): return .cast(map(inner), type, position)
        case .window(let name, let arguments, let star, let partition, let order, let position):
            return .window(name, arguments: arguments.map(map), star: star, partitionBy: partition.map(map),
                           orderBy: order.map { OrderItem(expression: map($0.expression), descending: $0.descending, nullsFirst: $0.nullsFirst) },
                           position)
        }
    }
}
