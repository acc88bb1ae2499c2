import Columnar

/// What every result carries (DOMAIN.md §3): inputs, rules, what was left out, the version.
public struct Provenance: Sendable {
    /// One input file.
    public struct Input: Sendable {
        public var path: String
        public var sha256: String
        public var encoding: String
        /// Data rows loaded.
        public var rows: Int
        public var rejected: Int
        public var blankLines: Int
        /// The field separator: its English name (comma, tab, semicolon, pipe) and its label for people.
        public var delimiter = "comma"
        public var delimiterLabel = LocalizedText(zh: "逗号", en: "comma")
        /// Fields read with a quote in them as text, and Excel text formulas read as their text.
        public var textQuotes = 0
        public var excelFormulas = 0
        /// The sheet read, when the input is a workbook, and the title rows skipped above its header.
        public var sheet: String?
        public var titleRows = 0

        public init(path: String, sha256: String, encoding: String, rows: Int, rejected: Int, blankLines: Int) {
            self.path = path
            self.sha256 = sha256
            self.encoding = encoding
            self.rows = rows
            self.rejected = rejected
            self.blankLines = blankLines
        }
    }

    /// A rule or threshold used, with its label for people.
    public struct Setting: Sendable {
        public var key: String
        public var label: LocalizedText
        public var value: Value

        public init(key: String, label: LocalizedText, value: Value) {
            self.key = key
            self.label = label
            self.value = value
        }
    }

    /// Rows left out of the result, how many and why.
    public struct Exclusion: Sendable {
        public var key: String
        public var reason: LocalizedText
        public var rows: Int

        public init(key: String, reason: LocalizedText, rows: Int) {
            self.key = key
            self.reason = reason
            self.rows = rows
        }
    }

    public static let programVersion = "0.1.0"

    public var command: String
    public var inputs: [Input]
    public var settings: [Setting]
    public var exclusions: [Exclusion]
    public var version: String

    public init(command: String, inputs: [Input], settings: [Setting] = [], exclusions: [Exclusion] = [],
                version: String = Provenance.programVersion) {
        self.command = command
        self.inputs = inputs
        self.settings = settings
        self.exclusions = exclusions
        self.version = version
    }
}
