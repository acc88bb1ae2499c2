import Columnar

/// One row as the compiled expressions see it: row ids into the source tables (one per table
/// of the FROM clause, -1 for the missing side of a LEFT JOIN), or computed values (after
/// grouping, and the window and projection stages).
struct EvaluationRow {
    var ids: UnsafePointer<Int32>?
    var values: UnsafePointer<Value>?
}

/// A compiled expression: a closure and the type it yields (nil: always null).
struct Compiled {
    var type: DataType?
    /// A literal: text written in the query converts to the other side's type.
    var isConstant = false
    var evaluate: (EvaluationRow) -> Value

    init(type: DataType?, isConstant: Bool = false, evaluate: @escaping (EvaluationRow) -> Value) {
        self.type = type
        self.isConstant = isConstant
        self.evaluate = evaluate
    }
}

/// The names an expression may use at one stage of a query, and where each value comes from.
struct Scope {
    struct Entry {
        var qualifier: String?
        var name: String
        var aliases: [String]
        var type: DataType?
        var source: Source
    }

    enum Source {
        /// Column `column` of source table `table`.
        case tableColumn(table: Int, column: Column)
        /// Slot `index` of a computed row.
        case slot(Int)
    }

    var entries: [Entry] = []

    /// The entry answering to `name` (and `qualifier`), or an error naming the closest names.
    func resolve(_ name: String, qualifier: String?, position: TextPosition) throws(QueryError) -> Entry {
        let candidates = entries.filter { entry in
            if let qualifier, entry.qualifier?.lowercased() != qualifier.lowercased() { return false }
            if entry.name == name { return true }
            let folded = name.lowercased()
            return entry.name.lowercased() == folded || entry.aliases.contains { $0.lowercased() == folded }
        }
        if candidates.count == 1 { return candidates[0] }
        if candidates.count > 1 {
            let exact = candidates.filter { $0.name == name }
            if exact.count == 1 { return exact[0] }
            throw QueryError(message: LocalizedText(zh: "列名「\(name)」有歧义：多张表都有这一列，请写成 表.列。",
                                                    en: "'\(name)' is ambiguous: more than one table has it; write table.column."),
                             position: position)
        }
        let names = entries.flatMap { [$0.name] + $0.aliases }
        let shown = qualifier.map { "\($0).\(name)" } ?? name
        throw Evaluator.unknownColumn(shown, position: position, candidates: names)
    }
}
