import Kernels
import Columnar

extension SQLExecutor {
    /// One aggregate call as the plan's kernels run it.
    struct PlannedAggregate {
        var spec: AggregateSpec
        var type: DataType?
        /// The kernel's number back in the argument's type (min and max of text, dates, yes/no).
        var decode: @Sendable (Value) -> Value = { $0 }
        /// Set for `sum(DISTINCT x)` and the like: the kernel sees the first row of each distinct
        /// (group, x) only.
        var distinctColumn: Column?
    }

    /// Columns computed for the kernels, under names no table column has.
    struct PlanColumns {
        var columns: [Column] = []
        let rowCount: Int

        mutating func add(_ vector: Vector) -> Column {
            let column = SQLExecutor.column(vector, named: "\u{0}plan\(columns.count)", rowCount: rowCount)
            columns.append(column)
            return column
        }

        /// The column of a compiled expression: a column the cache holds narrow as it is (its codes
        /// grouped as they are, `Grouping`), anything else evaluated.
        mutating func add(_ compiled: Compiled) -> Column {
            if let reference = compiled.column, reference().narrow != nil { return add(reference()) }
            return add(compiled.evaluate())
        }

        mutating func add(_ column: Column) -> Column {
            var named = column
            named.name = "\u{0}plan\(columns.count)"
            named.aliases = []
            columns.append(named)
            return named
        }

        var table: Table { Table(columns: columns, rowCount: rowCount) }
    }

    /// Groups the selected rows and computes every aggregate the statement uses, on the plan's
    /// kernels; gives the grouped stage: one row per group, the group keys and aggregates
    /// precomputed for its binder.
    func aggregate(_ scope: Scope, selected: [Int32]?, groupExpressions: [Expression], items: [Item]) throws -> Stage {
        let rowBinder = Binder(scope: scope)
        var planColumns = PlanColumns(rowCount: scope.rowCount)
        var groupColumns: [Column] = []
        var groupTypes: [DataType?] = []
        for expression in groupExpressions {
            if expression.containsAggregate {
                throw QueryError(message: LocalizedText(zh: "GROUP BY 中不能有聚合函数。", en: "GROUP BY cannot hold an aggregate."),
                                 position: expression.position)
            }
            let compiled = try rowBinder.bind(expression)
            groupColumns.append(planColumns.add(compiled))
            groupTypes.append(compiled.type)
        }
        let calls = aggregateCalls(items)
        var planned: [PlannedAggregate] = []
        for call in calls {
            guard case .function(let raw, let arguments, let distinct, let star, let position) = call,
                  let entry = FunctionCatalog.entry(raw), entry.kind == .aggregate else { continue }
            if arguments.contains(where: \.containsAggregate) {
                throw QueryError(message: LocalizedText(zh: "聚合函数不能嵌套。", en: "aggregates cannot be nested."), position: position)
            }
            let argument = try checkedArgument(entry, arguments: arguments, star: star, position: position, binder: rowBinder)
            var threshold: Double?
            if arguments.count == 2 {
                guard case .literal(let value, _) = arguments[1], let number = value.asDouble else {
                    throw QueryError(message: LocalizedText(zh: "\(raw)() 的分数线应为数字。", en: "\(raw)()'s threshold must be a number."),
                                     position: arguments[1].position)
                }
                threshold = number
            }
            planned.append(try plan(entry, distinct: distinct, star: star, argument: argument, threshold: threshold, columns: &planColumns))
        }

        let table = planColumns.table
        let grouping = Grouping.make(table: table, columns: groupColumns, selected: selected)
        var keys = grouping.keys
        var results = try aggregateResults(planned, table: table, grouping: grouping, groupColumns: groupColumns, selected: selected)
        // Without GROUP BY, aggregates over no rows still give one row (count 0, the rest null).
        if groupColumns.isEmpty && grouping.groupCount == 0 {
            keys = [[]]
            results = planned.map { [[.countRows, .count, .countDistinct].contains($0.spec.function) ? .int(0) : .null] }
        }

        var groupScope = Scope(rowCount: keys.count)
        var precomputed: [String: Vector] = [:]
        for (index, expression) in groupExpressions.enumerated() {
            let vector = Vector.from(keys.map { $0[index] }, as: groupTypes[index] ?? .int64)
            precomputed[expression.canonical] = vector
            var entry: Scope.Entry?
            switch expression {
            case .column(let name, let position): entry = try scope.resolve(name, qualifier: nil, position: position)
            case .qualifiedColumn(let table, let name, let position): entry = try scope.resolve(name, qualifier: table, position: position)
            default: break
            }
            if let entry {
                groupScope.entries.append(Scope.Entry(qualifier: entry.qualifier, name: entry.name, aliases: entry.aliases,
                                                      column: SQLExecutor.column(vector, named: entry.name, rowCount: keys.count)))
            }
        }
        for (index, call) in calls.enumerated() {
            precomputed[call.canonical] = Vector.from(results[index], as: planned[index].type ?? .int64)
        }
        return Stage(scope: groupScope, precomputed: precomputed, ungroupedScope: scope)
    }

