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

    public init(sections: [Section], notes: [LocalizedText] = [], provenance: Provenance) {
        self.sections = sections
        self.notes = notes
        self.provenance = provenance
    }

    /// A report of one table written under `rows`.
    public init(table: ResultTable, notes: [LocalizedText] = [], provenance: Provenance) {
        self.init(sections: [Section(key: "rows", table: table)], notes: notes, provenance: provenance)
    }
}

/// The output formats every command offers.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table
    case csv
    case json
    case md
}

/// Renders a report in a format and language.
public enum ReportRenderer {
    public static func render(_ report: Report, format: OutputFormat, language: Language) -> String {
        switch format {
        case .table: return TerminalRenderer.render(report, language: language)
        case .md: return MarkdownRenderer.render(report, language: language)
        case .csv: return CSVRenderer.render(report, language: language)
        case .json: return JSONRenderer.render(report)
        }
    }
}
