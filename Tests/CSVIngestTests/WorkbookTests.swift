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
}
