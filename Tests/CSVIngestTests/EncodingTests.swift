import CSVIngest
import Columnar
import Foundation
import PingchaTestSupport
import Testing

@Suite struct EncodingTests {
    static let text = "执法单位,评查得分,备注\n舞阳县城市管理局,69.9,\"占道经营，已整改\"\n漯河市交通运输局,70.0,\n"

    @Test func bomIsStrippedWithUnquotedAndQuotedFirstHeader() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let plain = try TestFiles.load(Fixtures.write(bom + Array(Self.text.utf8), name: "bom.csv"))
        #expect(plain.source.encoding == .utf8BOM)
        #expect(TestFiles.headers(plain.table) == ["执法单位", "评查得分", "备注"])
        let quotedText = "\"执法单位\",评查得分,备注\n舞阳县城市管理局,69.9,x\n"
        let quoted = try TestFiles.load(Fixtures.write(bom + Array(quotedText.utf8), name: "bomq.csv"))
        #expect(TestFiles.headers(quoted.table) == ["执法单位", "评查得分", "备注"])
        #expect(quoted.table.column(named: "执法单位") != nil)
    }

    @Test func gb18030TwinGivesTheSameTable() throws {
        let gbBytes = try #require(GB18030.encode(Self.text))
        #expect(gbBytes != Array(Self.text.utf8))
        let utf8 = try TestFiles.load(Fixtures.write(Self.text, name: "u.csv"))
        let gb = try TestFiles.load(Fixtures.write(gbBytes, name: "g.csv"))
        #expect(gb.source.encoding == .gb18030)
        #expect(utf8.source.encoding == .utf8)
        #expect(TestFiles.headers(gb.table) == TestFiles.headers(utf8.table))
        #expect(TestFiles.cells(gb.table) == TestFiles.cells(utf8.table))
        #expect(TestFiles.cells(gb.table)[0] == ["舞阳县城市管理局", "69.9", "占道经营，已整改"])
    }

    @Test func utf16WithBOMIsTabSeparated() throws {
        let tsv = "执法单位\t评查得分\n舞阳县城市管理局\t69.9\n"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in tsv.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let loaded = try TestFiles.load(Fixtures.write(bytes, name: "u16.txt"))
        #expect(loaded.source.encoding == .utf16LE)
        #expect(TestFiles.cells(loaded.table) == [["舞阳县城市管理局", "69.9"]])
    }

    @Test func switchingEncodingHalfWayNamesTheLine() throws {
        let head = Array("执法单位,评查得分\n舞阳县城市管理局,69.9\n".utf8)
        let tail = try #require(GB18030.encode("漯河市交通运输局,70\n"))
        let error = try #require(TestFiles.loadError(Fixtures.write(head + tail, name: "mixed.csv")))
        #expect(error.kind == .data)
        #expect(error.location?.line == 3)
    }

    /// A byte-order mark says UTF-8; GBK bytes after it are an error at their line, not
    /// replacement characters in the table.
    @Test func invalidAfterAByteOrderMarkIsAnError() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let head = Array("执法单位,评查得分\n舞阳县城市管理局,69.9\n".utf8)
        let tail = try #require(GB18030.encode("漯河市交通运输局,70\n"))
        let error = try #require(TestFiles.loadError(Fixtures.write(bom + head + tail, name: "bom-mixed.csv")))
        #expect(error.kind == .data)
        #expect(error.location?.line == 3)
        #expect(error.message.en.contains("byte-order mark"))
        // The same bytes named as UTF-8 with a mark: the same line.
        let namedPath = Fixtures.write(bom + head + tail, name: "bom-mixed2.csv")
        #expect(throws: PingchaError.self) { try TestFiles.load(namedPath, encoding: .utf8BOM) }
        do {
            _ = try TestFiles.load(namedPath, encoding: .utf8BOM)
        } catch let named as PingchaError {
            #expect(named.location?.line == 3)
        }
    }

    @Test func invalidInEveryEncodingIsAnError() throws {
        // 0xFF is never valid in UTF-8, and a lone trailing GB lead byte cannot decode.
        let bytes = Array("a,b\n1,2\n".utf8) + [0x31, 0x2C, 0xFF]
        let error = try #require(TestFiles.loadError(Fixtures.write(bytes, name: "bad.csv")))
        #expect(error.kind == .data)
        #expect(error.location?.line == 3)
    }
}

/// GB18030 bytes made by Python's codec (`text.encode("gb18030").hex()`), independent of iconv.
enum GB18030 {
    static let known: [String: String] = [
        EncodingTests.text: "d6b4b7a8b5a5cebb2cc6c0b2e9b5c3b7d62cb1b8d7a20acee8d1f4cfd8b3c7cad0b9dcc0edbed62c36392e392c22d5bcb5c0beadd3aaa3acd2d1d5fbb8c4220ae4f0bad3cad0bdbbcda8d4cbcae4bed62c37302e302c0a",
        "漯河市交通运输局,70\n": "e4f0bad3cad0bdbbcda8d4cbcae4bed62c37300a",
    ]

    static func encode(_ text: String) -> [UInt8]? {
        known[text].map { Fixtures.bytes(hex: $0) }
    }
}
