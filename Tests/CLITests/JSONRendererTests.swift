import Columnar
import Reporting
import Testing

/// The JSON text of a report, written out by hand: keys in column order, every kind of cell (a
/// text needing escapes, CJK as it is, numbers, a NaN and an infinity as null, a date, a
/// timestamp, 是/否, null), two sections, a note, and the provenance after them.
@Suite struct JSONRendererTests {
    @Test func theTextIsExactlyTheDocument() {
        let cells = ResultTable(title: LocalizedText(zh: "表", en: "table"), columns: [
            ResultColumn(key: "unit", zh: "单位", en: "Unit", format: .text),
            ResultColumn(key: "n", zh: "数", en: "N", format: .integer),
            ResultColumn(key: "score", zh: "分", en: "Score", format: .number),
            ResultColumn(key: "day", zh: "日", en: "Day", format: .date),
            ResultColumn(key: "flag", zh: "是否", en: "Flag", format: .bool),
        ], rows: [
            [.text("甲\"局\\\n\t\u{1}"), .int(-3), .double(84.6), .date(19_158), .bool(true)],
            [.null, .int(0), .double(.nan), .timestamp(1_655_289_000), .bool(false)],
            [.text("乙"), .null, .double(-.infinity), .null, .null],
        ])
        let empty = ResultTable(title: LocalizedText(zh: "空", en: "empty"), columns: [ResultColumn(key: "x", zh: "x", en: "x", format: .text)], rows: [])
        let provenance = Provenance(command: "test", inputs: [Provenance.Input(path: "a.csv", sha256: "ab", encoding: "utf-8", rows: 3, rejected: 1, blankLines: 2)])
        let report = Report(sections: [Report.Section(key: "rows", table: cells), Report.Section(key: "others", table: empty)],
                            notes: [LocalizedText(zh: "注", en: "a \"note\"")], provenance: provenance)
        // 19,158 days after 1970-01-01 is 2022-06-15; 1,655,289,000 s is 2022-06-15 10:30:00.
        let expected = #"{"rows":[{"unit":"甲\"局\\\n\t\u0001","n":-3,"score":84.6,"day":"2022-06-15","flag":true},"#
            + #"{"unit":null,"n":0,"score":null,"day":"2022-06-15 10:30:00","flag":false},"#
            + #"{"unit":"乙","n":null,"score":null,"day":null,"flag":null}],"others":[],"notes":["a \"note\""],"#
            + #""provenance":{"command":"test","inputs":[{"path":"a.csv","sha256":"ab","encoding":"utf-8","rows":3,"rejected":1,"#
            + #""blank_lines":2,"delimiter":"comma","text_quotes":0,"excel_formulas":0}],"rules":{},"excluded":[],"version":"0.1.0"}}"#
            + "\n"
        #expect(ReportRenderer.render(report, format: .json, language: .en) == expected)
    }
}
