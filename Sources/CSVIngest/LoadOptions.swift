import Columnar

/// How to read an export.
public struct LoadOptions: Sendable {
    /// The encoding, when the analyst names it; detected otherwise.
    public var encoding: SourceEncoding?
    /// The schema to read with; when nil it is detected from the headers.
    public var schema: ExportSchema?
    /// Read with no schema at all (every type inferred).
    public var noSchema = false
    /// Set bad rows aside instead of failing on the first one.
    public var collectRejects = false
    /// The longest field accepted, in bytes.
    public var maxFieldBytes = 1 << 20
    /// The column cache to read from and write to; nil reads the CSV every time.
    public var cache: ColumnCache?
    /// Called now and then with (bytes done, bytes in all).
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init() {}
}
