import Columnar
import Vocabulary

/// How to read an export.
public struct LoadOptions: Sendable {
    /// The encoding, when the analyst names it; detected otherwise.
    public var encoding: SourceEncoding?
    /// The field separator, when the analyst names it; detected otherwise (`DelimiterDetector`).
    public var delimiter: UInt8?
    /// The schema to read with; when nil it is detected from the headers.
    public var schema: ExportSchema?
    /// Read with no schema at all (every type inferred).
    public var noSchema = false
    /// Apply the schema's value rules: a required value may not be empty, a value must lie in its
    /// range. The domain commands do; the query does not (an empty cell is NULL, as in SQL).
    public var valueRules = true
    /// Which parser reads the records: the vectorised tokenizer with libcsv for what it hands
    /// over (the default), or libcsv for every record (`--parser libcsv`). Both give the same table.
    public var parser = Parser.vectorised

    public enum Parser: String, Sendable, CaseIterable {
        case vectorised
        case libcsv
    }

    /// Set bad rows aside instead of failing on the first one.
    public var collectRejects = false
    /// The longest field accepted, in bytes.
    public var maxFieldBytes = 1 << 20
    /// The column cache to read from and write to; nil reads the CSV every time.
    public var cache: ColumnCache?
    /// The columns to keep (headers or aliases); nil keeps all. The others are still checked
    /// (types, ranges, empty required cells: a bad row is rejected all the same) but not stored.
    /// A name the file lacks keeps all. A load that fills the column cache also keeps
    /// the columns the cache entry's earlier load kept.
    public var columns: [String]?
    /// Whether `columns` may name columns the file lacks: they are then passed over instead of
    /// keeping every column (a join asks each of its tables for all the names it reads).
    public var columnsMayBeMissing = false
    /// For a workbook: the sheet to read (its name, or its 1-based position); the first when nil.
    public var sheet: String?
    /// For a workbook: the header's row (1-based); when nil, the first row with two or more
    /// cells, any one-cell rows above it (a merged title) skipped.
    public var headerRow: Int?
    /// Whether the caller needs each row's line in the file (`LoadedTable.lines`: for messages
    /// that name rows). When false, a read from the column cache leaves them out (empty).
    public var rowLines = true
    /// Threads for parsing; nil uses every processor online. One thread parses serially.
    public var threads: Int?
    /// The size of the chunks the text is cut into for a parallel load; nil cuts one chunk per
    /// thread (files under `minimumParallelBytes` are parsed serially). Small values are for tests
    /// that make chunk boundaries fall everywhere.
    public var chunkBytes: Int?
    /// Below this many bytes a file is parsed serially unless `chunkBytes` is set.
    public static let minimumParallelBytes = 8 << 20
    /// Called now and then with (bytes done, bytes in all).
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init() {}
}
