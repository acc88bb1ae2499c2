import Columnar
import Kernels

/// A bound expression: its type (nil: always null) and how to compute it over the stage's rows,
/// as one vector.
struct Compiled {
    var type: DataType?
    /// A literal: text written in the query converts to the other side's type.
    var isConstant = false
    var evaluate: () -> Vector
    /// For a condition that can find its true rows without a flag per row (a comparison with a
    /// constant, an AND of such): the rows among `candidates` (every row when nil), in order,
    /// where it is true. Nil otherwise: `selectedRows` then evaluates the flags.
    var select: ((_ candidates: [Int32]?) -> [Int32])?
    /// For a comparison of a column with a constant, or an AND of such: each as a block test
    /// (`VectorKernels.blockTest`), or nil when one is not of that form. An AND over every row
    /// is then found in one pass (`VectorKernels.selectRows(passingAll:rowCount:)`).
    var blockTests: (() -> [BlockTest]?)?
    /// For a plain column reference: the column, which narrow kernels read without its vector.
    var column: (() -> Column)?

    /// The rows among `candidates` (every row of `rowCount` when nil), in order, where this
    /// condition is true (unknown counts as false, as in WHERE).
    func selectedRows(among candidates: [Int32]?, rowCount: Int) -> [Int32] {
        if let select { return select(candidates) }
        return VectorKernels.rows(where: evaluate(), among: candidates, rowCount: rowCount)
    }

    init(type: DataType?, isConstant: Bool = false, evaluate: @escaping () -> Vector) {
        self.type = type
        self.isConstant = isConstant
        self.evaluate = evaluate
    }
}

/// The names an expression may use at one stage of a query (the joined table, the grouped rows),
/// each a column of that stage's rows.
struct Scope {
    struct Entry {
        var qualifier: String?
        var name: String
        var aliases: [String]
        var type: DataType
        /// The column's values at this stage, made when first read.
        var reference: ColumnReference
        var column: Column { reference.column }

        init(qualifier: String?, name: String, aliases: [String], column: Column) {
            self.init(qualifier: qualifier, name: name, aliases: aliases, type: column.dataType, reference: ColumnReference(column))
        }

        init(qualifier: String?, name: String, aliases: [String], type: DataType, reference: ColumnReference) {
            self.qualifier = qualifier
            self.name = name
            self.aliases = aliases
            self.type = type
            self.reference = reference
        }
    }

    var entries: [Entry] = []
    /// Rows at this stage.
    var rowCount: Int

    init(entries: [Entry] = [], rowCount: Int) {
        self.entries = entries
        self.rowCount = rowCount
    }

    /// A table's columns, unqualified.
    init(table: Table) {
        self.init(entries: table.columns.map { Entry(qualifier: nil, name: $0.name, aliases: $0.aliases, column: $0) }, rowCount: table.rowCount)
    }

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

    /// The same names over other rows: each column gathered at `rows` (-1 gives null) when first
    /// read, so a joined or filtered stage copies only the columns the statement uses.
    func gathered(_ rows: [Int32]) -> Scope {
        Scope(entries: entries.map { entry in
            var moved = entry
            let base = entry.reference
            moved.reference = ColumnReference { base.column.gathered(rows) }
            return moved
        }, rowCount: rows.count)
    }
}

/// A column, or the recipe for one, made once on first read.
final class ColumnReference: @unchecked Sendable {
    private var made: Column?
    private let make: () -> Column

    init(_ column: Column) {
        made = column
        make = { column }
    }

    init(_ make: @escaping () -> Column) {
        self.make = make
    }

    var column: Column {
        if let made { return made }
        let column = make()
        made = column
        return column
    }
}

extension Column {
    /// The column's values at `rows` (-1 gives null), under the same name.
    public func gathered(_ rows: [Int32]) -> Column {
        if let narrow {
            // A narrow column gathers narrow: a quarter of the bytes to write, and the kernels
            // that read narrow values read these.
            let rows = ColumnBuffer(rows)
            return Column(name: name, aliases: aliases, narrow: narrow.gathered(rows),
                          validity: Vector.gatheredNulls(rows, rowValidity: nil, sourceValidity: validity))
        }
        var column = Vector(column: self).gathered(rows).column(named: name, rowCount: rows.count)
            ?? Vector.nulls(dataType, rowCount: rows.count).column(named: name, rowCount: rows.count)!
        column.aliases = aliases
        return column
    }
}
