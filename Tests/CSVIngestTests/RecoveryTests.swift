@testable import CSVIngest
import Columnar
import Foundation
import PingchaTestSupport
import Testing

/// Malformed records: every kind of bad quoting at every place a file can hold it, with and
/// without `--rejects`. The expected rows, lines and places are worked out by hand from the
/// recovery rule: a malformed record runs from its first line to the line where its bad quote
/// opened, and reading resumes on the next line.
struct RecoveryTests {
    static let header = "编号,单位,得分"
    static let good = ["1,甲,80", "2,乙,70", "3,丙,90", "4,丁,60"]

    /// The kinds of malformed record, each replacing record `number` (score `score`).
    enum Kind: String, CaseIterable {
        case textAfterClosingQuote, innerQuoteNotDoubled, unterminatedQuote, fieldTooLong

        func record(_ number: Int, _ score: Int) -> String {
            switch self {
            case .textAfterClosingQuote: return "\(number),\"单位\"尾,\(score)"
            case .innerQuoteNotDoubled: return "\(number),\"他说\"好\"的\",\(score)"
            case .unterminatedQuote: return "\(number),\"单位,\(score)"
            case .fieldTooLong: return "\(number),\"" + String(repeating: "x", count: 40) + "\",\(score)"
            }
        }

        /// What the English message starts with.
        var messageStart: String {
            switch self {
            case .textAfterClosingQuote, .innerQuoteNotDoubled: return "misplaced quote"
            case .unterminatedQuote: return "unterminated quote"
            case .fieldTooLong: return "a field longer than 16 bytes"
            }
        }
    }

    /// Where the malformed record stands.
    enum Place: String, CaseIterable {
        case firstRecord, middle, lastWithoutNewline, crlfFile, gb18030File

        /// The index of the record replaced.
        var index: Int {
            switch self {
            case .firstRecord: return 0
            case .middle, .crlfFile, .gb18030File: return 2
            case .lastWithoutNewline: return 3
            }
        }
    }

    /// GB18030 bytes of the middle-record files, from Python's codec
    /// (`text.encode("gb18030").hex()`), independent of iconv.
    static let gb18030Hex: [Kind: String] = [
        .textAfterClosingQuote: "b1e0bac52cb5a5cebb2cb5c3b7d60a312cbcd72c38300a322cd2d22c37300a332c22b5a5cebb22ceb22c39300a342cb6a12c36300a",
        .innerQuoteNotDoubled: "b1e0bac52cb5a5cebb2cb5c3b7d60a312cbcd72c38300a322cd2d22c37300a332c22cbfbcbb522bac322b5c4222c39300a342cb6a12c36300a",
        .unterminatedQuote: "b1e0bac52cb5a5cebb2cb5c3b7d60a312cbcd72c38300a322cd2d22c37300a332c22b5a5cebb2c39300a342cb6a12c36300a",
        .fieldTooLong: "b1e0bac52cb5a5cebb2cb5c3b7d60a312cbcd72c38300a322cd2d22c37300a332c22" + String(repeating: "78", count: 40) + "222c39300a342cb6a12c36300a",
    ]

    static let scores = [80, 70, 90, 60]

    /// The file's records with record `place.index` replaced by a malformed one of `kind`.
    static func records(_ kind: Kind, _ place: Place) -> [String] {
        var records = good
        records[place.index] = kind.record(place.index + 1, scores[place.index])
        return records
    }

    static func fileBytes(_ kind: Kind, _ place: Place) -> [UInt8] {
        let records = records(kind, place)
        switch place {
        case .firstRecord, .middle: return Array((([header] + records).joined(separator: "\n") + "\n").utf8)
        case .lastWithoutNewline: return Array(([header] + records).joined(separator: "\n").utf8)
        case .crlfFile: return Array((([header] + records).joined(separator: "\r\n") + "\r\n").utf8)
        case .gb18030File: return Fixtures.bytes(hex: gb18030Hex[kind]!)
        }
    }

