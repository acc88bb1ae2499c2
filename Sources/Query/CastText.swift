/// Text read by SQL `CAST`, as DuckDB reads it: surrounding spaces dropped, leading zeros
/// allowed (`'0020364775'` is 20364775), a decimal or an exponent rounded to an integer half
/// away from zero (`'12.5'` is 13, `'-2.5'` is -3), anything else NULL. The ingest's own
/// parsers stay strict (a leading zero keeps an identifier text); this is the analyst asking.
enum CastText {
    /// The number a text spells, or nil: `[+-]digits[.digits][e[+-]digits]`, or `.digits…`.
    static func double(_ text: Substring) -> Double? {
        let bytes = Array(text.utf8)
        var index = 0
        if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
        let integerStart = index
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        var digits = index - integerStart
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            let fractionStart = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            digits += index - fractionStart
        }
        guard digits > 0 else { return nil }
        if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {
            index += 1
            if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
            let exponentStart = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index > exponentStart else { return nil }
        }
        guard index == bytes.count else { return nil }
        return Double(String(text))
    }

    /// The integer a text spells, or nil when it spells none or one outside Int64.
    static func integer(_ text: Substring) -> Int64? {
        var rest = text[...]
        var negative = false
        if let sign = rest.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if !rest.isEmpty, rest.utf8.allSatisfy(isDigit) {
            var value: Int64 = 0
            for byte in rest.utf8 {
                let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflowSum) = negative ? times.subtractingReportingOverflow(Int64(byte - 0x30))
                                                  : times.addingReportingOverflow(Int64(byte - 0x30))
                guard !overflowTimes, !overflowSum else { return nil }
                value = sum
            }
            return value
        }
        guard let number = double(text), number.isFinite else { return nil }
        let rounded = number.rounded(.toNearestOrAwayFromZero)
        guard rounded >= -9.223372036854775808e18, rounded < 9.223372036854775808e18 else { return nil }
        return Int64(rounded)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
