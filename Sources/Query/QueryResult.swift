import Columnar

/// The rows a statement returns, with its column names and types.
public struct QueryResult: Sendable {
    public var columnNames: [String]
    public var columnTypes: [DataType?]
    public var rows: [[Value]]
}