    /// Loads with a 16-byte field cap for the too-long kind (the default cap otherwise, which an
    /// unterminated quote in these small files never reaches).
    static func load(_ path: String, _ kind: Kind, rejects: Bool) throws -> LoadedTable {
        try TestFiles.load(path, rejects: rejects, maxFieldBytes: kind == .fieldTooLong ? 16 : 1 << 20)
    }

    @Test(arguments: Kind.allCases, Place.allCases)
    func withRejectsTheRecordIsSetAsideAndTheRestKept(kind: Kind, place: Place) throws {
        let path = Fixtures.write(Self.fileBytes(kind, place), name: "recover-\(kind)-\(place).csv")
        let loaded = try Self.load(path, kind, rejects: true)
        // Every good record is kept, the bad one is not: the header is line 1, record i is line i + 2.
        var expected = Self.good.map { $0.split(separator: ",").map(String.init) }
        expected.remove(at: place.index)
        #expect(TestFiles.cells(loaded.table) == expected)
        #expect(loaded.source.rejected == 1)
        let reject = try #require(loaded.rejects.first)
        #expect(reject.firstLine == place.index + 2)
        #expect(reject.lastLine == place.index + 2)
        #expect(reject.column == 2)
        #expect(reject.raw == Self.records(kind, place)[place.index])
        #expect(reject.reason.en.hasPrefix(kind.messageStart))
        #expect(loaded.lines == expected.map { Int32($0[0])! + 1 })
    }

    @Test(arguments: Kind.allCases, Place.allCases)
    func withoutRejectsTheLoadStopsWhereTheQuoteOpened(kind: Kind, place: Place) throws {
        let path = Fixtures.write(Self.fileBytes(kind, place), name: "stop-\(kind)-\(place).csv")
        do {
            _ = try Self.load(path, kind, rejects: false)
            Issue.record("loaded a malformed file")
        } catch let error as PingchaError {
            #expect(error.location?.line == place.index + 2)
            #expect(error.location?.column == 2)
            #expect(error.message.en.hasPrefix(kind.messageStart))
            // An unterminated quote before the last line runs to the end of the file, line 5.
            if kind == .unterminatedQuote, place.index < 3 {
                #expect(error.message.en.contains("up to line 5 (the end of the file)"))
            }
        }
    }

    /// A quote opens on line 7 and is closed by the quote on line 13, followed by text: the error
    /// names line 7 and says the parser gave up on line 13. Recovery sets aside line 7, reads
    /// lines 8-12 as the records they are, and line 13 is malformed in its own right.
    @Test func theErrorNamesWhereTheQuoteOpenedAndWhereTheParserGaveUp() throws {
        var lines = [Self.header]
        for number in 2...14 {
            switch number {
            case 7: lines.append("7,\"甲,70")
            case 13: lines.append("13,\"乙\"尾,70")
            default: lines.append("\(number),丙,\(number)")
            }
        }
        let path = Fixtures.write(lines.joined(separator: "\n") + "\n", name: "line7.csv")
        let error = try #require(TestFiles.loadError(path))
        #expect(error.location == SourceLocation(path: path, line: 7, column: 2))
        #expect(error.message.zh == "引号没有正确结束：这里开始的带引号字段一直读到第 13 行，那里的引号之后还有文字。多半是这一行少写或多写了一个引号。")

        let loaded = try TestFiles.load(path, rejects: true)
        #expect(TestFiles.cells(loaded.table).map { $0[0] } == ["2", "3", "4", "5", "6", "8", "9", "10", "11", "12", "14"])
        #expect(loaded.rejects.map { [$0.firstLine, $0.lastLine, $0.column ?? 0] } == [[7, 7, 2], [13, 13, 2]])
        #expect(loaded.rejects.map(\.raw) == ["7,\"甲,70", "13,\"乙\"尾,70"])
    }

    /// A record whose quoted second field legitimately spans lines 3-4, then a bad quote in its
    /// third field, opened on line 4: the record runs from line 3 to line 4.
    @Test func aMultiLineRecordIsSetAsideFromItsFirstLine() throws {
        let text = "a,b,c\n1,x,y\n2,\"多\n行\",\"坏\"尾\n3,z,w\n"
        let loaded = try TestFiles.load(Fixtures.write(text, name: "multi.csv"), rejects: true)
        #expect(TestFiles.cells(loaded.table) == [["1", "x", "y"], ["3", "z", "w"]])
        #expect(loaded.rejects.map { [$0.firstLine, $0.lastLine, $0.column ?? 0] } == [[3, 4, 3]])
        #expect(loaded.rejects.first?.raw == "2,\"多\n行\",\"坏\"尾")
        #expect(loaded.lines == [2, 5])
    }

