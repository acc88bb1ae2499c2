import Columnar
import Foundation

/// Turns values into text for people (tables, Markdown) and for files (CSV).
public enum CellFormatter {
    /// Text for a terminal table or Markdown: rounded as the format says; null as "-".
    public static func display(_ value: Value, format: CellFormat, language: Language) -> String {
        switch value {
        case .null:
            return "-"
        case .bool(let flag):
            if language == .zh { return flag ? "是" : "否" }
            return flag ? "yes" : "no"
        case .text(let text):
            return text
        case .date(let days):
            return CivilDate.isoString(days: days)
        case .int(let number):
            if case .percent(let places) = format { return fixed(Double(number) * 100, places) + "%" }
            if case .decimal(let places) = format { return fixed(Double(number), places) }
            return String(number)
        case .double(let number):
            switch format {
            case .percent(let places): return fixed(number * 100, places) + "%"
            case .decimal(let places): return fixed(number, places)
            case .integer: return fixed(number, 0)
            default: return Value.formatDouble(number)
            }
        }
    }

    /// Text for a CSV cell: full precision, fractions as fractions, null as empty.
    public static func plain(_ value: Value) -> String {
        value.plainText
    }

    /// `number` with exactly `places` decimals.
    public static func fixed(_ number: Double, _ places: Int) -> String {
        String(format: "%.\(places)f", number)
    }
}
