import Columnar
import Query
import Vocabulary

extension Table {
    /// The column of the export declared by `spec`.
    ///
    /// - Throws: `PingchaError(.data)` naming the file, the column and, when given, what the
    ///   rule could not do without it.
    func requiredColumn(_ spec: ExportSchema.ColumnSpec, in file: LocalizedText, for purpose: LocalizedText? = nil) throws -> Column {
        guard let found = column(named: spec.header) else { throw PingchaError.missingColumn(spec.header, in: file, for: purpose) }
        return found
    }

    /// The column a command groups by (`--by`): any column the file has.
    ///
    /// - Throws: `QueryError` for a name no column answers to, listing the columns there are.
    func groupingColumn(_ name: String) throws -> Column {
        guard let found = column(named: name) else { throw Evaluator.unknownColumn(name, candidates: allColumnNames) }
        return found
    }
}
