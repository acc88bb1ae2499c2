@testable import CSVIngest
import Columnar
import Testing

/// The pieces of the workbook reader worked out by hand: date serials in both systems, which
/// formats are dates, cell references, the XML scanner across chunk cuts, and the place a
/// message names.
@Suite struct WorkbookTests {
    @Test func dateSerialsInBothSystems() {
        // 1900 system: serial 1 is 1900-01-01; 60 is Excel's 1900-02-29 (a day that never was);
        // 61 is 1900-03-01; 45000 is 2023-03-15 (25569 is 1970-01-01: 45000 − 25569 = 19431 days).
        #expect(XLSXWorkbook.dateText(serial: 1, date1904: false) == "1900-01-01")
        #expect(XLSXWorkbook.dateText(serial: 59, date1904: false) == "1900-02-28")
        #expect(XLSXWorkbook.dateText(serial: 60, date1904: false) == "1900-02-29")
        #expect(XLSXWorkbook.dateText(serial: 61, date1904: false) == "1900-03-01")
        #expect(XLSXWorkbook.dateText(serial: 25569, date1904: false) == "1970-01-01")
        #expect(XLSXWorkbook.dateText(serial: 45000, date1904: false) == "2023-03-15")
        #expect(XLSXWorkbook.dateText(serial: 45000.5, date1904: false) == "2023-03-15 12:00:00")
        // A time a hair short of midnight rounds to the next day, not to 24:00:00.
        #expect(XLSXWorkbook.dateText(serial: 45000.999999999, date1904: false) == "2023-03-16")
        #expect(XLSXWorkbook.dateText(serial: 0.75, date1904: false) == "18:00:00")
        // 1904 system: serial 0 is 1904-01-01, so the same serial is 1462 days later.
        #expect(XLSXWorkbook.dateText(serial: 0, date1904: true) == "1904-01-01")
        #expect(XLSXWorkbook.dateText(serial: 45000 - 1462, date1904: true) == "2023-03-15")
    }

    /// The fast date writer gives the same text as `dateText` (its reference).
    @Test func fastDatesMatchTheReference() {
        for date1904 in [false, true] {
            for serial in [0.0, 1, 59, 60, 61, 366, 1462, 25569, 36526, 45000, 45000.25, 60000, 2_958_465, -1] {
                var bytes: [UInt8] = []
                XLSXWorkbook.appendDate(serial: serial, date1904: date1904, to: &bytes)
                #expect(String(decoding: bytes, as: UTF8.self) == XLSXWorkbook.dateText(serial: serial, date1904: date1904), "\(serial) \(date1904)")
            }
        }
        // strtod reads what the sheet writes.
        for (text, value) in [("84.599999999999994", 84.6), ("1.5E-3", 0.0015), ("-12", -12.0)] {
            #expect(Array(text.utf8).withUnsafeBytes { XLSXWorkbook.double($0) } == value)
        }
        #expect(Array("12abc".utf8).withUnsafeBytes { XLSXWorkbook.double($0) } == nil)
    }

    @Test func dateFormats() {
        #expect(XLSXWorkbook.isDateFormat(id: 14, code: nil))
        #expect(XLSXWorkbook.isDateFormat(id: 57, code: nil))
        #expect(!XLSXWorkbook.isDateFormat(id: 4, code: nil))
        #expect(XLSXWorkbook.isDateFormat(id: 164, code: "yyyy\"年\"m\"月\"d\"日\""))
        #expect(XLSXWorkbook.isDateFormat(id: 165, code: "[$-F800]dddd, mmmm dd, yyyy"))
        #expect(!XLSXWorkbook.isDateFormat(id: 166, code: "0.00_);[Red](0.00)"))
        #expect(!XLSXWorkbook.isDateFormat(id: 167, code: "\"Days\" 0"))
        #expect(!XLSXWorkbook.isDateFormat(id: 168, code: "#,##0\\d"))
    }

    @Test func cellReferencesAndPlaces() {
        // Past Excel's last column (XFD) a reference means nothing (the fuzzer's "ACCCC…" overflowed).
        for reference in ["XFE1", "AAAA1", "A" + String(repeating: "C", count: 60) + "1"] {
            #expect(Array(reference.utf8).withUnsafeBytes { XLSXWorkbook.column(ofReference: $0) } == nil)
        }
        for (reference, column) in [("A1", 0), ("Z9", 25), ("AA10", 26), ("XFD1048576", 16383)] {
            let parsed = Array(reference.utf8).withUnsafeBytes { XLSXWorkbook.column(ofReference: $0) }
            #expect(parsed == column, "\(reference)")
            #expect(SourceLocation.columnLetters(column) == String(reference.prefix { $0.isLetter }))
        }
        #expect(SourceLocation(path: "roster.xlsx", line: 17, column: 3, sheet: "名册").description == "roster.xlsx:名册!C17")
        #expect(SourceLocation(path: "roster.xlsx", line: 17, sheet: "名册").description == "roster.xlsx:名册!17:17")
        #expect(SourceLocation(path: "roster.csv", line: 17, column: 3).description == "roster.csv:17:3")
    }

