/// An error an analyst can act on: what went wrong, where, in plain words.
///
/// The kind decides the exit code (sysexits): usage 64, bad data 65, missing input 66, internal 70,
/// an output that cannot be created or written 73.
public struct PingchaError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        case usage
        case data
        case missingInput
        case `internal`
        /// An output file (report, rejects, record, cache-free exports) cannot be created or written.
        case cannotCreate

        public var exitCode: Int32 {
            switch self {
            case .usage: return 64
            case .data: return 65
            case .missingInput: return 66
            case .internal: return 70
            case .cannotCreate: return 73
            }
        }
    }

    public var kind: Kind
    public var message: LocalizedText
    /// `file:line:column` when the error is in an input file.
    public var location: SourceLocation?

    public init(_ kind: Kind, _ message: LocalizedText, at location: SourceLocation? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    public init(_ kind: Kind, zh: String, en: String, at location: SourceLocation? = nil) {
        self.init(kind, LocalizedText(zh: zh, en: en), at: location)
    }

    public func text(_ language: Language) -> String {
        if let location { return "\(location): \(message.text(language))" }
        return message.text(language)
    }

    public var description: String { text(.zh) }
}

/// A place in an input file; columns count fields (as in a spreadsheet), from 1.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int?
    /// The sheet of a workbook: `line` is then its row, and the place reads `roster.xlsx:名册!C17`.
    public var sheet: String?

    public init(path: String, line: Int, column: Int? = nil, sheet: String? = nil) {
        self.path = path
        self.line = line
        self.column = column
        self.sheet = sheet
    }

    public var description: String {
        if let sheet {
            // Excel's own notation: a cell (C17), or a whole row (17:17).
            if let column { return "\(path):\(sheet)!\(Self.columnLetters(column - 1))\(line)" }
            return "\(path):\(sheet)!\(line):\(line)"
        }
        if let column { return "\(path):\(line):\(column)" }
        return "\(path):\(line)"
    }

    /// The letters of a 0-based column, as a spreadsheet names it (0 → A, 26 → AA).
    public static func columnLetters(_ column: Int) -> String {
        var number = column + 1
        var result = ""
        while number > 0 {
            let remainder = (number - 1) % 26
            result = String(UnicodeScalar(UInt8(65 + remainder))) + result
            number = (number - 1) / 26
        }
        return result
    }
}