    /// Quotes that other tools read as text are text here too, and counted: Python's csv module
    /// reads `5"3` as 5"3 and `违反"三项制度"` as is. Excel's `="0012"` is its text, 0012.
    @Test func quotesInsideUnquotedFieldsAreTextAndCounted() throws {
        let text = "编号,内容\n1,5\"3\n2,违反\"三项制度\"\n3,=\"0012\"\n4,\"=\"\"0012\"\"\"\n"
        for rejects in [false, true] {
            let loaded = try TestFiles.load(Fixtures.write(text, name: "text-quotes.csv"), rejects: rejects)
            #expect(TestFiles.cells(loaded.table).map { $0[1] } == ["5\"3", "违反\"三项制度\"", "0012", "=\"0012\""])
            #expect(loaded.source.textQuotes == 2)
            #expect(loaded.source.excelFormulas == 1)
            #expect(loaded.rejects.isEmpty)
        }
    }

    /// The header itself cannot be set aside: a bad quote there stops the load even with rejects.
    @Test func aMalformedHeaderStopsTheLoad() throws {
        let path = Fixtures.write("\"编号\"x,单位\n1,甲\n", name: "bad-header.csv")
        do {
            _ = try TestFiles.load(path, rejects: true)
            Issue.record("loaded a file whose header is malformed")
        } catch let error as PingchaError {
            #expect(error.location == SourceLocation(path: path, line: 1, column: 1))
        }
    }

    /// Many stray quotes in a row of records: each costs its own record only.
    @Test func everyRecordAfterAStrayQuoteIsReadAgain() throws {
        var lines = ["a,b"]
        for number in 1...50 { lines.append(number % 10 == 0 ? "\(number),\"坏" : "\(number),好") }
        let loaded = try TestFiles.load(Fixtures.write(lines.joined(separator: "\n") + "\n", name: "many.csv"), rejects: true)
        #expect(loaded.table.rowCount == 45)
        #expect(loaded.rejects.map(\.firstLine) == [11, 21, 31, 41, 51])
    }

    /// A quote that opens 1.5 MiB into a 4 MiB file and never closes: the parser reports progress
    /// past it before the field grows over the 1 MiB cap, and recovery then rewinds to the next
    /// line. Every other row is kept, serially and in chunks; progress never goes back.
    @Test func recoveryAfterProgressWasReported() throws {
        var lines = ["编号,单位,得分"]
        // "123456,单位甲乙丙,80" is at most 26 bytes: 160,000 rows are over 4 MiB.
        for number in 1...160_000 { lines.append(number == 60_000 ? "\(number),\"单位甲乙丙,80" : "\(number),单位甲乙丙,80") }
        let path = Fixtures.write(lines.joined(separator: "\n") + "\n", name: "recovery-after-progress.csv")
        for (threads, chunkBytes) in [(1, nil), (2, 1_000_000)] as [(Int, Int?)] {
            let loaded = try TestFiles.load(path, rejects: true, threads: threads, chunkBytes: chunkBytes)
            #expect(loaded.table.rowCount == 159_999)
            #expect(loaded.rejects.map { [$0.firstLine, $0.lastLine, $0.column ?? 0] } == [[60_001, 60_001, 2]])
            #expect(loaded.rejects.first?.reason.en.hasPrefix("a field longer than 1048576 bytes") == true)
        }
        var reported: [Int] = []
        let text = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let reader = RecordReader(recover: true, malformed: { _ in }, handler: { _ in })
        try text.withUnsafeBytes { bytes in
            try reader.parse(bytes) { reported.append($0) }
            try reader.finish()
        }
        #expect(reported == reported.sorted() && Set(reported).count == reported.count)
        #expect(reported.last == text.count)
    }
}