    /// The scanner gives the same events whatever the chunk cuts, entities decoded.
    @Test func scannerAcrossEveryCut() {
        let xml = Array("<?xml version=\"1.0\"?><row r=\"2\"><c r=\"B2\" t='s'><v>1&amp;2</v></c><!-- x > y --><c/><t>&#x4E2D;&lt;</t></row>".utf8)
        func events(cut: Int) -> [String] {
            var scanner = XMLScanner()
            var seen: [String] = []
            let record = { (event: XMLScanner.Event) -> Bool in
                switch event {
                case .start(let name, let attributes, let selfClosing):
                    let reference = XMLScanner.attribute("r", in: attributes).map { String(decoding: $0, as: UTF8.self) } ?? "-"
                    seen.append("<\(String(decoding: name, as: UTF8.self)) \(reference)\(selfClosing ? "/" : "")>")
                case .end(let name): seen.append("</\(String(decoding: name, as: UTF8.self))>")
                case .text(let text): seen.append(XMLScanner.decodedString(text))
                }
                return true
            }
            xml.withUnsafeBytes { bytes in
                scanner.feed(UnsafeRawBufferPointer(rebasing: bytes[0..<cut]), record)
                scanner.feed(UnsafeRawBufferPointer(rebasing: bytes[cut...]), final: true, record)
            }
            // Text split by a cut arrives in pieces; join neighbours for the comparison.
            var joined: [String] = []
            for item in seen {
                if !item.hasPrefix("<"), let last = joined.last, !last.hasPrefix("<") { joined[joined.count - 1] += item } else { joined.append(item) }
            }
            return joined
        }
        let expected = ["<row 2>", "<c B2>", "<v ->", "1&2", "</v>", "</c>", "<c -/>", "<t ->", "中<", "</t>", "</row>"]
        for cut in 0...xml.count {
            #expect(events(cut: cut) == expected, "cut at \(cut)")
        }
    }

    /// The sheet scanner gives the same rows wherever the part is cut into chunks (a tag, an
    /// attribute, an entity or a value split across two chunks), and those rows are the ones
    /// worked out by hand.
    @Test func sheetRowsAcrossEveryCut() {
        let xml = Array(("<?xml version=\"1.0\"?><worksheet><sheetData>"
            + "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"inlineStr\"><is><t>甲&amp;乙</t></is></c></row>"
            + "<row r=\"3\" spans=\"1:3\"><c r=\"B3\" s=\"1\"><v>45000</v></c><c r=\"C3\"><f>A1*2</f><v>84.599999999999994</v></c>"
            + "<c r=\"D3\" t=\"b\"><v>1</v></c><c r=\"E3\" t='e'><v>#N/A</v></c></row>"
            + "<row r=\"4\"/><row r=\"5\"><c r=\"A5\" t=\"str\"><v>a&lt;b</v></c></row>"
            + "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:C1\"/></mergeCells></worksheet>").utf8)
        let cells = XLSXWorkbook.CellDecoder(sharedStrings: [Array("零".utf8), Array("一".utf8)], dateStyles: [false, true], date1904: false)
        func rows(cut: Int?) -> [String] {
            var parser = SheetParser(cells: cells)
            var seen: [String] = []
            let emit = { (row: XLSXWorkbook.Row) -> Bool in
                seen.append("\(row.number):" + (0..<row.count).map { "\(row.columns[$0])=\(row.string($0))" }.joined(separator: ","))
                return true
            }
            xml.withUnsafeBytes { bytes in
                if let cut {
                    _ = parser.feed(UnsafeRawBufferPointer(rebasing: bytes[0..<cut]), final: false, emit)
                    _ = parser.feed(UnsafeRawBufferPointer(rebasing: bytes[cut...]), final: false, emit)
                } else {
                    _ = parser.feed(bytes, final: false, emit)
                }
                _ = parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), final: true, emit)
            }
            return seen
        }
        // Shared string 1 is 一; 45000 in a date style is 2023-03-15; 84.599999999999994 is 84.6.
        let expected = ["1:0=一,2=甲&乙", "3:1=2023-03-15,2=84.6,3=true,4=#N/A", "4:", "5:0=a<b"]
        // A number outside Excel's dates in a date style stays a number (it trapped the date code).
        var parser = SheetParser(cells: cells)
        var dated: [String] = []
        Array("<row r=\"1\"><c s=\"1\"><v>1E300</v></c><c s=\"1\"><v>-3</v></c><c s=\"1\"><v>2958465</v></c></row>".utf8).withUnsafeBytes {
            _ = parser.feed($0, final: true) { row in
                dated = (0..<row.count).map { row.string($0) }
                return true
            }
        }
        #expect(dated == ["1e+300", "-3", "9999-12-31"])
        #expect(rows(cut: nil) == expected)
        for cut in 0...xml.count {
            #expect(rows(cut: cut) == expected, "cut at \(cut)")
        }
    }
}
