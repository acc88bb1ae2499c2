import Columnar

/// The rows a statement returns, with its column names and types.
public struct QueryResult: Sendable {
    /// Distinct: a name that comes again (`SELECT *` over a join of two tables that both have
    /// 证件号, or two items given one alias) is renamed as DuckDB renames such columns in a table
    /// it creates (`证件号_1`), so that no format (a JSON object's keys) loses one.
    public var columnNames: [String]
    public var columnTypes: [DataType?]
    public var rows: [[Value]]
    /// `vectorised` when WHERE, GROUP BY and the aggregates ran on `AggregatePlan` (the domain
    /// commands' path), `row` when they ran row at a time.
    public var plan: String

    public init(columnNames: [String], columnTypes: [DataType?], rows: [[Value]], plan: String) {
        self.columnNames = QueryResult.distinct(columnNames)
        self.columnTypes = columnTypes
        self.rows = rows
        self.plan = plan
    }

    /// `names`, each one that an earlier one already took (ASCII case ignored, as names are
    /// matched) suffixed by the first of `_1`, `_2`, … not taken: DuckDB's renaming
    /// (`x, x, x_1, X` → `x, x_1, x_1_1, X_2`).
    static func distinct(_ names: [String]) -> [String] {
        var taken = Set<String>()
        return names.map { name in
            guard taken.contains(name.lowercased()) else {
                taken.insert(name.lowercased())
                return name
            }
            var number = 1
            while taken.contains("\(name)_\(number)".lowercased()) { number += 1 }
            let renamed = "\(name)_\(number)"
            taken.insert(renamed.lowercased())
            return renamed
        }
    }
}
