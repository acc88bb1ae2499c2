import Foundation
import Columnar
import Kernels
import Testing

@Suite struct ValueParsingTests {
    func withBytes<T>(_ text: String, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        var copy = text
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    @Test func integersRefuseLeadingZerosAndLongIdentifiers() {
        #expect(withBytes("2022", FieldParsers.parseInt64) == 2022)
        #expect(withBytes("-17", FieldParsers.parseInt64) == -17)
        #expect(withBytes("0", FieldParsers.parseInt64) == 0)
        #expect(withBytes("010020", FieldParsers.parseInt64) == nil)
        #expect(withBytes("410102199001011234", FieldParsers.parseInt64) == nil)
        #expect(withBytes("41010219900101123X", FieldParsers.parseInt64) == nil)
        #expect(withBytes("12a", FieldParsers.parseInt64) == nil)
        #expect(withBytes("", FieldParsers.parseInt64) == nil)
        #expect(withBytes("-", FieldParsers.parseInt64) == nil)
    }

    @Test func decimalsAreCorrectlyRounded() {
        for text in ["69.9", "70.0", "0.1", "85.55", "1e3", "2.5E-3", "-0.75", "123456789012345", "0.30000000000000004",
                     "1234567890123456789", "3.14159265358979323846"] {
            #expect(withBytes(text, FieldParsers.parseDouble) == Double(text), "\(text)")
        }
        #expect(withBytes("69.9", FieldParsers.parseDouble)! < 70)
        #expect(withBytes("0123", FieldParsers.parseDouble) == nil)
        #expect(withBytes("1.2.3", FieldParsers.parseDouble) == nil)
        #expect(withBytes(".", FieldParsers.parseDouble) == nil)
        #expect(withBytes("八十", FieldParsers.parseDouble) == nil)
        #expect(withBytes("1e", FieldParsers.parseDouble) == nil)
    }

    @Test func datesInThreeSpellings() {
        let expected = CivilDate.days(year: 2022, month: 6, day: 15)
        #expect(withBytes("2022-06-15", FieldParsers.parseDate) == expected)
        #expect(withBytes("2022/6/15", FieldParsers.parseDate) == expected)
        #expect(withBytes("2022年6月15日", FieldParsers.parseDate) == expected)
        #expect(withBytes("2022-6-15", FieldParsers.parseDate) == expected)
        #expect(withBytes("2022-02-30", FieldParsers.parseDate) == nil)
        #expect(withBytes("2022-06-15 10:30", FieldParsers.parseDate) == nil)
    }

    /// `YYYY-MM-DD` read at once gives what the reading of every spelling gives, for each digit
    /// or other byte in each place, every day of the years around a leap day, impossible dates and
    /// what may follow a date (a time, more digits, a Chinese 日).
    @Test func dashedDatesReadAtOnceAsEverySpellingReadsThem() {
        var texts: [String] = []
        for year in [1900, 1999, 2000, 2023, 2024] {
            for month in 0...13 {
                for day in 0...32 { texts.append(String(format: "%04d-%02d-%02d", year, month, day)) }
            }
        }
        let base = Array("2024-02-29".utf8)
        for place in base.indices {
            for byte: UInt8 in [0x2D, 0x2F, 0x2E, 0x20, 0x2F + 1, 0x39, 0x39 + 1, 0x41, 0xE5] {
                var bytes = base
                bytes[place] = byte
                texts.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        texts += ["2024-02-29 10:30", "2024-02-291", "2024-02-29日", "2024-2-29", "2024-02-9", "0000-01-01", "9999-12-31", "2024-02-2", "2024-02"]
        for text in texts {
            #expect(withBytes(text, FieldParsers.parseDatePrefix).map { [Int($0.days), $0.end] }
                    == withBytes(text, FieldParsers.parseDatePrefixSpelled).map { [Int($0.days), $0.end] }, "\(text)")
        }
        // By hand: 2024-02-29 is day 19782 (Python: `(date(2024, 2, 29) - date(1970, 1, 1)).days`).
        #expect(withBytes("2024-02-29", FieldParsers.parseDatePrefix).map { [Int($0.days), $0.end] } == [19782, 10])
        #expect(withBytes("2023-02-29", FieldParsers.parseDatePrefix) == nil)
    }

    /// 2022-06-15 is day 19158 (Python: `(date(2022, 6, 15) - date(1970, 1, 1)).days`), so
    /// 10:30:00 that day is 19158 × 86400 + 37800 = 1655289000 seconds.
    @Test func timestamps() {
        #expect(withBytes("2022-06-15 10:30:00", FieldParsers.parseTimestamp) == 1_655_289_000)
        #expect(withBytes("2022-06-15 10:30", FieldParsers.parseTimestamp) == 1_655_289_000)
        #expect(withBytes("2022-06-15T10:30:00", FieldParsers.parseTimestamp) == 1_655_289_000)
        #expect(withBytes("2022/6/15 9:05:07", FieldParsers.parseTimestamp) == 1_655_283_907)
        #expect(withBytes("2022-06-15 24:00", FieldParsers.parseTimestamp) == nil)
        #expect(withBytes("2022-06-15 10:60", FieldParsers.parseTimestamp) == nil)
        #expect(withBytes("2022-06-15 10:3", FieldParsers.parseTimestamp) == nil)
        #expect(withBytes("2022-06-15", FieldParsers.parseTimestamp) == nil)
        #expect(withBytes("2022-06-15 10:30:00 ", FieldParsers.parseTimestamp) == nil)
        #expect(Value.timestamp(1_655_289_000).plainText == "2022-06-15 10:30:00")
        #expect(Value.timestamp(1_655_289_000).dayNumber == 19158)
        // Before 1970 a day still starts at its midnight: 1969-12-31 23:59:59 is day -1.
        #expect(Value.timestamp(-1).dayNumber == -1)
        #expect(Value.timestamp(-1).plainText == "1969-12-31 23:59:59")
        #expect(withBytes("2024-02-29", FieldParsers.parseDate) == CivilDate.days(year: 2024, month: 2, day: 29))
        #expect(withBytes("2023-02-29", FieldParsers.parseDate) == nil)
        #expect(withBytes("2022/06-15", FieldParsers.parseDate) == nil)
        #expect(withBytes("15/06/2022", FieldParsers.parseDate) == nil)
    }

    @Test func civilDateKnownDays() {
        #expect(CivilDate.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilDate.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilDate.days(year: 2022, month: 6, day: 15) == 19_158)
        #expect(CivilDate.isoString(days: 19_158) == "2022-06-15")
        for days in stride(from: Int32(-800_000), through: 800_000, by: 997) {
            let (year, month, day) = CivilDate.components(days: days)
            #expect(CivilDate.days(year: year, month: month, day: day) == days)
        }
    }

    @Test func booleans() {
        #expect(withBytes("是", FieldParsers.parseBool) == true)
        #expect(withBytes("否", FieldParsers.parseBool) == false)
        #expect(withBytes("yes", FieldParsers.parseBool) == nil)
        #expect(withBytes("true", FieldParsers.parseBool) == true)
        #expect(withBytes("FALSE", FieldParsers.parseBool) == false)
        #expect(withBytes("False", FieldParsers.parseBool) == false)
        #expect(withBytes("trve", FieldParsers.parseBool) == nil)
        #expect(withBytes("1", FieldParsers.parseBool) == nil)
        #expect(withBytes("1234567890123456", FieldParsers.isLongInteger) == true)
        #expect(withBytes("-1234567890123456", FieldParsers.isLongInteger) == true)
        #expect(withBytes("123456789012345", FieldParsers.isLongInteger) == false)
        #expect(withBytes("12345678901234.5", FieldParsers.isLongInteger) == false)
    }

    @Test func dictionaryCodesAndOrder() {
        var dictionary = TextDictionary()
        #expect(dictionary.code(for: "舞阳县") == 0)
        #expect(dictionary.code(for: "临颍县") == 1)
        #expect(dictionary.code(for: "舞阳县") == 0)
        #expect(dictionary.code(for: "") == 2)
        #expect(dictionary.count == 3)
        #expect(dictionary.lookup("临颍县") == 1)
        #expect(dictionary.lookup("郾城区") == nil)
        // U+4E34 临 < U+821E 舞: code-point order.
        #expect(dictionary.sortedCodes() == [2, 1, 0])
        // Growth keeps every code.
        for index in 0..<5000 { _ = dictionary.code(for: "unit-\(index)") }
        #expect(dictionary.count == 5003)
        #expect(dictionary.lookup("unit-4321") == 4324)
        #expect(dictionary.string(at: 4324) == "unit-4321")
    }

    @Test func reservedDictionaryKeepsCodesAndLookups() {
        var dictionary = TextDictionary()
        _ = dictionary.code(for: "许昌市")
        // Room for 3000 strings in the arrays at once; the table grows as they come.
        dictionary.reserveStorage(strings: 3000, bytes: 3000 * 12)
        #expect(dictionary.lookup("许昌市") == 0)
        for index in 0..<2999 { _ = dictionary.code(for: "case-\(index)") }
        #expect(dictionary.count == 3000)
        #expect(dictionary.code(for: "许昌市") == 0)
        #expect(dictionary.lookup("case-0") == 1)
        #expect(dictionary.lookup("case-2998") == 2999)
        #expect(dictionary.lookup("case-2999") == nil)
        #expect(dictionary.string(at: 1500) == "case-1499")
    }

    /// A dictionary rebuilt from its strings alone (as the column cache stores it): lookups scan
    /// until the index is built, inserting builds it, codes stay; offsets that do not fit are refused.
    @Test func dictionaryFromItsStringsAlone() {
        let original = TextDictionary(["许昌市", "", "case-1", "许昌"])
        let parts = original.rawParts
        // "许昌市" is 9 bytes, "" 0, "case-1" 6, "许昌" 6.
        #expect(parts.offsets == [0, 9, 9, 15, 21])
        guard var rebuilt = TextDictionary(arena: parts.arena, offsets: parts.offsets) else {
            Issue.record("refused good parts")
            return
        }
        #expect(rebuilt.count == 4)
        #expect(rebuilt.lookup("") == 1)
        #expect(rebuilt.lookup("许昌") == 3)
        #expect(rebuilt.lookup("许") == nil)
        #expect(rebuilt.code(for: "case-1") == 2)
        #expect(rebuilt.code(for: "平顶山市") == 4)
        #expect(rebuilt.lookup("平顶山市") == 4)
        #expect(rebuilt.string(at: 0) == "许昌市")
        #expect(TextDictionary(arena: parts.arena, offsets: [0, 9, 8, 15, 21]) == nil)
        #expect(TextDictionary(arena: parts.arena, offsets: [0, 9, 9, 15]) == nil)
        #expect(TextDictionary(arena: parts.arena, offsets: [1, 9, 9, 15, 21]) == nil)
    }

    @Test func groupedStatisticsAndMedians() {
        let values: [Double] = [70, 69.9, 90, 80, 50, 60, 100]
        let groups: [Int32] = [0, 0, 0, 1, 1, -1, 1]
        var validity = Bitmap(count: 7, value: true)
        validity[3] = false
        let statistics = GroupedStatistics.compute(values: ColumnBuffer(values), validity: validity, groupIds: ColumnBuffer(groups), groupCount: 2,
                                                   belowThresholds: [70])
        #expect(statistics.rows == [3, 3])
        #expect(statistics.count == [3, 2])
        #expect(statistics.sum == [229.9, 150])
        #expect(statistics.minimum == [69.9, 50])
        #expect(statistics.maximum == [90, 100])
        #expect(statistics.below == [[1, 1]])
        let medians = GroupedStatistics.medians(values: ColumnBuffer(values), validity: validity, groupIds: ColumnBuffer(groups), groupCount: 2)
        #expect(medians == [70, 75])
    }
}
