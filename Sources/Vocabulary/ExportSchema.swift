import Columnar

/// The declared shape of one kind of export (DOMAIN.md §1).
///
/// Every export header the program knows is declared once, in this module (`CasesExport`,
/// `RosterExport`, …); ingest, the query engine, the rules and the command line name columns
/// through these declarations, never by retyping a header.
public struct ExportSchema: Sendable {
    /// A declared column.
    public struct ColumnSpec: Sendable {
        /// The Chinese header.
        public var header: String
        /// The English alias (any case).
        public var alias: String
        public var type: DataType
        /// The header must be present.
        public var requiredHeader: Bool
        /// An empty cell is a rejected row.
        public var requiredValue: Bool
        /// Values outside are rejected rows (scores 0–100).
        public var range: ClosedRange<Double>?
        /// A text that stands for "absent" in a numeric column (`缺考`), kept as null and counted.
        public var absentMarker: String?
        /// The header in English, as result tables title the column.
        public var english: String

        public init(
            _ header: String, _ alias: String, _ type: DataType, english: String, requiredHeader: Bool = false,
            requiredValue: Bool = false, range: ClosedRange<Double>? = nil, absentMarker: String? = nil
        ) {
            self.header = header
            self.alias = alias
            self.english = english
            self.type = type
            self.requiredHeader = requiredHeader
            self.requiredValue = requiredValue
            self.range = range
            self.absentMarker = absentMarker
        }

        /// Whether a file header names this column (the Chinese header, or the alias in any case).
        public func matches(_ fileHeader: String) -> Bool {
            fileHeader == header || fileHeader.lowercased() == alias.lowercased()
        }
    }

    /// Numbered item columns such as 题1…题N / q1…qN.
    public struct NumberedColumns: Sendable {
        public var headerPrefix: String
        public var aliasPrefix: String
        public var type: DataType?

        /// The declaration of item `number` (题3, alias q3).
        public func column(_ number: Int) -> ColumnSpec {
            ColumnSpec(headerPrefix + String(number), aliasPrefix + String(number), type ?? .text, english: "Item \(number)")
        }

        /// The item number when `fileHeader` is one of these columns.
        public func itemNumber(of fileHeader: String) -> Int? {
            for prefix in [headerPrefix, aliasPrefix] {
                let lowered = fileHeader.lowercased()
                guard lowered.hasPrefix(prefix.lowercased()) else { continue }
                let rest = lowered.dropFirst(prefix.count)
                if !rest.isEmpty, rest.allSatisfy(\.isASCII), let number = Int(rest), number > 0 { return number }
            }
            return nil
        }
    }

    /// The name used with `--schema`.
    public var name: String
    public var title: LocalizedText
    /// How the rules' messages name a file of this kind (案卷文件, 名册, …).
    public var fileName: LocalizedText
    public var columns: [ColumnSpec]
    public var numbered: NumberedColumns?

    public init(name: String, title: LocalizedText, fileName: LocalizedText, columns: [ColumnSpec], numbered: NumberedColumns? = nil) {
        self.name = name
        self.title = title
        self.fileName = fileName
        self.columns = columns
        self.numbered = numbered
    }

    /// The spec a file header matches.
    public func spec(forHeader fileHeader: String) -> ColumnSpec? {
        columns.first { $0.matches(fileHeader) }
    }

    /// Required headers absent from `headers`.
    public func missingRequired(in headers: [String]) -> [ColumnSpec] {
        columns.filter { spec in spec.requiredHeader && !headers.contains { spec.matches($0) } }
    }

    /// How many of `headers` this schema knows.
    public func matchCount(_ headers: [String]) -> Int {
        headers.filter { header in spec(forHeader: header) != nil || numbered?.itemNumber(of: header) != nil }.count
    }
}
