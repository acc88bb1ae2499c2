@testable import CSVIngest
import Columnar
import Foundation
import PingchaTestSupport
import Testing

/// Files other tools write and read: other separators, UTF-16 with commas, encodings that are
/// not GB18030 although they decode as it, long integers, true/false. Expected values worked
/// out by hand (and, for the bytes, with Python's codecs).
struct OtherToolsFilesTests {
    @Test(arguments: [
        ("a;b;c\n1;x,y;3\n2;\"p;q\";4\n", UInt8(0x3B), [["1", "x,y", "3"], ["2", "p;q", "4"]]),
        ("a|b\n1|2\n", UInt8(0x7C), [["1", "2"]]),
        ("a\tb\n1\t中文\n", UInt8(0x09), [["1", "中文"]]),
        // Semicolons inside the text do not outvote the commas that split every line.
        ("单位,说明\n甲,一;二;三\n乙,四\n", UInt8(0x2C), [["甲", "一;二;三"], ["乙", "四"]]),
        // A quoted field holding tabs and a line break: only separators outside quotes count.
        ("a,b\n\"x\t\ty\n\tz\",2\n", UInt8(0x2C), [["x\t\ty\n\tz", "2"]]),
        // One column: no separator at all keeps the comma.
        ("名称\n甲\n乙\n", UInt8(0x2C), [["甲"], ["乙"]]),
    ])
    func theSeparatorIsDetected(text: String, delimiter: UInt8, cells: [[String]]) throws {
        let loaded = try TestFiles.load(Fixtures.write(text, name: "separator-\(abs(text.hashValue)).csv"))
        #expect(loaded.source.delimiter == delimiter)
        #expect(TestFiles.cells(loaded.table) == cells)
    }

    @Test func theSeparatorCanBeNamed() throws {
        // Two semicolons against one comma a line: detected as semicolon-separated.
        let path = Fixtures.write("a;b;c,d\n1;2;3,4\n", name: "named.csv")
        var options = LoadOptions()
        options.noSchema = true
        #expect(TestFiles.cells(try CSVLoader.load(path: path, options: options).table) == [["1", "2", "3,4"]])
        options.delimiter = 0x2C
        #expect(TestFiles.cells(try CSVLoader.load(path: path, options: options).table) == [["1;2;3", "4"]])
        // One of each: a tie goes to the comma.
        let tie = Fixtures.write("a;b,c\n1;2,3\n", name: "tie.csv")
        #expect(TestFiles.cells(try TestFiles.load(tie).table) == [["1;2", "3"]])
        #expect(DelimiterDetector.parse(userValue: "tab") == 0x09)
        #expect(DelimiterDetector.parse(userValue: "\\t") == 0x09)
        #expect(DelimiterDetector.parse(userValue: "|") == 0x7C)
        #expect(DelimiterDetector.parse(userValue: "\"") == nil)
        #expect(DelimiterDetector.parse(userValue: "ab") == nil)
    }

