import CSVIngest
import Columnar
import Vocabulary
import PingchaTestSupport
import Testing

@Suite struct TypeInferenceTests {
    @Test func typesComeFromEveryValueOfTheColumn() throws {
        var text = "编号,整数,小数,日期,是否,混合,身份证\n"
        for index in 1...300 {
            text += "\(String(format: "%06d", index)),\(index),\(index).5,2022/6/\(index % 28 + 1),\(index % 2 == 0 ? "是" : "否"),\(index),41010219900101\(1000 + index)\n"
        }
        // One late value that is not a number keeps the whole column text.
        text += "000301,301,301,2022年7月1日,否,三百零一,41010219900101123X\n"
        let table = try TestFiles.load(Fixtures.write(text, name: "types.csv")).table
        #expect(table.columns.map(\.dataType) == [.text, .int64, .float64, .date, .bool, .text, .text])
        #expect(table.columns[0].value(at: 0) == .text("000001"))
        #expect(table.columns[2].value(at: 300) == .double(301))
        #expect(table.columns[3].value(at: 300) == .date(CivilDate.days(year: 2022, month: 7, day: 1)))
        #expect(table.columns[5].value(at: 0) == .text("1"))
        #expect(table.columns[6].value(at: 0) == .text("410102199001011001"))
    }

    @Test func schemaAliasesAnswerInAnyCase() throws {
        let path = Fixtures.write("case_id,UNIT,Score,county\nA-1,甲,80,\n", name: "alias.csv")
        let table = try TestFiles.load(path, schema: .cases).table
        #expect(table.column(named: "执法单位")?.name == "UNIT")
        #expect(table.column(named: "unit")?.name == "UNIT")
        #expect(table.column(named: "评查得分")?.dataType == .float64)
        #expect(table.column(named: "县区")?.isNull(0) == true)
        #expect(ExportSchema.detect(headers: ["case_id", "UNIT", "Score"])?.name == "cases")
        #expect(ExportSchema.detect(headers: ["证件号", "姓名", "执法单位", "证件状态"])?.name == "roster")
        #expect(ExportSchema.detect(headers: ["a", "b"]) == nil)
    }

    @Test func absentTestScoresCountAsZeroAndAreFlagged() throws {
        let path = Fixtures.write("证件号,得分\nZF0001,88\nZF0002,缺考\n", name: "tests.csv")
        let loaded = try TestFiles.load(path, schema: .tests)
        #expect(loaded.source.absent == 1)
        #expect(loaded.table.column(named: "得分")?.value(at: 1) == .double(0))
        #expect(loaded.table.column(named: "absent")?.value(at: 1) == .bool(true))
        #expect(loaded.table.column(named: "absent")?.value(at: 0) == .bool(false))
    }
}
