import Foundation
import PingchaTestSupport
import Testing

/// The enforcement competition (`competition`) on `Datasets/sample`, held to the values worked by hand in
/// `Datasets/sample/EXPECTED.md`.
@Suite struct CompetitionCommandTests {
    @Test func competitionRanksWithTieAndMisconduct() throws {
        let rows = PingchaRunner.rows(try PingchaRunner.json(["competition", Fixtures.sample + "competition.csv", "--tests", Fixtures.sample + "tests.csv",
                                            "--roster", Fixtures.sample + "roster.csv"]))
        #expect(rows.map { $0["team"] as! String } == ["河南省市场监督管理局", "漯河市", "平顶山市", "许昌市", "河南省交通运输厅", "济源示范区"])
        #expect(rows.map { $0["rank"] as! Int } == [1, 2, 3, 3, 5, 6])
        #expect(rows.map { $0["score"] as! Double } == [88.5, 84.8, 82, 82, 77, 0])
        #expect(rows.map { $0["theory_average"] as! Double } == [88.5, 83, 85, 79, 80, 91])
        #expect(rows.map { $0["misconduct"] as! Bool } == [false, false, false, false, false, true])
        #expect(rows[0]["simulation"] is NSNull)
    }

    @Test func competitionScoresAreExactDecimals() throws {
        // Theory 80.1, 80.2, 80.2 → 240.5/3 = 80.1666…; × 0.4 = 32.0666…; simulation 70.05 × 0.6 = 42.03;
        // 74.0966… publishes as 74.10. A binary-float sum would be the same here, but 0.1 steps
        // must never drift: 80.35 theory only publishes as 80.35, not 80.34999.
        let competition = Fixtures.path("exact-competition.csv")
        _ = FileManager.default.createFile(atPath: competition, contents: Data("参赛队伍,参赛类别,模拟执法得分,违规\n甲市,理论+模拟,70.05,否\n乙市,仅理论,,否\n".utf8))
        let roster = Fixtures.path("exact-roster.csv")
        _ = FileManager.default.createFile(atPath: roster, contents: Data(
            "证件号,姓名,省辖市,县区,执法单位,单位层级,处(科)室,职务,职级,身份类别,证件类型,证件状态,本年度办案数\nA1,甲,甲市,,甲局,市级,,,,公务员,执法证,有效,1\nA2,乙,甲市,,甲局,市级,,,,公务员,执法证,有效,1\nA3,丙,甲市,,甲局,市级,,,,公务员,执法证,有效,1\nB1,丁,乙市,,乙局,市级,,,,公务员,执法证,有效,1\nB2,戊,乙市,,乙局,市级,,,,公务员,执法证,有效,1\n".utf8))
        let tests = Fixtures.path("exact-tests.csv")
        _ = FileManager.default.createFile(atPath: tests, contents: Data(
            "证件号,执法单位,测试类型,测试日期,得分\nA1,甲局,理论测试,2024-09-20,80.1\nA2,甲局,理论测试,2024-09-20,80.2\nA3,甲局,理论测试,2024-09-20,80.2\nB1,乙局,理论测试,2024-09-20,80.3\nB2,乙局,理论测试,2024-09-20,80.4\n".utf8))
        let rows = PingchaRunner.rows(try PingchaRunner.json(["competition", competition, "--tests", tests, "--roster", roster]))
        #expect(rows.map { $0["team"] as! String } == ["乙市", "甲市"])
        #expect(rows.map { $0["score"] as! Double } == [80.35, 74.1])
    }
}
