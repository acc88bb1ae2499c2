import Columnar

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
    /// Cells that held the absent marker (`缺考`).
    public var absent: Int
    /// The export schema the file was read with, if any.
    public var schema: String?
    /// How the rows were read: the number of chunks parsed in parallel (1: one serial parse),
    /// or 0 when they came from the column cache.
    public var parsedChunks = 1
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
}
