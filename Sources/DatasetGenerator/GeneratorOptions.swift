/// What `pingcha generate` is asked for.
public struct GeneratorOptions: Sendable {
    /// Only `henan` for now: DOMAIN.md §4's shape.
    public var preset: String = "henan"
    public var cases: Int = 1_000_000
    public var seed: UInt64 = 7
    public var officers: Int = 100_000
    public var directory: String
    /// Write GB18030 instead of UTF-8.
    public var gb18030 = false
    /// CRLF endings, a BOM, quoted fields with commas and line breaks, blank optional cells.
    public var messy = false
    /// Called with (export name, rows written so far, rows in all).
    public var progress: (@Sendable (String, Int, Int) -> Void)?

    public init(directory: String) {
        self.directory = directory
    }

    /// Questionnaire responses written for the chosen number of cases.
    public var surveyResponses: Int { max(200, cases / 5) }
    /// Test results written for the chosen number of cases.
    public var testResults: Int { max(100, cases / 50) }
}

/// Rows written per export.
public struct GeneratorSummary: Sendable {
    public var files: [(name: String, rows: Int, bytes: Int)]
}
