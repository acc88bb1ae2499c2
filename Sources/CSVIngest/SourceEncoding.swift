import Foundation
import Columnar

/// The text encodings an export may come in.
public enum SourceEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case gb18030 = "gb18030"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    /// Not a text encoding: the file is an Excel workbook (its cells are read, not its bytes).
    case xlsx
    case xls

    /// Parses a user's `--encoding` value (`utf8`, `UTF-8`, `gbk`, `gb2312`, `utf16`, …).
    public init?(userValue: String) {
        let folded = userValue.lowercased().replacingOccurrences(of: "_", with: "-")
        switch folded {
        case "utf-8", "utf8": self = .utf8
        case "utf-8-bom", "utf8-bom", "utf-8-sig", "utf8bom": self = .utf8BOM
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        case "utf-16", "utf16", "utf-16le", "utf16le", "unicode": self = .utf16LE
        case "utf-16be", "utf16be": self = .utf16BE
        default: return nil
        }
    }

    /// The name iconv knows the encoding by.
    var iconvName: String {
        switch self {
        case .utf8, .utf8BOM, .xlsx, .xls: return "UTF-8"
        case .gb18030: return "GB18030"
        case .utf16LE: return "UTF-16LE"
        case .utf16BE: return "UTF-16BE"
        }
    }

    /// UTF-16 exports (Excel's "Unicode text") separate fields with tabs.
    var defaultDelimiter: UInt8 {
        switch self {
        case .utf16LE, .utf16BE: return 0x09
        default: return 0x2C
        }
    }

    var byteOrderMarkLength: Int {
        switch self {
        case .utf8BOM: return 3
        case .utf16LE, .utf16BE: return 2
        default: return 0
        }
    }
}

