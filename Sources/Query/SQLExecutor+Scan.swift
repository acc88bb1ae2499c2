import Columnar

extension SQLExecutor {
    /// A statement that only filters, orders and projects one table, run column-at-a-time: WHERE
    /// on the vectorised evaluator, ORDER BY on the columns' own storage (an expression key
    /// evaluated into a column first; a top-k selection when LIMIT is given, a sort of row numbers
    /// otherwise), and the projection computed for the output rows alone. Nil when the statement
    /// has a join, an aggregate, a window, DISTINCT, or a WHERE or ORDER BY key the vectors cannot
    /// take: the row path runs.
    func vectorisedScan(table: Table, scope: Scope) throws(QueryError) -> QueryResult? {
        guard statement.joins.isEmpty, !statement.distinct, statement.groupBy.isEmpty, statement.having == nil else { return nil }
        var items: [(expression: Expression, name: String)] = []
        for item in statement.items {
            switch item {
            case .star(let position):
                for entry in scope.entries { items.append((.qualifiedColumn(entry.qualifier ?? "", entry.name, position), entry.name)) }
            case .expression(let expression, let alias):
                items.append((expression, alias ?? expression.displayName))
            }
        }
        let everything = items.map(\.expression) + statement.orderBy.map(\.expression) + [statement.filter].compactMap { $0 }
        guard !everything.contains(where: { $0.containsAggregate || $0.containsWindow }) else { return nil }

        // ORDER BY keys: plain columns, named directly, by a select alias or by position.
        var keys: [SortKey] = []
        for item in statement.orderBy {
            var expression = item.expression
            if case .literal(.int(let position), _) = expression {
                guard position >= 1, position <= items.count else { return nil }
                expression = items[Int(position) - 1].expression
            } else if case .column(let name, _) = expression, let aliased = items.first(where: { $0.name == name }),
                      (try? scope.resolve(name, qualifier: nil, position: .start)) == nil {
                expression = aliased.expression
            }
            let column: Column
            switch expression {
            case .column(let name, let position):
                guard case .tableColumn(_, let found)? = try? scope.resolve(name, qualifier: nil, position: position).source else { return nil }
                column = found
            case .qualifiedColumn(let owner, let name, let position):
                guard case .tableColumn(_, let found)? = try? scope.resolve(name, qualifier: owner, position: position).source else { return nil }
                column = found
            default:
                // An expression of the columns: evaluated on the vectors into a column of its own.
                guard let computed = SQLExecutor.computedColumn(expression, table: table, scope: scope, named: "\u{0}order\(keys.count)")
                else { return nil }
                column = computed
            }
            keys.append(SortKey(column: column, descending: item.descending, nullsFirst: item.nullsFirst ?? false))
        }

        // WHERE, vectorised; a filter the evaluator cannot take goes to the row path, which reports
        // any error in it.
        var selected: [Int32]
        if let filter = statement.filter {
            guard let rows = try? Evaluator(table: table).selectRows(where: filter) else { return nil }
            selected = rows
        } else {
            selected = (0..<Int32(table.rowCount)).map { $0 }
        }
        let offset = statement.offset ?? 0
        if !keys.isEmpty {
            let order = RowOrder(keys)
            if let limit = statement.limit {
                selected = order.smallest(offset + limit, of: selected)
            } else {
                selected.sort { order.precedes($0, $1) }
            }
        }
        let start = min(offset, selected.count)
        let end = statement.limit.map { min(selected.count, start + $0) } ?? selected.count

        let binder = Binder(scope: scope)
        let projections = try items.map { (item) throws(QueryError) in try binder.bind(item.expression) }
        var output: [[Value]] = []
        output.reserveCapacity(end - start)
        for row in selected[start..<end] {
            var id = row
            output.append(withUnsafePointer(to: &id) { pointer in
                let evaluation = EvaluationRow(ids: pointer, values: nil)
                return projections.map { $0.evaluate(evaluation) }
            })
        }
        return QueryResult(columnNames: items.map(\.name), columnTypes: projections.map(\.type), rows: output, plan: "vectorised")
    }

    /// One ORDER BY key on a column's storage.
    struct SortKey {
        var column: Column
        var descending: Bool
        var nullsFirst: Bool
    }

    /// The order of rows by their ORDER BY keys, compared on the storage (text by its
    /// dictionary's sorted rank), ties by row number: the row path's order.
    struct RowOrder {
        /// Each key as a comparison of two rows: negative, zero or positive, nulls placed.
        private let comparisons: [(Int, Int) -> Int]
        private let first: (Int, Int) -> Int
        /// Text dictionaries up to this size are ranked in full before comparing.
        static let rankedDictionaryLimit = 1 << 16