    /// UTF-16 with a byte-order mark and commas (not only Excel's tab-separated "Unicode text").
    @Test func utf16WithCommas() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "名称,得分\n甲,80\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let loaded = try TestFiles.load(Fixtures.write(bytes, name: "u16-comma.csv"))
        #expect(loaded.source.encoding == .utf16LE)
        #expect(loaded.source.delimiter == 0x2C)
        #expect(TestFiles.headers(loaded.table) == ["名称", "得分"])
        #expect(TestFiles.cells(loaded.table) == [["甲", "80"]])
    }

    /// Latin-1 and Big5 decode as GB18030 but into rare characters: an error naming the line
    /// where they start (Latin-1: line 2, `Müller`; Big5: line 1, `名稱`), suggesting --encoding.
    @Test(arguments: [
        ("4e616d652c53746164740a4dfc6c6c65722c5afc726963680a4bf6686c65722c4bf66c6e0a", 2),
        ("a657bad92cb16fa4c00ab169a4542c38300aa7f5a57c2c37350a", 1),
    ])
    func implausibleGB18030IsAnError(hex: String, line: Int) throws {
        let path = Fixtures.write(Fixtures.bytes(hex: hex), name: "not-gb-\(line).csv")
        let error = try #require(TestFiles.loadError(path))
        #expect(error.location?.line == line)
        #expect(error.message.en.contains("--encoding"))
    }

    /// GBK names with two rare characters (喆, 堃) among sixteen: still Chinese, still loaded.
    @Test func gb18030WithAFewRareCharactersLoads() throws {
        let hex = "d0d5c3fb2cb5c3b7d60acdf586b42c38300ac0ee88d22c37350ad5c5c8fd2c39300ac0eecbc42c38350ad5d4cee52c37300ac7aec1f92c36300acbefc6df2c39350ad6dcb0cb2c38380a"
        let loaded = try TestFiles.load(Fixtures.write(Fixtures.bytes(hex: hex), name: "rare-gb.csv"))
        #expect(loaded.source.encoding == .gb18030)
        #expect(TestFiles.cells(loaded.table).map { $0[0] } == ["王喆", "李堃", "张三", "李四", "赵五", "钱六", "孙七", "周八"])
    }

    @Test func longIntegersStayTextAndTrueFalseIsBool() throws {
        let text = "身份证号,金额,标志,是否\n4101021980010112345,1234567890123456,true,是\n4101021980010112,12,FALSE,否\n"
        let loaded = try TestFiles.load(Fixtures.write(text, name: "long-integers-and-booleans.csv"))
        #expect(loaded.table.columns.map(\.dataType) == [.text, .text, .bool, .bool])
        // Booleans show as 是 / 否 whichever way they were written.
        #expect(TestFiles.cells(loaded.table) == [["4101021980010112345", "1234567890123456", "是", "是"],
                                                   ["4101021980010112", "12", "否", "否"]])
        let fifteen = try TestFiles.load(Fixtures.write("n\n123456789012345\n1\n", name: "fifteen.csv"))
        #expect(fifteen.table.columns[0].dataType == .int64)
    }
}

/// Dates with a time of day.
struct TimestampTests {
    @Test func aColumnOfDateTimesIsATimestamp() throws {
        let text = "编号,时间,日期\n1,2022-06-15 10:30:00,2022-06-15\n2,2022/6/16 9:05,2022-06-16 08:00\n3,,\n"
        let loaded = try TestFiles.load(Fixtures.write(text, name: "timestamps.csv"))
        #expect(loaded.table.columns.map(\.dataType) == [.int64, .timestamp, .timestamp])
        // A date among date-times is its midnight.
        #expect(TestFiles.cells(loaded.table) == [["1", "2022-06-15 10:30:00", "2022-06-15 00:00:00"],
                                                   ["2", "2022-06-16 09:05:00", "2022-06-16 08:00:00"], ["3", "", ""]])
    }

    /// A declared date column (决定日期 of the cases export) with times keeps them for display
    /// and its date part for the rules; in chunks as serially, where only a later chunk has times.
    @Test func aDeclaredDateColumnKeepsItsTimes() throws {
        let header = "案卷编号,执法单位,评查得分,决定日期\n"
        var rows = (1...40).map { "A-\($0),甲,80,2022-06-\(10 + $0 % 10)" }
        rows[33] = "A-34,甲,80,2022-06-14 16:45:10"
        let path = Fixtures.write(header + rows.joined(separator: "\n") + "\n", name: "declared-times.csv")
        for chunkBytes in [nil, 64] as [Int?] {
            let loaded = try TestFiles.load(path, schema: .cases, threads: chunkBytes == nil ? 1 : 2, chunkBytes: chunkBytes)
            let column = try #require(loaded.table.columns.first { $0.name == "决定日期" })
            #expect(column.dataType == .timestamp)
            #expect(column.value(at: 33).plainText == "2022-06-14 16:45:10")
            #expect(column.value(at: 0).plainText == "2022-06-11 00:00:00")
            // Day 19157 is 2022-06-14.
            #expect(column.value(at: 33).dayNumber == 19157)
        }
        let dateOnly = try TestFiles.load(Fixtures.write(header + "A-1,甲,80,2022-06-14\n", name: "declared-date.csv"), schema: .cases)
        #expect(dateOnly.table.columns.first { $0.name == "决定日期" }?.dataType == .date)
    }
}
