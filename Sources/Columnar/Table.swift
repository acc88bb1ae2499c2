/// A set of equally long columns.
public struct Table: Sendable {
    public var columns: [Column]
    public private(set) var rowCount: Int

    public init(columns: [Column], rowCount: Int) {
        precondition(columns.allSatisfy { $0.count == rowCount }, "columns differ in length")
        self.columns = columns
        self.rowCount = rowCount
    }

    /// The index of the column answering to `name` (header or alias).
    public func columnIndex(named name: String) -> Int? {
        if let exact = columns.firstIndex(where: { $0.name == name }) { return exact }
        return columns.firstIndex { $0.answers(to: name) }
    }

    /// The column answering to `name`.
    public func column(named name: String) -> Column? {
        columnIndex(named: name).map { columns[$0] }
    }

    /// Every name a column answers to, for "did you mean" messages.
    public var allColumnNames: [String] {
        columns.flatMap { [$0.name] + $0.aliases }
    }
}
