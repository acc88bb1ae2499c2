import Columnar
import Vocabulary

/// What a result says about one input file (DOMAIN.md §3).
public struct SourceInfo: Sendable {
    public var path: String
    /// SHA-256 of the file's bytes as they are on disk.
    public var sha256: String
    public var encoding: SourceEncoding
    /// Data rows loaded (header and rejected rows not counted).
    public var rows: Int
    public var rejected: Int
    public var blankLines: Int
    /// Fields read with a quote in them as text, and Excel text formulas (`="0012"`) read as their text.
    public var textQuotes = 0
    public var excelFormulas = 0
    /// The field separator the file was read with.
    public var delimiter: UInt8 = 0x2C
    /// Cells that held the absent marker (`缺考`).
    public var absent: Int
    /// The export schema the file was read with, if any.
    public var schema: String?
    /// How the rows were read: the number of chunks parsed in parallel (1: one serial parse),
    /// or 0 when they came from the column cache.
    public var parsedChunks = 1
    /// The sheet read, for a workbook; its rows are the lines of the messages.
    public var sheet: String?
    /// Rows above the header skipped as a title (a workbook's merged title rows).
    public var titleRows = 0
}

/// What the record readers counted besides records, summed over a load's chunks.
public struct ReadTally: Sendable, Equatable {
    public var blankLines = 0
    public var textQuotes = 0
    public var excelFormulas = 0

    public init(blankLines: Int = 0, textQuotes: Int = 0, excelFormulas: Int = 0) {
        (self.blankLines, self.textQuotes, self.excelFormulas) = (blankLines, textQuotes, excelFormulas)
    }

    static func += (tally: inout ReadTally, other: ReadTally) {
        tally.blankLines += other.blankLines
        tally.textQuotes += other.textQuotes
        tally.excelFormulas += other.excelFormulas
    }

    static func += (tally: inout ReadTally, reader: RecordReader) {
        tally += ReadTally(blankLines: reader.blankLines, textQuotes: reader.textQuotes, excelFormulas: reader.excelFormulas)
    }
}

/// A row that was not loaded, and why.
public struct RejectedRow: Sendable {
    public var path: String
    public var firstLine: Int
    public var lastLine: Int
    /// The field, counting from 1, when one field is at fault.
    public var column: Int?
    public var reason: LocalizedText
    /// The row's text exactly as in the file (after conversion to UTF-8).
    public var raw: String
    /// The quoting error that made the record unreadable, when that was the reason.
    public var failure: RecordReader.Failure?

    public init(path: String, firstLine: Int, lastLine: Int, column: Int?, reason: LocalizedText, raw: String,
                failure: RecordReader.Failure? = nil) {
        (self.path, self.firstLine, self.lastLine, self.column, self.reason, self.raw, self.failure) =
            (path, firstLine, lastLine, column, reason, raw, failure)
    }

    /// Moves the row's lines (and those its reason names) down by `lines`.
    mutating func shift(by lines: Int) {
        firstLine += lines
        lastLine += lines
        if failure != nil {
            failure!.shift(by: lines)
            reason = failure!.message
        }
    }
}

/// A loaded export.
public struct LoadedTable: Sendable {
    public var table: Table
    public var source: SourceInfo
    public var schema: ExportSchema?
    public var rejects: [RejectedRow]
    /// The first physical line of each loaded row (the header is line 1); may be empty when the
    /// load was asked not to keep them (`LoadOptions.rowLines`).
    public var lines: [Int32]
    /// Cells breaking a value rule of the schema that the load did not apply (the query's loads):
    /// none means the table is the one a load with the rules gives.
    var ruleBreaches = 0
    /// The file's columns the load checked but did not keep (`LoadOptions.columns`).
    var omittedColumns: [ColumnLabel] = []

    public init(table: Table, source: SourceInfo, schema: ExportSchema?, rejects: [RejectedRow], lines: [Int32], ruleBreaches: Int = 0) {
        (self.table, self.source, self.schema, self.rejects, self.lines, self.ruleBreaches) =
            (table, source, schema, rejects, lines, ruleBreaches)
    }
}

/// A column's header and the other names it answers to.
struct ColumnLabel: Sendable, Equatable {
    var name: String
    var aliases: [String]

    func answers(to candidate: String) -> Bool {
        Column.answers(name: name, aliases: aliases, to: candidate)
    }
}
