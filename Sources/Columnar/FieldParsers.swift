/// Parsers for one field's bytes, written for the ingest's hot loop: no allocation, no `strtod`.
///
/// Surrounding ASCII spaces are never present here: the reader trims unquoted fields, and a
/// quoted number with spaces inside is not a number.
public enum FieldParsers {
    /// Exact powers of ten a double holds without rounding.
    @usableFromInline static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// A decimal integer: optional sign, digits only. Leading zeros (`010020`) are refused so
    /// that identifiers stay text, and so are more than 15 digits (ID numbers, which a double
    /// or Excel would round).
    @inlinable
    public static func parseInt64(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        let count = bytes.count
        guard count > 0 else { return nil }
        var negative = false
        if bytes[0] == 0x2D || bytes[0] == 0x2B {
            negative = bytes[0] == 0x2D
            index = 1
        }
        let digits = count - index
        guard digits > 0, digits <= 15 else { return nil }
        if digits > 1, bytes[index] == 0x30 { return nil }
        var value: Int64 = 0
        while index < count {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
            index += 1
        }
        return negative ? -value : value
    }

    /// A decimal number: optional sign, digits, an optional fraction, an optional exponent.
    ///
    /// Values with at most 15 significant digits and a small exponent are computed exactly as
    /// `digits / 10^k`, which IEEE division rounds correctly; anything longer goes to the
    /// standard library's correctly rounded parser. An integer part with a leading zero
    /// (`0123`) is refused, as for integers.
    @inlinable
    public static func parseDouble(_ bytes: UnsafeRawBufferPointer) -> Double? {
        let count = bytes.count
        guard count > 0 else { return nil }
        var index = 0
        var negative = false
        if bytes[0] == 0x2D || bytes[0] == 0x2B {
            negative = bytes[0] == 0x2D
            index = 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var integerDigits = 0
        var fractionDigits = 0
        let integerStart = index
        while index < count, bytes[index] &- 0x30 < 10 {
            mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 0x30)
            if mantissa != 0 { significantDigits += 1 }
            integerDigits += 1
            index += 1
        }
        if integerDigits > 1, bytes[integerStart] == 0x30 { return nil }
        if index < count, bytes[index] == 0x2E {
            index += 1
            while index < count, bytes[index] &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 0x30)
                if mantissa != 0 { significantDigits += 1 }
                fractionDigits += 1
                index += 1
            }
        }
        guard integerDigits + fractionDigits > 0 else { return nil }
        var exponent = 0
        if index < count, bytes[index] == 0x65 || bytes[index] == 0x45 {
            index += 1
            var exponentNegative = false
            if index < count, bytes[index] == 0x2D || bytes[index] == 0x2B {
                exponentNegative = bytes[index] == 0x2D
                index += 1
            }
            var exponentDigits = 0
            while index < count, bytes[index] &- 0x30 < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[index] &- 0x30) }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard index == count else { return nil }
        let scale = exponent - fractionDigits
        if significantDigits <= 15, scale >= -22, scale <= 22 {
            var value = Double(mantissa)
            if scale < 0 {
                value /= exactPowersOfTen[-scale]
            } else if scale > 0 {
                value *= exactPowersOfTen[scale]
            }
            return negative ? -value : value
        }
        return slowParse(bytes)
    }

    @usableFromInline
    static func slowParse(_ bytes: UnsafeRawBufferPointer) -> Double? {
        Double(String(decoding: bytes, as: UTF8.self))
    }

    /// A calendar date as days since 1970-01-01: `2022-06-15`, `2022-6-5`, `2022/6/15`,
    /// `2022.6.15`, `2022年6月15日`. Impossible dates (`2022-02-30`) are refused.
    @inlinable
    public static func parseDate(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        guard let (days, end) = parseDatePrefix(bytes), end == bytes.count else { return nil }
        return days
    }

    /// A date and a time of day as seconds since 1970-01-01 00:00:00 (no time zone): a date as
    /// `parseDate` reads it, then a space or `T`, then `H:MM` or `H:MM:SS` (hours 0–23).
    @inlinable
    public static func parseTimestamp(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let (days, dateEnd) = parseDatePrefix(bytes), dateEnd < bytes.count,
              bytes[dateEnd] == 0x20 || bytes[dateEnd] == 0x54 else { return nil }
        var index = dateEnd + 1
        let count = bytes.count
        func twoDigits(allowOne: Bool) -> Int? {
            var value = 0
            var digits = 0
            while index < count, digits < 2, bytes[index] &- 0x30 < 10 {
                value = value * 10 + Int(bytes[index] &- 0x30)
                digits += 1
                index += 1
            }
            return digits == 2 || (allowOne && digits == 1) ? value : nil
        }
        guard let hour = twoDigits(allowOne: true), hour < 24, index < count, bytes[index] == 0x3A else { return nil }
        index += 1
        guard let minute = twoDigits(allowOne: false), minute < 60 else { return nil }
        var second = 0
        if index < count, bytes[index] == 0x3A {
            index += 1
            guard let value = twoDigits(allowOne: false), value < 60 else { return nil }
            second = value
        }
        guard index == count else { return nil }
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// A date and time as `parseTimestamp` reads it, or a date alone as its midnight, in seconds.
    @inlinable
    public static func parseDateTime(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        parseTimestamp(bytes) ?? parseDate(bytes).map { Int64($0) * 86_400 }
    }

    /// A date at the start of `bytes`, and the offset just past it: `YYYY-MM-DD` (how exports
    /// write dates) read at once, any other spelling by `parseDatePrefixSpelled`.
    @inlinable
    public static func parseDatePrefix(_ bytes: UnsafeRawBufferPointer) -> (days: Int32, end: Int)? {
        if bytes.count >= 10, bytes[4] == 0x2D, bytes[7] == 0x2D {
            let y0 = bytes[0] &- 0x30, y1 = bytes[1] &- 0x30, y2 = bytes[2] &- 0x30, y3 = bytes[3] &- 0x30
            let m0 = bytes[5] &- 0x30, m1 = bytes[6] &- 0x30, d0 = bytes[8] &- 0x30, d1 = bytes[9] &- 0x30
            if y0 < 10, y1 < 10, y2 < 10, y3 < 10, m0 < 10, m1 < 10, d0 < 10, d1 < 10 {
                let year = Int(y0) * 1000 + Int(y1) * 100 + Int(y2) * 10 + Int(y3)
                let month = Int(m0) * 10 + Int(m1), day = Int(d0) * 10 + Int(d1)
                guard CivilDate.isValid(year: year, month: month, day: day) else { return nil }
                return (CivilDate.days(year: year, month: month, day: day), 10)
            }
        }
        return parseDatePrefixSpelled(bytes)
    }

    /// `parseDatePrefix` for every spelling: `YYYY-M-D`, `/` or `.` between, 年月日.
    @inlinable
    public static func parseDatePrefixSpelled(_ bytes: UnsafeRawBufferPointer) -> (days: Int32, end: Int)? {
        let count = bytes.count
        guard count >= 8 else { return nil }
        var index = 0
        func number(maxDigits: Int) -> Int? {
            var value = 0
            var digits = 0
            while index < count, digits < maxDigits, bytes[index] &- 0x30 < 10 {
                value = value * 10 + Int(bytes[index] &- 0x30)
                digits += 1
                index += 1
            }
            return digits == 0 ? nil : value
        }
        // 年 E5 B9 B4, 月 E6 9C 88, 日 E6 97 A5
        func separator(_ chinese: (UInt8, UInt8, UInt8)?) -> UInt8? {
            guard index < count else { return nil }
            let byte = bytes[index]
            if byte == 0x2D || byte == 0x2F || byte == 0x2E {
                index += 1
                return byte
            }
            if let chinese, index + 3 <= count, byte == chinese.0, bytes[index + 1] == chinese.1, bytes[index + 2] == chinese.2 {
                index += 3
                return 0xE5
            }
            return nil
        }
        guard let year = number(maxDigits: 4), index == 4 else { return nil }
        guard let first = separator((0xE5, 0xB9, 0xB4)) else { return nil }
        guard let month = number(maxDigits: 2) else { return nil }
        guard let second = separator((0xE6, 0x9C, 0x88)) else { return nil }
        guard (first == 0xE5) == (second == 0xE5), first == 0xE5 || first == second else { return nil }
        guard let day = number(maxDigits: 2) else { return nil }
        if first == 0xE5 {
            if index + 3 <= count, bytes[index] == 0xE6, bytes[index + 1] == 0x97, bytes[index + 2] == 0xA5 {
                index += 3
            }
        }
        guard CivilDate.isValid(year: year, month: month, day: day) else { return nil }
        return (CivilDate.days(year: year, month: month, day: day), index)
    }

    /// 是 or 否, or true / false in any case; other spellings (yes, 1) are not booleans, so a
    /// column that mixes them in stays text.
    @inlinable
    public static func parseBool(_ bytes: UnsafeRawBufferPointer) -> Bool? {
        switch bytes.count {
        case 3:
            // 是 E6 98 AF, 否 E5 90 A6
            if bytes[0] == 0xE6, bytes[1] == 0x98, bytes[2] == 0xAF { return true }
            if bytes[0] == 0xE5, bytes[1] == 0x90, bytes[2] == 0xA6 { return false }
            return nil
        case 4:
            // ASCII letters compared with their case bit set.
            let isTrue = bytes[0] | 0x20 == 0x74 && bytes[1] | 0x20 == 0x72 && bytes[2] | 0x20 == 0x75 && bytes[3] | 0x20 == 0x65
            return isTrue ? true : nil
        case 5:
            let isFalse = bytes[0] | 0x20 == 0x66 && bytes[1] | 0x20 == 0x61 && bytes[2] | 0x20 == 0x6C
                && bytes[3] | 0x20 == 0x73 && bytes[4] | 0x20 == 0x65
            return isFalse ? false : nil
        default:
            return nil
        }
    }

    /// Whether the bytes are a whole number of more than 15 digits (an ID number, say): such a
    /// value stays text, since a double (or Excel) would round it.
    public static func isLongInteger(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var digits = 0
        for (index, byte) in bytes.enumerated() {
            if byte >= 0x30, byte <= 0x39 {
                digits += 1
            } else if !(index == 0 && (byte == 0x2B || byte == 0x2D)) {
                return false
            }
        }
        return digits > 15
    }
}

