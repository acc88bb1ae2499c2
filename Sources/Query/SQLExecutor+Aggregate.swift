import Columnar

extension SQLExecutor {
    /// Groups the rows and computes every aggregate the statement uses; returns one row per
    /// group (group values, then aggregate results) and a binder that knows both.
    func aggregate(_ rows: Rows, scope: Scope, groupExpressions: [Expression],
                   items: [(expression: Expression, name: String)]) throws -> (Rows, Binder) {
        let rowBinder = Binder(scope: scope)
        let groupKeys = try groupExpressions.map { (expression) throws(QueryError) -> Compiled in
            if expression.containsAggregate {
                throw QueryError(message: LocalizedText(zh: "GROUP BY 中不能有聚合函数。", en: "GROUP BY cannot hold an aggregate."),
                                 position: expression.position)
            }
            return try rowBinder.bind(expression)
        }
        let calls = aggregateCalls(items)

        struct Spec {
            var name: AggregateName
            var distinct: Bool
            var star: Bool
            var argument: Compiled?
            var threshold: Double?
            var type: DataType?
        }
        var specs: [Spec] = []
        for call in calls {
            guard case .function(let raw, let arguments, let distinct, let star, let position) = call,
                  let name = AggregateName(rawValue: raw) else { continue }
            if arguments.contains(where: \.containsAggregate) {
                throw QueryError(message: LocalizedText(zh: "聚合函数不能嵌套。", en: "aggregates cannot be nested."), position: position)
            }
            let entry = FunctionCatalog.entry(raw)!
            let expected: ClosedRange<Int> = star ? 0...0 : entry.arity
            guard expected.contains(arguments.count), !star || entry.allowsStar else {
                throw QueryError(message: LocalizedText(zh: "\(raw)() 的参数个数不对。", en: "\(raw)() takes a different number of arguments."),
                                 position: position)
            }
            let argument = try arguments.first.map { (expression) throws(QueryError) in try rowBinder.bind(expression) }
            if entry.numericArgument, let type = argument?.type, !type.isNumeric {
                throw QueryError(message: LocalizedText(zh: "\(raw)() 需要数值列。", en: "\(raw)() takes a number."), position: position)
            }
            var threshold: Double?
            if arguments.count == 2 {
                guard case .literal(let value, _) = arguments[1], let number = value.asDouble else {
                    throw QueryError(message: LocalizedText(zh: "\(raw)() 的分数线应为数字。", en: "\(raw)()'s threshold must be a number."),
                                     position: arguments[1].position)
                }
                threshold = number
            } else if name == .passRate {
                threshold = passLine
            }
            specs.append(Spec(name: name, distinct: distinct, star: star, argument: argument, threshold: threshold,
                              type: Accumulator.resultType(name, argument: argument?.type)))
        }

        // One pass: find each row's group (in order of first appearance) and feed its accumulators.
        var groups = DenseKeys()
        var accumulators: [[Accumulator]] = []
        let fresh = specs.map { Accumulator(name: $0.name, distinct: $0.distinct, integerInput: $0.argument?.type == .int64) }
        for index in 0..<rows.count {
            rows.withRow(index) { row in
                let (group, isNew) = groups.id(groupKeys.map { $0.evaluate(row) })
                if isNew { accumulators.append(fresh) }
                for (position, spec) in specs.enumerated() {
                    accumulators[group][position].add(spec.argument?.evaluate(row) ?? .null, threshold: spec.threshold, star: spec.star)
                }
            }
        }
        // Without GROUP BY, aggregates over no rows still give one row (count 0, sum null).
        if groupKeys.isEmpty && groups.count == 0 {
            _ = groups.id([])
            accumulators.append(fresh)
        }
        var grouped = Rows(width: 0, ids: [], values: [])
        for (group, key) in groups.keys.enumerated() {
            grouped.values.append(key + specs.indices.map { accumulators[group][$0].result(star: specs[$0].star) })
        }

        let binder = try groupedBinder(scope: scope, groupExpressions: groupExpressions, groupTypes: groupKeys.map(\.type),
                                       calls: calls, callTypes: specs.map(\.type))
        return (grouped, binder)
    }

    /// Every distinct aggregate call of the statement (SELECT, HAVING, ORDER BY), in order.
    func aggregateCalls(_ items: [(expression: Expression, name: String)]) -> [Expression] {
        var calls: [Expression] = []
        var seen: Set<String> = []
        func collect(_ expression: Expression) {
            if case .function(let name, _, _, _, _) = expression, AggregateName(rawValue: name) != nil {
                if seen.insert(expression.canonical).inserted { calls.append(expression) }
                return
            }
            expression.children.forEach(collect)
        }
        items.forEach { collect($0.expression) }
        statement.having.map(collect)
        statement.orderBy.forEach { collect($0.expression) }
        return calls
    }

    /// The binder of the grouped rows: group values in the first slots, aggregates after them.
    func groupedBinder(scope: Scope, groupExpressions: [Expression], groupTypes: [DataType?], calls: [Expression],
                       callTypes: [DataType?]) throws(QueryError) -> Binder {
        var groupScope = Scope()
        var precomputed: [String: (slot: Int, type: DataType?)] = [:]
        for (slot, expression) in groupExpressions.enumerated() {
            var entry: Scope.Entry?
            switch expression {
            case .column(let name, let position): entry = try scope.resolve(name, qualifier: nil, position: position)
            case .qualifiedColumn(let table, let name, let position): entry = try scope.resolve(name, qualifier: table, position: position)
            default: break
            }
            if var entry {
                entry.source = .slot(slot)
                groupScope.entries.append(entry)
            }
            precomputed[expression.canonical] = (slot: slot, type: groupTypes[slot])
        }
        for (position, call) in calls.enumerated() {
            precomputed[call.canonical] = (slot: groupExpressions.count + position, type: callTypes[position])
        }
        var binder = Binder(scope: groupScope)
        binder.precomputed = precomputed
        binder.ungroupedScope = scope
        return binder
    }
}
