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
}
