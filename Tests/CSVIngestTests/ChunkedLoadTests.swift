@testable import CSVIngest
import Columnar
import Vocabulary
import DatasetGenerator
import Foundation
import PingchaTestSupport
import Testing

/// The parallel (chunked) load against the serial one: same table, same rejects, same lines,
/// same errors, with chunks so small that boundaries fall on every kind of byte.
struct ChunkedLoadTests {
    private func load(_ path: String, threads: Int, chunkBytes: Int?, schema: ExportSchema? = nil, rejects: Bool = false) throws -> LoadedTable {
        try TestFiles.load(path, schema: schema, rejects: rejects, threads: threads, chunkBytes: chunkBytes)
    }

    /// `inChunks`: the chunked load must have read more than one part (a file whose first chunk
    /// does not end between records may rightly be read again serially as one).
    private func assertSame(_ serial: LoadedTable, _ chunked: LoadedTable, _ label: String, inChunks: Bool = true,
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(serial.source.parsedChunks == 1, Comment(rawValue: "serial, \(label)"), sourceLocation: sourceLocation)
        if inChunks { #expect(chunked.source.parsedChunks > 1, Comment(rawValue: "parsed in chunks, \(label)"), sourceLocation: sourceLocation) }
        #expect(serial.table.rowCount == chunked.table.rowCount, Comment(rawValue: "rows, \(label)"), sourceLocation: sourceLocation)
        #expect(serial.lines == chunked.lines, Comment(rawValue: "row lines, \(label)"), sourceLocation: sourceLocation)
        #expect(serial.source.blankLines == chunked.source.blankLines, Comment(rawValue: "blank lines, \(label)"), sourceLocation: sourceLocation)
        #expect(serial.source.absent == chunked.source.absent, Comment(rawValue: "absent, \(label)"), sourceLocation: sourceLocation)
        #expect(serial.source.sha256 == chunked.source.sha256, Comment(rawValue: "digest, \(label)"), sourceLocation: sourceLocation)
        #expect(serial.rejects.map { [String($0.firstLine), String($0.lastLine), String($0.column ?? 0), $0.reason.en, $0.raw] } == chunked.rejects.map { [String($0.firstLine), String($0.lastLine), String($0.column ?? 0), $0.reason.en, $0.raw] }, Comment(rawValue: "rejects, \(label)"), sourceLocation: sourceLocation)
        #expect(serial.table.columns.map(\.name) == chunked.table.columns.map(\.name), Comment(rawValue: "headers, \(label)"), sourceLocation: sourceLocation)
        for (left, right) in zip(serial.table.columns, chunked.table.columns) {
            #expect(left.dataType == right.dataType, Comment(rawValue: "type of \(left.name), \(label)"), sourceLocation: sourceLocation)
            #expect(left.validity == right.validity, Comment(rawValue: "nulls of \(left.name), \(label)"), sourceLocation: sourceLocation)
            switch (left.storage, right.storage) {
            case let (.text(leftCodes, leftDictionary), .text(rightCodes, rightDictionary)):
                // Codes in order of first appearance, exactly as serial.
                #expect(leftCodes == rightCodes, Comment(rawValue: "codes of \(left.name), \(label)"), sourceLocation: sourceLocation)
                #expect(leftDictionary.strings == rightDictionary.strings, Comment(rawValue: "dictionary of \(left.name), \(label)"), sourceLocation: sourceLocation)
            default:
                #expect((0..<left.count).map { left.value(at: $0) } == (0..<right.count).map { right.value(at: $0) }, Comment(rawValue: "values of \(left.name), \(label)"), sourceLocation: sourceLocation)
            }
        }
    }

    private func loadError(_ body: () throws -> LoadedTable) -> PingchaError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? PingchaError
        }
    }

    /// Quoted fields with LF, CRLF and lone CR inside, doubled quotes, blank lines and lines of
    /// spaces, CRLF endings: every chunk size from 1 to 40 bytes puts a boundary on each byte.
    @Test func testQuotedLineBreaksOnEveryChunkBoundary() throws {
        let text = "编号,名称,得分\r\n"
            + "1,\"第一行\r\n第二行\",80.5\r\n"
            + "\r\n"
            + "2,\"含逗号,和\"\"引号\"\"\",70\r\n"
            + "   \r\n"
            + "3,\"跨\n三\r行\",\r\n"
            + "4,\"\"\"\",65\r\n"
            + "5,普通,90\r\n"
            + "6,\"\n\n\",100"
        let path = Fixtures.write(text, name: "quoted-boundaries.csv")
        let serial = try load(path, threads: 1, chunkBytes: nil)
        // Worked by hand: six rows; row 1 spans lines 2–3, lines 4 and 6 are blank, row 3 spans 7–9.
        #expect(serial.table.rowCount == 6)
        #expect(serial.lines == [2, 5, 7, 10, 11, 12])
        #expect(serial.source.blankLines == 2)
        #expect(serial.table.columns[1].value(at: 1) == .text("含逗号,和\"引号\""))
        #expect(serial.table.columns[1].value(at: 2) == .text("跨\n三\r行"))
        #expect(serial.table.columns[1].value(at: 3) == .text("\""))
        for chunkBytes in 1...40 {
            assertSame(serial, try load(path, threads: 2, chunkBytes: chunkBytes), "chunk \(chunkBytes) bytes")
        }
    }

    /// The bundled sample exports (UTF-8 with BOM, GB18030, schemas with ranges and absent
    /// markers) load the same in chunks.
    @Test func testBundledSamplesLoadTheSameInChunks() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Datasets/sample")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }.sorted()
        // Seven exports, the GB18030 twin and the risk catalog.
        #expect(files.count == 9)
        for name in files {
            let path = folder.appendingPathComponent(name).path
            let schema = ExportSchema.all.first { name.hasPrefix($0.name) }
            let serial = try load(path, threads: 1, chunkBytes: nil, schema: schema, rejects: true)
            let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            for chunkBytes in [size / 2, size / 5, size / 40, 97] {
                assertSame(serial, try load(path, threads: 2, chunkBytes: chunkBytes, schema: schema, rejects: true), "\(name), chunk \(chunkBytes)")
            }
        }
    }

    /// A generated `--messy` province (BOM, CRLF, quoted commas and line breaks, blank cells):
    /// tiny chunks against serial, for the cases and survey exports.
    @Test func testMessyGeneratedExportsLoadTheSameInChunks() throws {
        let folder = Fixtures.folder.appendingPathComponent("messy").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var options = GeneratorOptions(directory: folder)
        options.cases = 3000
        options.officers = 400
        options.messy = true
        _ = try ProvinceGenerator(options: options, encoder: nil).run()
        for name in ["cases.csv", "survey.csv", "roster.csv", "tests.csv"] {
            let path = folder + "/" + name
            let schema = ExportSchema.all.first { name.hasPrefix($0.name) }
            let serial = try load(path, threads: 1, chunkBytes: nil, schema: schema, rejects: true)
            if name == "cases.csv" {
                // The messy file does put line breaks inside quoted fields.
                let quotedBreaks = serial.table.columns.contains { column in
                    (0..<column.count).contains { column.value(at: $0).plainText.contains("\n") }
                }
                #expect(quotedBreaks)
            }
            let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            for chunkBytes in [size / 2, size / 7, 211, 53] {
                assertSame(serial, try load(path, threads: 2, chunkBytes: chunkBytes, schema: schema, rejects: true), "\(name), chunk \(chunkBytes)")
            }
        }
    }

    /// Errors come out of a chunked load at the line and column a serial load names.
    @Test func testErrorsAreTheSerialOnesAtEveryChunkSize() throws {
        let rows = (1...30).map { "\($0),单位\($0 % 4),\"备注\n第\($0)条\",\(60 + $0)" }
        // (what, which row, the row that replaces it)
        let cases = [
            ("text after closing quote", 12, "13,单位1,\"备注\"尾,73"),
            ("unterminated quote", 25, "26,单位2,\"没有结束,86"),
            ("long row", 17, "18,单位2,\"备注\",78,多余"),
            ("short row", 28, "29,单位1"),
        ]
        for (label, index, replacement) in cases {
            var body = rows
            body[index] = replacement
            let path = Fixtures.write("编号,单位,备注,得分\n" + body.joined(separator: "\n") + "\n", name: "chunk-error.csv")
            let expected = try #require(loadError { try load(path, threads: 1, chunkBytes: nil) }, Comment(rawValue: label))
            for chunkBytes in [5, 17, 40, 64, 100, 333] {
                let error = try #require(loadError { try load(path, threads: 2, chunkBytes: chunkBytes) }, Comment(rawValue: "\(label), chunk \(chunkBytes)"))
                #expect(error.location == expected.location, Comment(rawValue: "\(label), chunk \(chunkBytes)"))
                #expect(error.message.en == expected.message.en, Comment(rawValue: "\(label), chunk \(chunkBytes)"))
            }
        }
        // The places, worked out by hand: each of rows 1-12 spans two lines from line 2, so row 13
        // opens on line 26; its quoted third field opens there, and the text after its closing
        // quote is on the same line.
        var after = rows
        after[12] = cases[0].2
        let afterPath = Fixtures.write("编号,单位,备注,得分\n" + after.joined(separator: "\n") + "\n", name: "after.csv")
        let afterError = try #require(loadError { try load(afterPath, threads: 2, chunkBytes: 16) })
        #expect(afterError.location?.line == 26)
        #expect(afterError.location?.column == 3)
    }

    /// A seeded random messy file: quoted commas, doubled quotes, quoted LF and CRLF, CJK, empty
    /// fields, quotes read as text, Excel formulas, ragged rows, blank lines, and malformed
    /// records (text after a closing quote, quotes that never close properly) — which flip the
    /// quote parity the chunk plan guesses from, so chunks must be checked and read again.
    static func messyText(seed: UInt64, records: Int, malformed: Bool) -> String {
        var random = SplitMix64(seed: seed)
        func pick(_ count: Int) -> Int { Int(random.next() % UInt64(count)) }
        var text = "编号,单位,备注,得分\n"
        for number in 1...records {
            var fields = ["\(number)"]
            for _ in 0..<3 {
                switch pick(malformed ? 14 : 11) {
                case 0: fields.append("")
                case 1: fields.append("\"逗号,在内\"")
                case 2: fields.append("\"引号\"\"写两遍\"\"\"")
                case 3: fields.append("\"换行\n在内\"")
                case 4: fields.append("\"回车换行\r\n在内\"")
                case 5: fields.append("5\"3")
                case 6: fields.append("违反\"三项制度\"")
                case 7: fields.append("=\"00\(pick(100))\"")
                case 8: fields.append("  空格 ")
                case 11: fields.append("\"坏\"尾")
                case 12: fields.append("\"没有结束")
                case 13: fields.append("\"坏\" \"")
                default: fields.append("单位\(pick(7))")
                }
            }
            if pick(20) == 0 { fields.removeLast() }
            if pick(25) == 0 { fields.append("多余") }
            text += fields.joined(separator: ",") + (pick(4) == 0 ? "\r\n" : "\n")
            if pick(30) == 0 { text += "\n" }
        }
        return text
    }

    /// The twins: serial and chunked loads of random messy files give the same table, rejects
    /// and errors at every chunk size.
    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func testRandomMessyFilesLoadTheSameInChunks(seed: UInt64) throws {
        for malformed in [false, true] {
            let path = Fixtures.write(Self.messyText(seed: seed, records: 300, malformed: malformed), name: "messy-\(seed)-\(malformed).csv")
            let serial = try load(path, threads: 1, chunkBytes: nil, rejects: true)
            if malformed { #expect(!serial.rejects.isEmpty, "seed \(seed) has malformed records") }
            #expect(serial.source.textQuotes > 0)
            #expect(serial.source.excelFormulas > 0)
            let serialError = loadError { try load(path, threads: 1, chunkBytes: nil) }
            #expect((serialError == nil) == serial.rejects.isEmpty)
            for chunkBytes in [7, 31, 97, 500, 4096] {
                let label = "seed \(seed), malformed \(malformed), chunk \(chunkBytes)"
                let chunked = try load(path, threads: 2, chunkBytes: chunkBytes, rejects: true)
                assertSame(serial, chunked, label, inChunks: chunkBytes < 500)
                #expect(serial.source.textQuotes == chunked.source.textQuotes, Comment(rawValue: label))
                #expect(serial.source.excelFormulas == chunked.source.excelFormulas, Comment(rawValue: label))
                let chunkedError = loadError { try load(path, threads: 2, chunkBytes: chunkBytes) }
                #expect(chunkedError?.location == serialError?.location, Comment(rawValue: label))
                #expect(chunkedError?.message.en == serialError?.message.en, Comment(rawValue: label))
            }
        }
    }

    /// The reader's checkpoints name the line their offset is on, and the lines found from them
    /// are the lines a plain split of the text gives (LF, CRLF and a lone CR each end a line).
    @Test(arguments: [false, true])
    func testCheckpointsAndTheLinesFoundFromThem(malformed: Bool) throws {
        var text = Self.messyText(seed: 9, records: 60_000, malformed: malformed)
        text += "末行,\r只有回车\r最后"
        let bytes = Array(text.utf8)
        var starts = [0]
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            if bytes[index] == 0x0A || bytes[index] == 0x0D { starts.append(index + 1) }
            index += 1
        }
        /// The line of an offset: how many line starts lie at or before it.
        func line(of offset: Int) -> Int {
            var low = 0, high = starts.count
            while low < high {
                let middle = (low + high) / 2
                if starts[middle] <= offset { low = middle + 1 } else { high = middle }
            }
            return low
        }
        try bytes.withUnsafeBytes { raw in
            let reader = RecordReader(recover: true, malformed: { _ in }, handler: { _ in })
            try reader.parse(raw)
            try reader.finish()
            // Block ends outside quoted fields, at least a MiB apart, in the 2.5 MB; with malformed records, also the
            // line start after each of them.
            #expect(reader.checkpoints.count >= (malformed ? 1000 : 1))
            for checkpoint in reader.checkpoints {
                #expect(line(of: checkpoint.offset) == checkpoint.line, "checkpoint at \(checkpoint.offset)")
            }
            for first in Array(stride(from: 1, to: starts.count, by: 997)) + [starts.count - 1, starts.count] {
                let last = min(first + 2, starts.count)
                var end = last < starts.count ? starts[last] : bytes.count
                while end > starts[first - 1], bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
                #expect(LineIndex.lines(first, through: last, in: raw, checkpoints: reader.checkpoints) == starts[first - 1]..<end, "line \(first)")
                // From an earlier line as the hint (lines asked in order), the same range.
                let earlier = max(1, first - 5)
                let hint = LineCheckpoint(offset: starts[earlier - 1], line: earlier)
                #expect(LineIndex.lines(first, through: last, in: raw, checkpoints: reader.checkpoints, hint: hint) == starts[first - 1]..<end,
                        "line \(first) from line \(earlier)")
            }
        }
    }

    /// Found by the ingest fuzzer: a quote read as text in the header was counted by the serial
    /// load only (the chunked load reads the header with a probe of its own).
    @Test func testQuotesInTheHeaderCountInChunks() throws {
        let path = Fixtures.write("a,3,4-nt*\"\"\n4,3,4\n5,6,7\n", name: "header-quote.csv")
        let serial = try load(path, threads: 1, chunkBytes: nil)
        #expect(serial.source.textQuotes == 1)
        #expect(TestFiles.headers(serial.table) == ["a", "3", "4-nt*\"\""])
        for chunkBytes in [1, 3, 5] {
            let chunked = try load(path, threads: 2, chunkBytes: chunkBytes)
            assertSame(serial, chunked, "chunk \(chunkBytes)")
            #expect(chunked.source.textQuotes == 1)
        }
    }

    /// Found by the ingest fuzzer: a line of tabs after a lone CR (`b,c,d` CR, tabs, LF). libcsv
    /// skips the tabs unseen, and the reader took CR, tabs, LF for one line end (a CRLF), while a
    /// chunk that started after the CR counted the tabs' line: lines 1 header, 2 `1,2,3`,
    /// 3 `b,c,d`, 4 tabs (blank), 5 `4,5,6`, 6 `7,8,9`, 7 a bad quote.
    @Test func testALineOfSpacesAfterALoneCR() throws {
        let text = "a,b,c\r\n1,2,3\rb,c,d\r\t\t\t\n4,5,6\r\n7,8,9\n\"x\"y,1,2\n"
        let path = Fixtures.write(text, name: "lone-cr.csv")
        let serial = try load(path, threads: 1, chunkBytes: nil, rejects: true)
        #expect(TestFiles.cells(serial.table) == [["1", "2", "3"], ["b", "c", "d"], ["4", "5", "6"], ["7", "8", "9"]])
        #expect(serial.lines == [2, 3, 5, 6])
        #expect(serial.source.blankLines == 1)
        #expect(serial.rejects.map(\.firstLine) == [7])
        for chunkBytes in 1...12 {
            assertSame(serial, try load(path, threads: 2, chunkBytes: chunkBytes, rejects: true), "chunk \(chunkBytes)", inChunks: false)
        }
    }

    /// Rejected rows set aside in a chunked load keep the file's line numbers and text.
    @Test func testRejectsKeepTheirLinesInChunks() throws {
        var rows = (1...40).map { "\($0),\"说明\r\n\($0)\",\(50 + $0)" }
        rows[7] = "8,\"说明\",81,多余"
        rows[30] = "31,只有两列"
        let path = Fixtures.write("编号,说明,得分\r\n" + rows.joined(separator: "\r\n") + "\r\n", name: "chunk-rejects.csv")
        let serial = try load(path, threads: 1, chunkBytes: nil, schema: nil, rejects: true)
        #expect(serial.rejects.map(\.firstLine) == [16, 61])
        #expect(serial.table.rowCount == 38)
        for chunkBytes in [3, 29, 128] {
            assertSame(serial, try load(path, threads: 2, chunkBytes: chunkBytes, rejects: true), "chunk \(chunkBytes)")
        }
    }

    /// The reader scans fields for line breaks only once a quote has been seen; here the first
    /// quote comes after more than one parse block (1 MiB), and every line number after it must
    /// still count the line break inside it.
    @Test func testLineNumbersWhenTheFirstQuoteComesLate() throws {
        let plainRows = 90_000 // "12345,普通,60\n" is 18 bytes at most: ≥ 1.2 MB before the quote
        var text = "编号,说明,得分\n"
        for number in 1...plainRows { text += "\(number),普通,60\n" }
        text += "\(plainRows + 1),\"两\n行\",61\n"   // lines plainRows + 2 and + 3
        text += "\(plainRows + 2),多一列,62,多余\n"      // line plainRows + 4: four fields, set aside
        text += "\(plainRows + 3),最后,63\n"             // line plainRows + 5
        let path = Fixtures.write(text, name: "late-quote.csv")
        let serial = try load(path, threads: 1, chunkBytes: nil, rejects: true)
        #expect(serial.table.rowCount == plainRows + 2)
        #expect(serial.lines.count == plainRows + 2)
        #expect(Array(serial.lines.prefix(2)) == [2, 3])
        #expect(Array(serial.lines.suffix(3)) == [Int32(plainRows + 1), Int32(plainRows + 2), Int32(plainRows + 5)])
        #expect(serial.rejects.map(\.firstLine) == [plainRows + 4])
        for chunkBytes in [100_000, 700_000] {
            assertSame(serial, try load(path, threads: 2, chunkBytes: chunkBytes, rejects: true), "chunk \(chunkBytes)")
        }
    }

    /// The chunk plan: every start lies just after a line break outside quotes.
    @Test func testBoundariesSkipQuotedLineBreaks() {
        let text = Array("a,b\n\"x\ny\",1\n\"p\"\"\nq\",2\r\n3,4\n".utf8)
        text.withUnsafeBytes { bytes in
            #expect(ChunkedLoad.boundaries(in: bytes, from: 4, chunkCount: 40, width: 2) == [4, 12, 23, 27])
            #expect(ChunkedLoad.recordStart(in: bytes, from: 5, insideQuotes: true) == 12)
            #expect(ChunkedLoad.recordStart(in: bytes, from: 4, insideQuotes: false) == 12)
        }
    }

    /// The chunk plan reading quote parity from the UTF-8 check's census cuts where counting
    /// the quotes afresh does, on a text of quoted line breaks and doubled quotes over several pieces.
    @Test func testBoundariesFromTheCensusAreTheCountedOnes() {
        var generator = SplitMix64(seed: 3)
        var text = "编号,备注,得分\n"
        var row = 0
        while text.utf8.count < (3 << 19) {
            row += 1
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: text += "\(row),\"第\(row)条\n续\",\(row % 100)\n"
            case 1: text += "\(row),\"引\"\"号\"\"\r\n\",\(row % 100)\r\n"
            default: text += "\(row),普通,\(row % 100)\n"
            }
        }
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { buffer in
            let census = EncodingDetector.checkUTF8Counting(buffer, width: 2).census
            #expect(census.counts.count > 1)
            for chunkCount in [1, 2, 3, 7, 40, 333] {
                let counted = ChunkedLoad.boundaries(in: buffer, from: 21, chunkCount: chunkCount, width: 2)
                #expect(counted.count > min(chunkCount, 2))
                #expect(ChunkedLoad.boundaries(in: buffer, from: 21, chunkCount: chunkCount, width: 2, census: census) == counted,
                        Comment(rawValue: "\(chunkCount) chunks"))
            }
        }
    }

    /// The row estimate builders reserve: line breaks per sampled byte, a twentieth to spare, 16 more.
    @Test func testRowEstimateFromASample() {
        let cases: [(String, Int, Int)] = [
            ("a,b\n1,2\n3,4\n", 1200, 331),   // 3 LF in 12 bytes: 1200 × 3 / 12 × 1.05 + 16
            ("a\r\nb\r\n", 600, 226),         // CRLF counts once: 600 × 2 / 6 × 1.05 + 16
            ("a\rb\r", 400, 226),              // lone CR: 400 × 2 / 4 × 1.05 + 16
            ("abc", 1000, 0),                   // no line break seen
            ("", 1000, 0),
        ]
        for (text, bytes, expected) in cases {
            let estimate = Array(text.utf8).withUnsafeBytes { LineIndex.estimatedLines(inBytes: bytes, sample: $0) }
            #expect(estimate == expected, Comment(rawValue: text.debugDescription))
        }
    }

    /// The eight-at-a-time byte count against a plain loop, at the lengths around a word.
    @Test func testByteCountMatchesAPlainLoop() {
        var generator = SplitMix64(seed: 385)
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000] {
            let bytes = (0..<length).map { _ in [UInt8(0x22), 0x2C, 0x0A, 0xE4, 0xA2][Int.random(in: 0..<5, using: &generator)] }
            bytes.withUnsafeBytes { raw in
                #expect(ByteCount.occurrences(of: 0x22, in: raw) == bytes.filter { $0 == 0x22 }.count, Comment(rawValue: "length \(length)"))
            }
        }
    }
}
