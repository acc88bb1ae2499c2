import Columnar

extension SQLExecutor {
    /// Runs WHERE, GROUP BY and the aggregates column-at-a-time with `AggregatePlan` — the
    /// plan the domain commands run on — when the statement fits it: one table, groups by plain
    /// columns, and aggregates of plain numeric columns that the plan computes (or
    /// `count(DISTINCT x)` of any column). Nil otherwise, and the row-at-a-time path runs instead.
    func vectorisedAggregate(table: Table, scope: Scope, groupExpressions: [Expression],
                             items: [(expression: Expression, name: String)]) throws -> (Rows, Binder)? {
        guard statement.joins.isEmpty else { return nil }
        let everything = items.map(\.expression) + groupExpressions + [statement.filter, statement.having].compactMap { $0 }
            + statement.orderBy.map(\.expression)
        guard !everything.contains(where: \.mentionsQualifiedColumn) else { return nil }
        // A GROUP BY key or an aggregate's argument is a column of the table, or an expression of
        // its columns evaluated on the vectors into a column of its own (when the evaluator gives
        // the type the binder gives it; otherwise the row path runs).
        var computed: [Column] = []
        func column(for expression: Expression) throws(QueryError) -> Column? {
            if case .column(let name, let position) = expression {
                guard case .tableColumn(_, let column) = try scope.resolve(name, qualifier: nil, position: position).source else { return nil }
                return column
            }
            guard let column = SQLExecutor.computedColumn(expression, table: table, scope: scope, named: "\u{0}computed\(computed.count)")
            else { return nil }
            computed.append(column)
            return column
        }
        var groupColumns: [Column] = []
        for expression in groupExpressions {
            guard let column = try column(for: expression) else { return nil }
            groupColumns.append(column)
        }
        let calls = aggregateCalls(items)
        var specs: [AggregateSpec] = []
        var types: [DataType?] = []
        for call in calls {
            guard case .function(let raw, let arguments, let distinct, let star, _) = call,
                  let name = AggregateName(rawValue: raw) else { return nil }
            if star {
                guard name == .count, !distinct else { return nil }
                specs.append(AggregateSpec(.countRows))
                types.append(.int64)
                continue
            }
            guard let first = arguments.first, let column = try column(for: first) else { return nil }
            if distinct {
                // count(DISTINCT x), of any type; other aggregates of distinct values take the row path.
                guard name == .count, arguments.count == 1 else { return nil }
                specs.append(AggregateSpec(.countDistinct, of: column.name))
                types.append(.int64)
                continue
            }
            guard column.dataType.isNumeric else { return nil }
            var threshold: Double?
            if arguments.count == 2 {
                guard case .literal(let value, _) = arguments[1], let number = value.asDouble else { return nil }
                threshold = number
            }
            let function: AggregateFunction
            switch (name, arguments.count) {
            case (.count, 1): function = .count
            case (.sum, 1): function = .sum
            case (.avg, 1): function = .mean
            case (.min, 1): function = .minimum
            case (.max, 1): function = .maximum
            case (.median, 1): function = .median
            case (.stddev, 1), (.stddevSamp, 1): function = .standardDeviation
            case (.passRate, 1): function = .passRate(passLine)
            case (.passRate, 2): function = .passRate(threshold!)
            case (.shareBelow, 2): function = .shareBelow(threshold!)
            default: return nil
            }
            specs.append(AggregateSpec(function, of: column.name))
            types.append(Accumulator.resultType(name, argument: column.dataType))
        }
        let plan = AggregatePlan(filter: statement.filter, groupBy: groupColumns.map(\.name), aggregates: specs)
        let output = try plan.execute(on: computed.isEmpty ? table : Table(columns: table.columns + computed, rowCount: table.rowCount))
        var grouped = Rows(width: 0, ids: [], values: zip(output.keys, output.values).map { $0 + $1 })
        // Without GROUP BY, aggregates over no rows still give one row (count 0, the rest null).
        if groupColumns.isEmpty && grouped.count == 0 {
            grouped.values.append(specs.map { [.countRows, .count, .countDistinct].contains($0.function) ? .int(0) : .null })
        }
        let binder = try groupedBinder(scope: scope, groupExpressions: groupExpressions, groupTypes: groupColumns.map(\.dataType),
                                       calls: calls, callTypes: types)
        return (grouped, binder)
    }
}

extension Expression {
    /// Whether a `table.column` reference occurs anywhere in the expression.
    var mentionsQualifiedColumn: Bool {
        if case .qualifiedColumn = self { return true }
        return children.contains { $0.mentionsQualifiedColumn }
    }
}
