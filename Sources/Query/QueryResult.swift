import Columnar

/// The rows a statement returns, with its column names and types.
public struct QueryResult: Sendable {
    public var columnNames: [String]
    public var columnTypes: [DataType?]
    public var rows: [[Value]]
    /// `vectorised` when WHERE, GROUP BY and the aggregates ran on `AggregatePlan` (the domain
    /// commands' path), `row` when they ran row at a time.
    public var plan: String
}
