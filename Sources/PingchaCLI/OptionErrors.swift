import Columnar
import Query

/// Where a query error's caret belongs when a command takes both `--by` and `--where`.
enum OptionErrors {
    /// The error in the words of the option that caused it: under the `--by` text when that
    /// column is in none of `tables` (the rule looked it up and failed), else under the filter.
    static func rendered(_ error: QueryError, by: String, filter: String?, tables: [Table]) -> PingchaError {
        let byFound = tables.contains { $0.column(named: by) != nil }
        return error.asPingchaError(in: byFound ? (filter ?? by) : by)
    }
}