        init(_ keys: [SortKey]) {
            comparisons = keys.map { key in
                let column = key.column, descending = key.descending, nullsFirst = key.nullsFirst
                let compareValues: (Int, Int) -> Int
                switch column.storage {
                case .int64(let values): compareValues = { values[$0] < values[$1] ? -1 : (values[$0] == values[$1] ? 0 : 1) }
                case .float64(let values): compareValues = { values[$0] < values[$1] ? -1 : (values[$0] == values[$1] ? 0 : 1) }
                case .date(let days): compareValues = { days[$0] < days[$1] ? -1 : (days[$0] == days[$1] ? 0 : 1) }
                case .timestamp(let seconds): compareValues = { seconds[$0] < seconds[$1] ? -1 : (seconds[$0] == seconds[$1] ? 0 : 1) }
                case .bool(let flags): compareValues = { flags[$0] == flags[$1] ? 0 : (flags[$0] ? 1 : -1) }
                case .text(let codes, let dictionary) where dictionary.count <= RowOrder.rankedDictionaryLimit:
                    // A small dictionary is ranked once; each comparison is then two loads.
                    let rank = dictionary.sortRanks()
                    compareValues = { rank[Int(codes[$0])] < rank[Int(codes[$1])] ? -1 : (codes[$0] == codes[$1] ? 0 : 1) }
                case .text(let codes, let dictionary):
                    // A large one (an id column) is compared byte-wise when asked: a top-k asks for few.
                    compareValues = { a, b in codes[a] == codes[b] ? 0 : (dictionary.precedes(codes[a], codes[b]) ? -1 : 1) }
                }
                let hasNulls = column.validity != nil
                return { a, b in
                    if hasNulls {
                        switch (column.isNull(a), column.isNull(b)) {
                        case (true, true): return 0
                        case (true, false): return nullsFirst ? -1 : 1
                        case (false, true): return nullsFirst ? 1 : -1
                        default: break
                        }
                    }
                    let order = compareValues(a, b)
                    return descending ? -order : order
                }
            }
            first = comparisons.first ?? { _, _ in 0 }
        }

        func precedes(_ a: Int32, _ b: Int32) -> Bool {
            // The first key decides most comparisons: called directly (walking the array of keys
            // retained and released each closure, a third of a top-k's time).
            let order = first(Int(a), Int(b))
            if order != 0 { return order < 0 }
            for index in 1..<max(1, comparisons.count) {
                let order = comparisons[index](Int(a), Int(b))
                if order != 0 { return order < 0 }
            }
            return a < b
        }

        /// The first `count` of `rows` in this order, in order: a bounded heap whose root is the
        /// last row kept, so each other row costs one comparison.
        func smallest(_ count: Int, of rows: [Int32]) -> [Int32] {
            guard count > 0 else { return [] }
            guard rows.count > count else { return rows.sorted(by: precedes) }
            // A max-heap on this order.
            var heap = Array(rows.prefix(count))
            func siftDown(_ start: Int) {
                var parent = start
                while true {
                    let left = 2 * parent + 1, right = left + 1
                    var largest = parent
                    if left < heap.count, precedes(heap[largest], heap[left]) { largest = left }
                    if right < heap.count, precedes(heap[largest], heap[right]) { largest = right }
                    if largest == parent { return }
                    heap.swapAt(parent, largest)
                    parent = largest
                }
            }
            for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
            for row in rows.dropFirst(count) where precedes(row, heap[0]) {
                heap[0] = row
                siftDown(0)
            }
            return heap.sorted(by: precedes)
        }
    }
}

extension SQLExecutor {
    /// `expression` (no aggregate, window or `table.column` in it) evaluated on `table`'s vectors
    /// into a column named `name`, when the vector evaluator gives it the type the binder gives it
    /// (the row path's type); nil otherwise, and the caller leaves the statement to the row path.
    static func computedColumn(_ expression: Expression, table: Table, scope: Scope, named name: String) -> Column? {
        guard !expression.containsAggregate, !expression.containsWindow, !expression.mentionsQualifiedColumn,
              let type = try? Binder(scope: scope).bind(expression).type,
              let vector = try? Evaluator(table: table).evaluate(expression), vector.dataType == type else { return nil }
        return vector.column(named: name, rowCount: table.rowCount)
    }
}
