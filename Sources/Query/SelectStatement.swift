import Columnar

/// A `SELECT` statement of the query language.
public struct SelectStatement: Sendable {
    public enum Item: Sendable {
        case star(TextPosition)
        case expression(Expression, alias: String?)
    }

    /// A table in `FROM` or `JOIN`: a name given with `--table`, or a quoted file path.
    public struct TableReference: Sendable {
        public var source: String
        public var isPath: Bool
        public var alias: String?
        public var position: TextPosition
    }

    public struct Join: Sendable {
        public var left: Bool
        public var table: TableReference
        public var condition: Expression
    }

    public var distinct: Bool
    public var items: [Item]
    public var from: TableReference
    public var joins: [Join]
    public var filter: Expression?
    public var groupBy: [Expression]
    public var having: Expression?
    public var orderBy: [OrderItem]
    public var limit: Int?
    public var offset: Int?

    /// The columns the statement reads from its table, so that only those are loaded; nil when
    /// it reads every column (`SELECT *`) or joins tables (a name may be either table's). Names
    /// in GROUP BY and ORDER BY that are select aliases name output columns, not input ones.
    public var columnsRead: [String]? { joins.isEmpty ? namesRead : nil }

    /// The names of the columns the statement reads from any of its tables (a join's conditions
    /// too; a qualified name without its table), so that each table is loaded with those of them
    /// it has; nil for `SELECT *`.
    public var namesRead: [String]? {
        var names: [String] = joins.flatMap(\.condition.columnNames)
        var aliases: Set<String> = []
        for item in items {
            switch item {
            case .star: return nil
            case .expression(let expression, let alias):
                names += expression.columnNames
                if let alias { aliases.insert(alias.lowercased()) }
            }
        }
        names += filter?.columnNames ?? []
        names += groupBy.flatMap(\.columnNames).filter { !aliases.contains($0.lowercased()) }
        names += having?.columnNames ?? []
        names += orderBy.flatMap(\.expression.columnNames).filter { !aliases.contains($0.lowercased()) }
        var seen: Set<String> = []
        return names.filter { seen.insert($0.lowercased()).inserted }
    }

    /// Whether some `pass_rate(x)` without a line of its own counts from the rules' pass line.
    public var usesDefaultPassLine: Bool {
        func uses(_ expression: Expression) -> Bool {
            if case .function(let name, let arguments, _, _, _) = expression, name.lowercased() == "pass_rate", arguments.count == 1 {
                return true
            }
            return expression.children.contains(where: uses)
        }
        let expressions = items.compactMap { item -> Expression? in
            if case .expression(let expression, _) = item { return expression }
            return nil
        } + [filter, having].compactMap { $0 } + groupBy + orderBy.map(\.expression) + joins.map(\.condition)
        return expressions.contains(where: uses)
    }
}
