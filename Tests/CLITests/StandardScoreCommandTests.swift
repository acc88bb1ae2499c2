import Foundation
import PingchaTestSupport
import Testing

/// Standards (`standard score`) on `Datasets/sample`, held to the values worked by hand in
/// `Datasets/sample/EXPECTED.md`.
@Suite struct StandardScoreCommandTests {
    @Test func pingdingshanTotalsVetoCapAndTieAtTheTenthPlace() throws {
        let rows = PingchaRunner.rows(try PingchaRunner.json(["standard", "score", Fixtures.sample + "acceptance.csv", "--standard", "pingdingshan-2019"]))
        // General items total 90 (20 + 20 + 25 + 15 + 10), bonus at most 10.
        let expected: [(String, Double, Int?)] = [
            ("漯河市市场监督管理局", 99, 1), ("河南省市场监督管理局", 93, 2), ("临颍县交通运输局", 88, 3), ("郾城区市场监督管理局", 88, 3),
            ("河南省交通运输厅", 86, 5), ("舞阳县北舞渡镇人民政府", 85.5, 6), ("舞阳县太尉镇人民政府", 85, 7), ("漯河市交通运输局", 84.5, 8),
            ("舞阳县市场监督管理局", 84, 9), ("临颍县城市管理局", 82, 10), ("舞阳县城市管理局", 82, 10), ("漯河市城市管理局", 89, nil),
        ]
        #expect(rows.map { $0["unit"] as! String } == expected.map(\.0))
        #expect(rows.map { $0["total"] as! Double } == expected.map(\.1))
        #expect(rows.map { $0["rank"] as? Int } == expected.map(\.2))
        // Bonus 12 capped at 10; the veto row leaves 漯河市城市管理局 unranked whatever its points.
        #expect(rows[0]["bonus"] as? Double == 10)
        #expect(rows[11]["vetoed"] as? Bool == true)
        #expect(rows[11]["confirmed"] as? Bool == false)
        // Places 1–9 confirmed; the two at 82 straddle the 10th place and are tied, not cut.
        #expect(rows.map { $0["confirmed"] as! Bool } == Array(repeating: true, count: 9) + [false, false, false])
        #expect(rows.map { $0["tied_at_cutoff"] as! Bool } == Array(repeating: false, count: 9) + [true, true, false])
        #expect(rows.allSatisfy { ($0["ineligible_reasons"] as! String).isEmpty && ($0["missing_items"] as! String).isEmpty })
    }

    @Test func deductionLargerThanItsItemStopsAtZero() throws {
        let object = try PingchaRunner.json(["standard", "score", Fixtures.sample + "acceptance.csv", "--standard", "pingdingshan-2019", "--details"])
        let details = PingchaRunner.rows(object, "details")
        let item31 = details.first { $0["unit"] as? String == "舞阳县市场监督管理局" && $0["item"] as? String == "3.1" }!
        #expect(item31["deduction"] as? Double == 8)
        #expect(item31["score"] as? Double == 0)
        let item32 = details.first { $0["unit"] as? String == "临颍县城市管理局" && $0["item"] as? String == "3.2" }!
        #expect(item32["points"] as? Double == 2)
        #expect(item32["score"] as? Double == 0)
    }

    @Test func responsibilityWithEveryExportGiven() throws {
        let record = Fixtures.path("standard-draw.json")
        let draw = PingchaRunner.run(["draw", Fixtures.sample + "roster.csv", "--per", "执法单位", "--count", "5",
                                         "--seed", "2025-06-01|draw-01|4719302685", "--record", record])
        #expect(draw.status == 0, "\(draw.stderr)")
        let object = try PingchaRunner.json(["standard", "score", Fixtures.sample + "acceptance.csv", "--standard", "responsibility-2022",
                                    "--cases", Fixtures.sample + "cases.csv", "--roster", Fixtures.sample + "roster.csv",
                                    "--tests", Fixtures.sample + "tests.csv", "--draw-record", record, "--details"])
        let rows = PingchaRunner.rows(object)
        let byUnit = Dictionary(uniqueKeysWithValues: rows.map { ($0["unit"] as! String, $0) })
        // 舞阳县市场监督管理局: drawn ZF0026 ZF0025 ZF0024 ZF0023 ZF0027 score 81.9 on average → 2.1 = 16.38;
        // 2.5 20 − 3; 2.6 13 of 12 → 0; 3.4 ZF0025 and ZF0026 idle → 0 of 2; bonus 8 → 6;
        // 100 − 3.62 − 3 − 12 − 2 + 6 = 85.38. R0.3 looks at the latest review year, 2024, in which its
        // files all pass (its 69.9, WYSJ-2023-001, is of 2023): eligible, first.
        let wuyang = byUnit["舞阳县市场监督管理局"]!
        #expect(abs((wuyang["total"] as! Double) - 85.38) < 1e-9)
        #expect(wuyang["bonus"] as? Double == 6)
        #expect(wuyang["rank"] as? Int == 1)
        #expect(wuyang["ineligible_reasons"] as? String == "")
        // 郾城区市场监督管理局: four drawn average 83.375 → 16.675; filing one late → 2 of 3; R0.3 (YCSJ-2024-002,
        // 69.9, of 2024) and R0.4.
        let yancheng = byUnit["郾城区市场监督管理局"]!
        #expect(abs((yancheng["total"] as! Double) - 95.675) < 1e-9)
        #expect((yancheng["ineligible_reasons"] as! String).contains("R0.3 "))
        #expect((yancheng["ineligible_reasons"] as! String).contains("R0.4 "))
        #expect(rows.allSatisfy { ($0["missing_items"] as! String).isEmpty })
    }

