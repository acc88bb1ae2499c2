@testable import CSVIngest
import Columnar
import Foundation
import PingchaTestSupport
import Testing

/// A big file that starts as UTF-8 is parsed at once, checked as UTF-8 by the thread that hashes
/// it (`CSVLoader.loadAsUTF8`), its chunk cuts placed by a guess at the quotes
/// (`ChunkedLoad.guessInsideQuotes`). Loads given a chunk size take that path for small files.
struct SpeculativeUTF8Tests {
    /// 700 KB of ASCII and 甲 (E7 94 B2), then `edits` applied, written and mapped.
    static func text(_ edits: [(offset: Int, bytes: [UInt8])], mark: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = mark ? [0xEF, 0xBB, 0xBF] : []
        var line = 0
        while bytes.count < 700_000 {
            bytes += Array("行\(line),甲乙,\(line % 97)\n".utf8)
            line += 1
        }
        for edit in edits { bytes.replaceSubrange(edit.offset..<(edit.offset + edit.bytes.count), with: edit.bytes) }
        return bytes
    }

    /// The hashing thread's check of 256 KiB blocks with the last character carried over equals
    /// the scalar check of the whole text, wherever a bad byte or a split character falls (the
    /// blocks' edges at 262,144 and 524,288 among them), and its digest is the one of all the bytes at once.
    @Test func theHashingThreadChecksAsTheWholeTextIsChecked() throws {
        let edge = 256 << 10
        var cases: [(label: String, bytes: [UInt8], from: Int)] = [("valid", Self.text([]), 0), ("valid after a mark", Self.text([], mark: true), 3)]
        for offset in [0, 100, edge - 2, edge - 1, edge, edge + 1, 2 * edge - 1, 2 * edge, 699_999] {
            cases.append(("FF at \(offset)", Self.text([(offset, [0xFF])]), 0))
            cases.append(("甲 at \(offset)", Self.text([(min(offset, 699_997), [0xE7, 0x94, 0xB2])]), 0))
            cases.append(("cut 甲 at \(offset)", Self.text([(min(offset, 699_997), [0xE7, 0x94, 0x41])]), 0))
            cases.append(("lone continuation at \(offset)", Self.text([(offset, [0x94])], mark: true), 3))
        }
        for (index, item) in cases.enumerated() {
            let path = Fixtures.write(item.bytes, name: "speculative-hash-\(index).csv")
            let file = try MappedFile(path: path)
            let (hex, check) = CSVLoader.sha256Hex(readingFile: path, as: file.bytes, checkingUTF8From: item.from)
            let expected = item.bytes.withUnsafeBytes { EncodingDetector.checkUTF8Scalar(UnsafeRawBufferPointer(rebasing: $0[item.from...])) }
            #expect(check == expected, "\(item.label)")
            #expect(hex == item.bytes.withUnsafeBytes { CSVLoader.sha256Hex($0) }, "\(item.label)")
        }
    }

    /// A file that is UTF-8 past its first 64 KiB (which the load checks before it parses) and
    /// then holds a byte that is not: the error names that line, as the load that checks the
    /// whole file first names it.
    @Test func aFileThatStopsBeingUTF8LateIsNamedAtItsLine() throws {
        var lines = ["编号,单位,分数"]
        for row in 0..<8000 { lines.append("A\(row),甲局,\(row % 100)") }
        var bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        // Line 6001 is data row 5999: its unit's first byte made invalid.
        let lineStart = Array((lines[..<6000].joined(separator: "\n") + "\n").utf8).count
        bytes[lineStart + "A5999,".utf8.count] = 0xFF
        let path = Fixtures.write(bytes, name: "speculative-late.csv")
        #expect(lineStart > 1 << 16)
        func error(threads: Int, chunkBytes: Int?) -> PingchaError? {
            do {
                _ = try TestFiles.load(path, threads: threads, chunkBytes: chunkBytes)
                return nil
            } catch {
                return error as? PingchaError
            }
        }
        let chunked = error(threads: 2, chunkBytes: 50_000)
        let serial = error(threads: 1, chunkBytes: nil)
        #expect(chunked?.location?.line == 6001)
        #expect(chunked?.message.en == serial?.message.en && chunked?.location == serial?.location)
    }

    /// A GB18030 file whose first 64 KiB are ASCII starts down the UTF-8 path; the hashing
    /// thread's check turns it back, and it loads as GB18030. 甲 is BC D7, 乙 D2 D2.
    @Test func aGB18030FileWithAnASCIIHeadLoadsAsGB18030() throws {
        var bytes = Array("id,name\n".utf8)
        var row = 0
        while bytes.count < 80_000 {
            bytes += Array("\(row),abc\n".utf8)
            row += 1
        }
        bytes += Array("\(row),".utf8) + [0xBC, 0xD7, 0xD2, 0xD2] + Array("\n".utf8)
        let path = Fixtures.write(bytes, name: "speculative-gb18030.csv")
        let loaded = try TestFiles.load(path, threads: 2, chunkBytes: 20_000)
        #expect(loaded.source.encoding == .gb18030)
        #expect(loaded.table.rowCount == row + 1)
        #expect(loaded.table.columns[1].value(at: row).plainText == "甲乙")
        #expect(loaded.table.columns[1].value(at: 0).plainText == "abc")
    }

    /// Where the guess puts a cut point, in text whose quotes are known.
    @Test func quotesAfterACutTellWhetherItLiesInsideQuotes() {
        func guess(_ text: String, at offset: Int) -> Bool {
            Array(text.utf8).withUnsafeBytes { ChunkedLoad.guessInsideQuotes(in: $0, at: offset, delimiter: 0x2C) }
        }
        // a,"b,c",d — offset 4 is the comma inside the quotes; the next quote closes the field.
        #expect(guess("a,\"b,c\",d\n", at: 4) == true)
        // From the start, the first quote opens a field.
        #expect(guess("a,\"b,c\",d\n", at: 0) == false)
        // A quote inside unquoted text tells nothing, and no other follows: outside.
        #expect(guess("x,5\"3,y\nz\n", at: 0) == false)
        // Doubled quotes tell nothing; the quote after them closes the field.
        #expect(guess("a,\"he said \"\"hi\"\"\",b\n", at: 6) == true)
        // A quote at the very end closes a field.
        #expect(guess("abc\"", at: 0) == true)
        #expect(guess("plain,text\nonly\n", at: 3) == false)
    }

    /// Every field quoted, some holding line breaks and delimiters, cut into chunks small enough
    /// that cuts fall inside quotes: the chunks give the serial libcsv reading's table.
    @Test func quotedFilesCutByGuessReadAsTheSerialReading() {
        var lines = ["\"编号\",\"备注\",\"分数\""]
        for row in 0..<3000 {
            let note = row % 7 == 0 ? "第一行\n第二行, 有逗号" : (row % 5 == 0 ? "说\"\"好\"\"" : "甲局,乙局")
            lines.append("\"A\(row)\",\"\(note)\",\"\(row % 100)\"")
        }
        let path = Fixtures.write(lines.joined(separator: "\r\n") + "\r\n", name: "speculative-quoted.csv")
        ParserTwinTests.assertTwins(path, "quoted", chunkSizes: [997, 10_000, 40_000])
    }
}