    /// An aggregate's arguments bound and checked as its catalog entry says (arity, `*`, a
    /// numeric argument); the first, which it aggregates, returned.
    func checkedArgument(_ entry: FunctionEntry, arguments: [Expression], star: Bool, position: TextPosition,
                         binder: Binder) throws(QueryError) -> Compiled? {
        let bound = try arguments.map { (expression) throws(QueryError) in try binder.bind(expression) }
        try FunctionCatalog.check(entry, argumentTypes: bound.map(\.type), star: star, position: position)
        return bound.first
    }

    /// How the plan's kernels compute one aggregate call: its argument as a numeric column (text,
    /// dates and yes/no by their order, for min and max; any value as 1 for count), and the
    /// kernel's function.
    func plan(_ entry: FunctionEntry, distinct: Bool, star: Bool, argument: Compiled?, threshold: Double?,
              columns: inout PlanColumns) throws(QueryError) -> PlannedAggregate {
        let type = entry.resultType([argument?.type])
        let isCount = entry.name == "count"
        guard !star, let argument else { return PlannedAggregate(spec: AggregateSpec(.countRows), type: .int64) }
        // A column of scores the cache holds as hundredths is handed to the kernels as it is
        // (they sum hundredths), and any narrow column to count(DISTINCT) (it counts codes, and
        // the bits of other values); any other argument as its vector.
        if distinct && isCount, let reference = argument.column, reference().narrow != nil {
            return PlannedAggregate(spec: AggregateSpec(.countDistinct, of: columns.add(reference()).name), type: .int64)
        }
        let narrowScores = argument.column.map { $0() }.flatMap { column -> Column? in
            if case .hundredths? = column.narrow?.values { column } else { nil }
        }
        let vector = narrowScores == nil ? argument.evaluate().materialized(rowCount: columns.rowCount) : .constant(.null)
        if distinct && isCount {
            return PlannedAggregate(spec: AggregateSpec(.countDistinct, of: columns.add(vector).name), type: .int64)
        }
        var column: Column
        var decode: @Sendable (Value) -> Value = { $0 }
        switch vector {
        case _ where narrowScores != nil:
            column = columns.add(narrowScores!)
        case .int64, .float64:
            column = columns.add(vector)
        case .constant:
            // A null argument: nothing to count, nothing to add.
            column = columns.add(Vector.nulls(.int64, rowCount: columns.rowCount))
        case _ where isCount:
            // Any value counts as one.
            column = columns.add(Column(name: "", storage: .int64([Int64](repeating: 1, count: columns.rowCount)),
                                        validity: VectorKernels.nullMask((0..<columns.rowCount).map { !vector.isNull(at: $0) })))
        case .text(let codes, let dictionary, let validity):
            let ranks = dictionary.sortRanks(), sorted = dictionary.sortedCodes()
            column = columns.add(Column(name: "", storage: .float64(codes.map { Double(ranks[Int($0)]) }), validity: validity))
            decode = { value in value.asDouble.map { .text(dictionary.string(at: sorted[Int($0)])) } ?? .null }
        case .date(let days, let validity):
            column = columns.add(Column(name: "", storage: .float64(days.map(Double.init)), validity: validity))
            decode = { value in value.asDouble.map { .date(Int32($0)) } ?? .null }
        case .timestamp(let seconds, let validity):
            column = columns.add(Column(name: "", storage: .float64(seconds.map(Double.init)), validity: validity))
            decode = { value in value.asDouble.map { .timestamp(Int64($0)) } ?? .null }
        case .bool(let flags):
            column = columns.add(Column(name: "", storage: .float64(flags.map { $0 == 1 ? 1 : 0 }),
                                        validity: VectorKernels.nullMask(flags.map { $0 != 2 })))
            decode = { value in value.asDouble.map { .bool($0 != 0) } ?? .null }
        }
        // The line of pass_rate(x) without one of its own is the rules' pass line; the kernels of
        // the other aggregates take no line (share_below always has its own).
        let line = threshold ?? passLine
        if entry.name == "pass_rate", line == nil {
            throw QueryError(message: LocalizedText(zh: "pass_rate() 没有合格线：规则未读入。", en: "pass_rate() has no pass line: the rules were not read."),
                             position: .start)
        }
        let function = entry.aggregateKernel!(line ?? 0)
        return PlannedAggregate(spec: AggregateSpec(function, of: column.name), type: type, decode: decode,
                                distinctColumn: distinct ? column : nil)
    }

