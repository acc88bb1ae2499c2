import Foundation
import PingchaTestSupport
import Testing

/// The case-file rules of DOMAIN.md §2.1 that look at the review under acceptance: R0.3 on the
/// review year or the drawn files, the reading of the 70 line, and the files scoring 0. Expected
/// values are worked out by hand from Datasets/sample (EXPECTED.md, "Rules, part 3").
@Suite struct ReviewedCaseFilesCommandTests {

    static func responsibility(_ extra: [String]) throws -> (rows: [String: [String: Any]], r03: [String: String], rules: [String: Any]) {
        let object = try PingchaRunner.json(["standard", "score", Fixtures.sample + "acceptance.csv", "--standard", "responsibility-2022",
                               "--cases", Fixtures.sample + "cases.csv", "--details"] + extra)
        let rows = Dictionary(uniqueKeysWithValues: PingchaRunner.rows(object).map { ($0["unit"] as! String, $0) })
        let r03 = Dictionary(uniqueKeysWithValues: PingchaRunner.rows(object, "details").filter { $0["item"] as? String == "R0.3" }
            .map { ($0["unit"] as! String, $0["note"] as! String) })
        return (rows, r03, (object["provenance"] as! [String: Any])["rules"] as! [String: Any])
    }

    /// The sheet's two units under the responsibility standard. Files at or below 70:
    /// WYSJ-2023-001 69.9 (2023); YCSJ-2024-001 70.0 and YCSJ-2024-002 69.9 (2024).
    @Test func r03LooksAtTheLatestReviewYearByDefault() throws {
        let (rows, r03, rules) = try Self.responsibility([])
        #expect(rules["r03_reviewed"] as? Int == 2024)
        #expect(rules["line_reading"] as? String == "below")
        #expect(r03["舞阳县市场监督管理局"] == "")
        #expect(r03["郾城区市场监督管理局"] == "2024 年度评查中 1 件低于 70 分：YCSJ-2024-002")
        #expect(!(rows["舞阳县市场监督管理局"]!["ineligible_reasons"] as! String).contains("R0.3"))
        #expect((rows["郾城区市场监督管理局"]!["ineligible_reasons"] as! String).hasPrefix("R0.3 "))
    }

    @Test func r03LooksAtTheYearGiven() throws {
        let (rows, r03, rules) = try Self.responsibility(["--year", "2023"])
        #expect(rules["r03_reviewed"] as? Int == 2023)
        #expect(r03["舞阳县市场监督管理局"] == "2023 年度评查中 1 件低于 70 分：WYSJ-2023-001")
        #expect((rows["舞阳县市场监督管理局"]!["ineligible_reasons"] as! String).hasPrefix("R0.3 "))
        // 郾城区's 2023 files all pass: R0.4 alone makes it ineligible.
        #expect(r03["郾城区市场监督管理局"] == "")
        #expect(!(rows["郾城区市场监督管理局"]!["ineligible_reasons"] as! String).contains("R0.3"))
        #expect((rows["郾城区市场监督管理局"]!["ineligible_reasons"] as! String).hasPrefix("R0.4 "))
    }

