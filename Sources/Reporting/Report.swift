import Columnar

/// Everything a command prints: one or more tables, notes for the reader, and the provenance.
public struct Report: Sendable {
    /// A table with the JSON key it is written under (`rows` for a command's main table).
    public struct Section: Sendable {
        public var key: String
        public var table: ResultTable

        public init(key: String, table: ResultTable) {
            self.key = key
            self.table = table
        }
    }

    public var sections: [Section]
    /// Things the reader must know (a filter selected nothing, a stratum was too small, …).
    public var notes: [LocalizedText]
    public var provenance: Provenance
    /// A printed form some tables follow in XLSX (the commendation's 附件3); nil for plain sheets.
    public var printForm: PrintForm?

    public init(sections: [Section], notes: [LocalizedText] = [], provenance: Provenance, printForm: PrintForm? = nil) {
        self.sections = sections
        self.notes = notes
        self.provenance = provenance
        self.printForm = printForm
    }

    /// A report of one table written under `rows`.
    public init(table: ResultTable, notes: [LocalizedText] = [], provenance: Provenance) {
        self.init(sections: [Section(key: "rows", table: table)], notes: notes, provenance: provenance)
    }
}

/// A printed form: its title, the stamp line above each group's table, and which sections
/// follow it (the rest are plain sheets).
public struct PrintForm: Sendable {
    public var title: LocalizedText
    /// The column whose value starts a new block (the recommender); not printed in the block.
    public var groupKey: String
    /// The sections that follow the form, each with its sheet's name (单位, 个人).
    public var sections: [String: LocalizedText]
    public var stampLine: @Sendable (String) -> LocalizedText

    public init(title: LocalizedText, groupKey: String, sections: [String: LocalizedText], stampLine: @escaping @Sendable (String) -> LocalizedText) {
        self.title = title
        self.groupKey = groupKey
        self.sections = sections
        self.stampLine = stampLine
    }
}

/// The output formats every command offers.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table
    case csv
    case json
    case md
    /// A workbook file (needs `--output`).
    case xlsx
    /// An Arrow IPC file of the main table, for DuckDB, Polars, pyarrow or Spark (needs `--output`).
    case arrow
}

/// Renders a report in a format and language.
public enum ReportRenderer {
    /// The text of a report; nil for XLSX and Arrow, which are written to a file.
    public static func render(_ report: Report, format: OutputFormat, language: Language) -> String? {
        switch format {
        case .table: return TerminalRenderer.render(report, language: language)
        case .md: return MarkdownRenderer.render(report, language: language)
        case .csv: return CSVRenderer.render(report, language: language)
        case .json: return JSONRenderer.render(report)
        case .xlsx, .arrow: return nil
        }
    }
}