    /// Each planned aggregate's value per group of `grouping` (indexed [aggregate][group]).
    func aggregateResults(_ planned: [PlannedAggregate], table: Table, grouping: Grouping, groupColumns: [Column],
                          selected: [Int32]?) throws -> [[Value]] {
        var results = [[Value]](repeating: [], count: planned.count)
        let plain = planned.indices.filter { planned[$0].distinctColumn == nil }
        let plainResults = try AggregatePlan.aggregate(plain.map { planned[$0].spec }, on: table, grouping: grouping)
        for (position, index) in plain.enumerated() { results[index] = plainResults[position].map(planned[index].decode) }
        for index in planned.indices {
            guard let value = planned[index].distinctColumn else { continue }
            // The first row of each distinct (group, value), grouped again and aligned by key.
            let pairs = Grouping.make(table: table, columns: groupColumns + [value], selected: selected)
            var seen = [Bool](repeating: false, count: pairs.groupCount)
            var firstRows: [Int32] = []
            for (row, id) in pairs.groupIds.enumerated() where id >= 0 && !seen[Int(id)] {
                seen[Int(id)] = true
                firstRows.append(Int32(row))
            }
            let distinctGrouping = Grouping.make(table: table, columns: groupColumns, selected: firstRows)
            let values = try AggregatePlan.aggregate([planned[index].spec], on: table, grouping: distinctGrouping)[0]
            var byKey: [[Value]: Value] = [:]
            for (group, key) in distinctGrouping.keys.enumerated() { byKey[key] = values[group] }
            results[index] = grouping.keys.map { byKey[$0].map(planned[index].decode) ?? .null }
        }
        return results
    }

    /// Every distinct aggregate call of the statement (SELECT, HAVING, ORDER BY), in order.
    func aggregateCalls(_ items: [Item]) -> [Expression] {
        var calls: [Expression] = []
        var seen: Set<String> = []
        func collect(_ expression: Expression) {
            if case .function(let name, _, _, _, _) = expression, FunctionCatalog.isAggregate(name) {
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

    /// A window function's value for every row of the stage, precomputed for its binder: an
    /// aggregate over the row's whole partition, or its rank, dense rank or row number within
    /// the partition in the window's order.
    func addWindow(_ window: Expression, to stage: inout Stage) throws {
        guard case .window(let name, let arguments, let star, let partition, let order, let position) = window else { return }
        let binder = stage.binder
        let rowCount = stage.rowCount
        var planColumns = PlanColumns(rowCount: rowCount)
        let partitionColumns = try partition.map { (expression) throws(QueryError) in planColumns.add(try binder.bind(expression)) }
        let grouping = Grouping.make(table: Table(columns: partitionColumns, rowCount: rowCount), columns: partitionColumns, selected: nil)
        if let entry = FunctionCatalog.entry(name), entry.kind == .aggregate {
            let argument = try checkedArgument(entry, arguments: arguments, star: star, position: position, binder: binder)
            let call = try plan(entry, distinct: false, star: star, argument: argument, threshold: nil, columns: &planColumns)
            let perGroup = try AggregatePlan.aggregate([call.spec], on: planColumns.table, grouping: grouping)[0].map(call.decode)
            stage.precomputed[window.canonical] = Vector.from(perGroup, as: call.type ?? .int64).gathered(grouping.groupIds)
            return
        }
        let keys = try order.map { (item) throws(QueryError) in
            SortKey(column: planColumns.add(try binder.bind(item.expression).evaluate()), descending: item.descending,
                    nullsFirst: item.nullsFirst ?? false)
        }
        let rowOrder = RowOrder(keys)
        var members = [[Int32]](repeating: [], count: grouping.groupCount)
        for (row, id) in grouping.groupIds.enumerated() { members[Int(id)].append(Int32(row)) }
        var ranks = [Int64](repeating: 0, count: rowCount)
        for group in members {
            let sorted = group.sorted(by: rowOrder.precedes)
            var dense: Int64 = 0
            for (place, row) in sorted.enumerated() {
                let tied = place > 0 && rowOrder.ties(sorted[place - 1], row)
                if !tied { dense += 1 }
                switch name {
                case "row_number": ranks[Int(row)] = Int64(place + 1)
                case "dense_rank": ranks[Int(row)] = dense
                default: ranks[Int(row)] = tied ? ranks[Int(sorted[place - 1])] : Int64(place + 1)
                }
            }
        }
        stage.precomputed[window.canonical] = .int64(ranks, nil)
    }
}