    @Test func theCivilCodeReadingMakesSeventyUnqualified() throws {
        let rulesFile = Fixtures.path("at-or-below.json")
        _ = FileManager.default.createFile(atPath: rulesFile, contents: Data(#"{"case_review": {"line_reading": "at_or_below"}}"#.utf8))
        let (_, r03, rules) = try Self.responsibility(["--rules", rulesFile])
        #expect(rules["line_reading"] as? String == "at_or_below")
        #expect(r03["郾城区市场监督管理局"] == "2024 年度评查中 2 件为 70 分及以下：YCSJ-2024-001、YCSJ-2024-002")
        // The pass rate reads the line the same way: 漯河市城市管理局 scores 70 75.5 82 91.5 87 70, so its
        // two 70s are unqualified: 4/6 (it is 6/6 under the default reading).
        let passRate = PingchaRunner.rows(try PingchaRunner.json(["cases", "pass-rate", Fixtures.sample + "cases.csv", "--by", "unit", "--rules", rulesFile]))
        let bureau = passRate.first { $0["unit"] as? String == "漯河市城市管理局" }!
        #expect(bureau["unqualified"] as? Int == 2)
        #expect(abs((bureau["pass_rate"] as! Double) - 4.0 / 6.0) < 1e-12)
        let byDefault = PingchaRunner.rows(try PingchaRunner.json(["cases", "pass-rate", Fixtures.sample + "cases.csv", "--by", "unit"]))
        #expect(byDefault.first { $0["unit"] as? String == "漯河市城市管理局" }!["unqualified"] as? Int == 0)
    }

    /// A case-file draw of 2023 (2 per unit, seed 2025-07-01|cases-01) draws WYSJ-2023-001 and
    /// WYSJ-2023-002 for 舞阳县市场监督管理局 (its two 2023 files) and YCSJ-2023-001, YCSJ-2023-002 for 郾城区.
    @Test func r03LooksAtTheDrawnFiles() throws {
        let record = Fixtures.path("r03-case-draw.json")
        let draw = PingchaRunner.run(["draw", Fixtures.sample + "cases.csv", "--count", "2", "--seed", "2025-07-01|cases-01",
                                         "--where", "评查年度 = 2023", "--record", record])
        #expect(draw.status == 0, "\(draw.stderr)")
        let (rows, r03, rules) = try Self.responsibility(["--draw-record", record])
        // 19 files of 2023 in 9 units; 河南省交通运输厅 has one, the others two or more: 1 + 8 × 2 = 17 drawn.
        #expect((rules["r03_reviewed"] as? String)?.hasPrefix("抽取的 17 件案卷") == true)
        #expect(r03["舞阳县市场监督管理局"] == "抽取的案卷中 1 件低于 70 分：WYSJ-2023-001")
        #expect((rows["舞阳县市场监督管理局"]!["ineligible_reasons"] as! String).hasPrefix("R0.3 "))
        #expect(r03["郾城区市场监督管理局"] == "")
        // Both --year and a case-file record: refused, R0.3 looks at one set.
        let both = PingchaRunner.run(["standard", "score", Fixtures.sample + "acceptance.csv", "--standard", "responsibility-2022",
                                         "--cases", Fixtures.sample + "cases.csv", "--draw-record", record, "--year", "2023", "--lang", "en"])
        #expect(both.status == 64)
        #expect(both.stderr.contains("--year and a case-file draw record cannot be used together"))
    }

    /// Files scoring 0, per unit then line, with the line they stand on.
    @Test func auditListsTheFilesScoringZero() throws {
        let path = Fixtures.path("zero-score.csv")
        let text = """
            案卷编号,省辖市,县区,执法单位,单位层级,执法领域,案件类型,程序类型,重大案件,违法行为,决定日期,备案日期,评查得分,评查年度
            B-2024-001,漯河市,,乙局,市级,城市管理,行政处罚,普通程序,否,乱倒垃圾,2024-03-01,,0,2024
            A-2024-001,漯河市,,甲局,市级,城市管理,行政处罚,普通程序,否,乱倒垃圾,2024-03-02,,88,2024
            A-2024-002,漯河市,,甲局,市级,城市管理,行政处罚,普通程序,否,乱倒垃圾,2024-03-03,,0.0,2024
            A-2024-003,漯河市,,甲局,市级,城市管理,行政处罚,普通程序,否,乱倒垃圾,2024-03-04,,0.1,2024
            A-2024-004,漯河市,,甲局,市级,城市管理,行政处罚,普通程序,否,乱倒垃圾,2024-03-05,,0,2024

            """
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let zero = PingchaRunner.rows(try PingchaRunner.json(["cases", "audit", path]), "zero_score")
        // Units in code-point order (乙 U+4E59 before 甲 U+7532), then by line.
        #expect(zero.map { $0["case_id"] as! String } == ["B-2024-001", "A-2024-002", "A-2024-004"])
        #expect(zero.map { $0["unit"] as! String } == ["乙局", "甲局", "甲局"])
        #expect(zero.map { $0["line"] as! Int } == [2, 4, 6])
        // The sample has none: its lowest score is 58.5.
        #expect(PingchaRunner.rows(try PingchaRunner.json(["cases", "audit", Fixtures.sample + "cases.csv"]), "zero_score").isEmpty)
    }
}
