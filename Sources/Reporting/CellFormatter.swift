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
            if case .label(let labels) = format, let label = labels[text] { return label.text(language) }
            return text
        case .date(let days):
            return CivilDate.isoString(days: days)
        case .timestamp(let seconds):
            return CivilDate.isoString(seconds: seconds)
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

    /// Text for a CSV cell: full precision, fractions as fractions, null as empty; codes as
    /// their label in the reader's language.
    public static func csv(_ value: Value, format: CellFormat, language: Language) -> String {
        if case .label(let labels) = format, case .text(let code) = value, let label = labels[code] { return label.text(language) }
        return value.plainText
    }

    /// `number` with exactly `places` decimals, rounded half away from zero on its shortest
    /// decimal form, as a person rounding by hand would (72.625 → 72.63, not the binary 72.62).
    public static func fixed(_ number: Double, _ places: Int) -> String {
        guard number.isFinite else { return number.isNaN ? "NaN" : (number < 0 ? "-∞" : "∞") }
        let text = "\(abs(number))"
        if text.contains("e") { return String(format: "%.\(places)f", number) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var digits = Array(parts[0]) + Array(parts.count > 1 ? parts[1] : "")
        let integerCount = parts[0].count
        let keep = integerCount + places
        while digits.count <= keep { digits.append("0") }
        var kept = Array(digits[0..<keep])
        if digits[keep] >= "5" {
            var index = keep - 1
            while index >= 0 {
                if kept[index] == "9" {
                    kept[index] = "0"
                    index -= 1
                } else {
                    kept[index] = Character(String(kept[index].wholeNumberValue! + 1))
                    break
                }
            }
            if index < 0 { kept.insert("1", at: 0) }
        }
        let integerDigits = kept.count - places
        var result = String(kept[0..<integerDigits])
        if places > 0 { result += "." + String(kept[integerDigits...]) }
        let isZero = kept.allSatisfy { $0 == "0" }
        return (number < 0 && !isZero ? "-" : "") + result
    }
}
