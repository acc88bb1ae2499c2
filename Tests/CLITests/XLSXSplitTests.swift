import CSVIngest
import Columnar
@testable import Reporting
import Foundation
import PingchaTestSupport
import Testing

/// A table longer than an Excel sheet holds goes on as many sheets as it needs, each with its
/// header, and the 说明 sheet says so. The limit is lowered to 4 rows here (it is 1,048,575);
/// the workbook is read back with pingcha's own XLSX reader.
@Suite(.serialized) struct XLSXSplitTests {
    @Test func aLongTableIsSplitAcrossSheets() throws {
        let saved = XLSXRenderer.rowsPerSheet
        XLSXRenderer.rowsPerSheet = 4
        defer { XLSXRenderer.rowsPerSheet = saved }
        let table = ResultTable(title: LocalizedText(zh: "测试表", en: "Test table"),
                                columns: [ResultColumn(key: "n", zh: "序号", en: "No.", format: .integer),
                                          ResultColumn(key: "id", zh: "证件号", en: "ID", format: .text)],
                                rows: (1...10).map { [.int(Int64($0)), .text(String(format: "00%02d", $0))] })
        let report = Report(table: table, provenance: Provenance(command: "test", inputs: [], settings: [], exclusions: []))
        let path = Fixtures.path("split.xlsx")
        try XLSXRenderer.write(report, language: .zh, to: path)
        func sheet(_ name: String) throws -> [[String]] {
            var options = LoadOptions()
            options.sheet = name
            options.noSchema = true
            let loaded = try CSVLoader.load(path: path, options: options)
            return (0..<loaded.table.rowCount).map { row in loaded.table.columns.map { $0.value(at: row).plainText } }
        }
        #expect(try sheet("测试表 (1)") == [["1", "0001"], ["2", "0002"], ["3", "0003"], ["4", "0004"]])
        #expect(try sheet("测试表 (2)") == [["5", "0005"], ["6", "0006"], ["7", "0007"], ["8", "0008"]])
        #expect(try sheet("测试表 (3)") == [["9", "0009"], ["10", "0010"]])
        // The IDs stay text ("0001", not 1) through the writer and the reader.
        let about = try sheet("说明").joined().joined()
        #expect(about.contains("「测试表」共 10 行，超过 Excel 每个工作表 1,048,576 行的上限，已分为 3 个工作表，每个至多 4 行数据。"))
    }
}