    @Test func dataItemsWithoutTheirExportsAreMarkedNotScoredFull() throws {
        let rows = PingchaRunner.rows(try PingchaRunner.json(["standard", "score", Fixtures.sample + "acceptance.csv", "--standard", "responsibility-2022",
                                            "--cases", Fixtures.sample + "cases.csv"]))
        let wuyang = rows.first { $0["unit"] as? String == "舞阳县市场监督管理局" }!
        #expect(wuyang["missing_items"] as? String == "R0.2 2.1 3.4")
        // 100 − 20 (2.1 not computed) − 2 (3.4 not computed) − 3 − 12 + 6 = 69.
        #expect(wuyang["total"] as? Double == 69)
        let table = PingchaRunner.run(["standard", "score", Fixtures.sample + "acceptance.csv", "--standard", "responsibility-2022"])
        #expect(table.stdout.contains("注意：有数据项目未计算"))
    }

    @Test func unknownItemCodeIsListedAndCounted() throws {
        let path = Fixtures.path("bad-sheet.csv")
        let text = "申报单位,标准,项目,扣分,加分,否决,说明\n甲局,pingdingshan-2019,9.9,2,,否,不存在的项目\n甲局,pingdingshan-2019,1.1,1,,否,\n甲局,pingdingshan-2019,B,2,,否,加分项扣分\n"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let object = try PingchaRunner.json(["standard", "score", path, "--standard", "pingdingshan-2019"])
        let problems = PingchaRunner.rows(object, "problems")
        #expect(problems.map { $0["line"] as! Int } == [2, 4])
        #expect(problems.map { $0["reason"] as! String } == ["unknown_item", "deduction_on_bonus"])
        #expect(PingchaRunner.rows(object)[0]["total"] as? Double == 89)
        let excluded = (object["provenance"] as! [String: Any])["excluded"] as! [[String: Any]]
        #expect(excluded.first { $0["reason"] as? String == "not_scored" }?["rows"] as? Int == 2)
    }

    @Test func negativeDeductionIsRejectedWithLineAndColumn() throws {
        let path = Fixtures.path("negative-sheet.csv")
        let text = "申报单位,标准,项目,扣分,加分,否决,说明\n甲局,pingdingshan-2019,1.1,-2,,否,\n"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let result = PingchaRunner.run(["standard", "score", path, "--standard", "pingdingshan-2019"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("negative-sheet.csv:2:4: 「扣分」为 -2"))
    }

    @Test func malformedStandardFileNamesTheItemAndField() throws {
        let path = Fixtures.path("bad-standard.json")
        let text = #"{"format": "pingcha-standard-1", "name": "ours", "items": [{"code": "1", "kind": "general", "points": 5, "zh": "甲"}, {"code": "2", "kind": "general", "points": -1, "zh": "乙"}]}"#
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let result = PingchaRunner.run(["standard", "show", path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("项目 2（第 2 个）的 points"))
        let unknown = PingchaRunner.run(["standard", "show", "nonesuch-2030"])
        #expect(unknown.status == 64)
    }

    @Test func officeStandardFileScoresWithoutCodeChanges() throws {
        let standard = Fixtures.path("office-standard.json")
        let text = #"{"format": "pingcha-standard-1", "name": "office-2026", "confirm_at_most": 1, "items": [{"code": "A", "kind": "general", "points": 50, "zh": "甲项"}, {"code": "C", "kind": "general", "points": 50, "zh": "乙项"}, {"code": "B", "kind": "bonus", "points": 3, "zh": "加分"}]}"#
        _ = FileManager.default.createFile(atPath: standard, contents: Data(text.utf8))
        let sheet = Fixtures.path("office-sheet.csv")
        let rows = "申报单位,标准,项目,扣分,加分,否决,说明\n甲局,office-2026,A,60,,否,\n乙局,office-2026,C,10,,否,\n乙局,office-2026,B,,5,否,\n"
        _ = FileManager.default.createFile(atPath: sheet, contents: Data(rows.utf8))
        let object = try PingchaRunner.json(["standard", "score", sheet, "--standard", standard])
        let scored = PingchaRunner.rows(object)
        // 乙局: 50 + 40 + min(5, 3) = 93; 甲局: max(0, 50 − 60) + 50 = 50.
        #expect(scored.map { $0["unit"] as! String } == ["乙局", "甲局"])
        #expect(scored.map { $0["total"] as! Double } == [93, 50])
        #expect(scored.map { $0["confirmed"] as! Bool } == [true, false])
    }
}
