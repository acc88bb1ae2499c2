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
        let text = abs(number).description
        let zero = UInt8(ascii: "0"), dot = UInt8(ascii: ".")
        if text.utf8.contains(UInt8(ascii: "e")) { return String(format: "%.\(places)f", number) }
        // The shortest decimal form's digits, on bytes: integer part, then fraction.
        var digits: [UInt8] = []
        digits.reserveCapacity(text.utf8.count + places + 2)
        var integerCount = 0
        var seenDot = false
        for byte in text.utf8 {
            if byte == dot { seenDot = true; continue }
            digits.append(byte)
            if !seenDot { integerCount += 1 }
        }
        let keep = integerCount + places
        while digits.count <= keep { digits.append(zero) }
        let roundUp = digits[keep] >= UInt8(ascii: "5")
        digits.removeSubrange(keep...)
        if roundUp {
            var index = keep - 1
            while index >= 0 {
                if digits[index] == UInt8(ascii: "9") {
                    digits[index] = zero
                    index -= 1
                } else {
                    digits[index] += 1
                    break
                }
            }
            if index < 0 { digits.insert(UInt8(ascii: "1"), at: 0) }
        }
        let isZero = digits.allSatisfy { $0 == zero }
        var result: [UInt8] = number < 0 && !isZero ? [UInt8(ascii: "-")] : []
        let integerDigits = digits.count - places
        result.append(contentsOf: digits[0..<integerDigits])
        if places > 0 {
            result.append(dot)
            result.append(contentsOf: digits[integerDigits...])
        }
        return String(decoding: result, as: UTF8.self)
    }
}
