import Columnar
import Vocabulary

/// How a result column's values are shown.
public enum CellFormat: Sendable, Equatable {
    case text
    case integer
    /// A number shown with a fixed number of decimals (CSV and JSON keep full precision).
    case decimal(Int)
    /// A fraction shown as a percentage with a fixed number of decimals (CSV and JSON keep the fraction).
    case percent(Int)
    case date
    case bool
    /// A number shown in its shortest exact form (query results).
    case number
    /// A stable English code (kept in JSON) shown to people as its label (`late` → 逾期).
    case label([String: LocalizedText])

    /// Numbers are right-aligned in tables.
    public var isNumeric: Bool {
        switch self {
        case .integer, .decimal, .percent, .number: return true
        default: return false
        }
    }
}

/// One column of a result: its stable JSON key, its header in both languages, its format.
public struct ResultColumn: Sendable {
    /// Stable English snake_case key for JSON.
    public var key: String
    public var header: LocalizedText
    public var format: CellFormat

    public init(key: String, header: LocalizedText, format: CellFormat) {
        self.key = key
        self.header = header
        self.format = format
    }

    public init(key: String, zh: String, en: String, format: CellFormat) {
        self.init(key: key, header: LocalizedText(zh: zh, en: en), format: format)
    }
}

/// A finished result, ready for any renderer.
public struct ResultTable: Sendable {
    public var title: LocalizedText
    public var columns: [ResultColumn]
    public var rows: [[Value]]

    public init(title: LocalizedText, columns: [ResultColumn], rows: [[Value]]) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "a result row does not match its columns")
        self.title = title
        self.columns = columns
        self.rows = rows
    }
}

extension ResultColumn {
    /// A result column that shows an export column's values: its key is the column's alias, its
    /// headers the export's Chinese header and the column's English title (or `en`).
    public init(_ spec: ExportSchema.ColumnSpec, en: String? = nil, format: CellFormat) {
        self.init(key: spec.alias, zh: spec.header, en: en ?? spec.english, format: format)
    }
}
