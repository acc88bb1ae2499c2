import Foundation
import PingchaTestSupport
import Testing

/// Part 2 of the rules on `Datasets/sample`, held to the values worked by hand in
/// `Datasets/sample/EXPECTED.md`: standards, competition, risk grading, commendation.
@Suite struct RulesPart2CommandTests {
    static let sample = "Datasets/sample/"

    // MARK: standards

    @Test func pingdingshanTotalsVetoCapAndTieAtTheTenthPlace() throws {
        let rows = PingchaRunner.rows(try PingchaRunner.json(["standard", "score", Self.sample + "acceptance.csv", "--standard", "pingdingshan-2019"]))
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
        let object = try PingchaRunner.json(["standard", "score", Self.sample + "acceptance.csv", "--standard", "pingdingshan-2019", "--details"])
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
        let draw = PingchaRunner.run(["draw", Self.sample + "roster.csv", "--per", "执法单位", "--count", "5",
                                         "--seed", "2025-06-01|draw-01|4719302685", "--record", record])
        #expect(draw.status == 0, "\(draw.stderr)")
        let object = try PingchaRunner.json(["standard", "score", Self.sample + "acceptance.csv", "--standard", "responsibility-2022",
                                    "--cases", Self.sample + "cases.csv", "--roster", Self.sample + "roster.csv",
                                    "--tests", Self.sample + "tests.csv", "--draw-record", record, "--details"])
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
        let rows = PingchaRunner.rows(try PingchaRunner.json(["standard", "score", Self.sample + "acceptance.csv", "--standard", "responsibility-2022",
                                            "--cases", Self.sample + "cases.csv"]))
        let wuyang = rows.first { $0["unit"] as? String == "舞阳县市场监督管理局" }!
        #expect(wuyang["missing_items"] as? String == "R0.2 2.1 3.4")
        // 100 − 20 (2.1 not computed) − 2 (3.4 not computed) − 3 − 12 + 6 = 69.
        #expect(wuyang["total"] as? Double == 69)
        let table = PingchaRunner.run(["standard", "score", Self.sample + "acceptance.csv", "--standard", "responsibility-2022"])
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

    // MARK: competition

    @Test func competitionRanksWithTieAndMisconduct() throws {
        let rows = PingchaRunner.rows(try PingchaRunner.json(["competition", Self.sample + "competition.csv", "--tests", Self.sample + "tests.csv",
                                            "--roster", Self.sample + "roster.csv"]))
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

    // MARK: risk

    @Test func riskLevelsOnTheSample() throws {
        let rows = PingchaRunner.rows(try PingchaRunner.json(["risk", Self.sample + "cases.csv"]))
        func find(_ sector: String, _ period: String, _ violation: String) -> [String: Any] {
            rows.first { $0["sector"] as? String == sector && $0["period"] as? String == period && $0["violation"] as? String == violation }!
        }
        // 交通运输 2024: 超限运输 4 cases with a major penalty → high; 客车超员 3 cases, counts 4, 4, 3 →
        // top 10% is the first (4), none major or compulsion, not all simple → medium.
        let overload = find("交通运输", "2024", "超限运输")
        #expect(overload["level"] as? String == "high")
        #expect(overload["reason"] as? String == "major_penalty")
        #expect(overload["count"] as? Int == 4)
        #expect(abs((overload["share"] as! Double) - 4.0 / 11.0) < 1e-12)
        #expect(overload["previous_count"] as? Int == 0)
        #expect(overload["change"] as? Int == 4)
        let crowded = find("交通运输", "2024", "客车超员")
        #expect(crowded["level"] as? String == "medium")
        #expect(crowded["change"] as? Int == 1)
        // 2022 is the first year: no previous period.
        let first = find("交通运输", "2022", "超限运输")
        #expect(first["level"] as? String == "low")
        #expect(first["reason"] as? String == "simple_procedure")
        #expect(first["change"] is NSNull)
        #expect(find("城市管理", "2024", "违规设置户外广告")["reason"] as? String == "rare")
        #expect(rows.count == 32)
    }

    @Test func frequentViolationIsHigh() throws {
        // Ten violations in one sector and year: A 5 cases, B 4, the rest 3 each (none major,
        // compulsion or simple only). Top 10% = the first one → A high (frequent); B medium.
        var text = "案卷编号,执法单位,执法领域,案件类型,程序类型,重大案件,违法行为,决定日期,评查得分\n"
        var number = 0
        for (violation, count) in [("A", 5), ("B", 4), ("C", 3), ("D", 3), ("E", 3), ("F", 3), ("G", 3), ("H", 3), ("I", 3), ("J", 3)] {
            for index in 0..<count {
                number += 1
                text += "X-\(number),甲局,市场监管,行政处罚,\(index == 0 ? "普通程序" : "简易程序"),否,\(violation),2024-03-01,80\n"
            }
        }
        let path = Fixtures.path("frequent.csv")
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let rows = PingchaRunner.rows(try PingchaRunner.json(["risk", path]))
        #expect(rows.first { $0["violation"] as? String == "A" }?["reason"] as? String == "frequent")
        #expect(rows.first { $0["violation"] as? String == "B" }?["level"] as? String == "medium")
        let quarters = PingchaRunner.rows(try PingchaRunner.json(["risk", path, "--period", "quarter"]))
        #expect(quarters.first?["period"] as? String == "2024Q1")
    }

    // MARK: commendation

    @Test func commendationTablesAsWorkedByHand() throws {
        let object = try PingchaRunner.json(["commend", Self.sample + "candidates.csv"])
        let units = PingchaRunner.rows(object, "units")
        // 河南省市场监督管理局 is 正厅级, above 正处级: outside the scope (§2.9).
        #expect(units.map { $0["unit"] as! String } == ["漯河市市场监督管理局", "舞阳县市场监督管理局", "临颍县交通运输局", "郾城区市场监督管理局",
                                                         "济源示范区城市管理局", "济源示范区市场监督管理局"])
        #expect(units.map { $0["order"] as! Int } == [1, 2, 3, 4, 1, 2])
        #expect(Set(units[0].keys) == ["recommender", "order", "unit", "unit_level"])
        let persons = PingchaRunner.rows(object, "persons")
        #expect(persons.map { $0["cert_no"] as! String } == ["ZF0001", "ZF0003", "ZF0002", "ZF0018", "ZF0019", "ZF0023", "ZF0024", "ZF0029", "ZF0035",
                                                               "ZF0051", "ZF0052", "ZF0053", "ZF0063", ""])
        #expect(persons.last?["name"] as? String == "孔明")
        #expect(Set(persons[0].keys) == ["recommender", "order", "name", "unit", "office", "post", "grade", "cert_no"])
        let dropped = PingchaRunner.rows(object, "dropped")
        let reasons = dropped.map { "\($0["recommender"] as! String)/\($0["order"] as! Int)/\($0["reason"] as! String)" }
        #expect(reasons == [
            "漯河市/3/violation_since_2015", "漯河市/6/over_quota",
            "漯河市/4/division_cap_full", "漯河市/5/violation_since_2015", "漯河市/6/unknown_grade", "漯河市/7/division_cap_full",
            "漯河市/14/tied_at_cutoff", "漯河市/14/tied_at_cutoff", "漯河市/15/over_quota",
            "河南省市场监督管理局/1/above_division_level", "河南省市场监督管理局/1/division_cap_full", "济源示范区/1/division_cap_full",
        ])
        #expect(dropped.filter { $0["reason"] as? String == "tied_at_cutoff" }.map { $0["cert_no"] as! String } == ["ZF0036", "ZF0040"])
    }

    @Test func missingRecommenderIsRejectedOrCounted() throws {
        let path = Fixtures.path("no-recommender.csv")
        let text = "推荐单位,对象类别,推荐顺序,单位全称,单位级别,姓名,处(科)室,职务,职级,证件号,2015年以来违法行政行为,从事年限\n"
            + "漯河市,单位,1,甲局,正科级,,,,,,否,\n,单位,2,乙局,正科级,,,,,,否,\n"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let stopped = PingchaRunner.run(["commend", path])
        #expect(stopped.status == 65)
        #expect(stopped.stderr.contains("no-recommender.csv:3:1: 「推荐单位」不能为空"))
        let rejects = Fixtures.path("no-recommender-rejects.csv")
        try? FileManager.default.removeItem(atPath: rejects)
        let object = try PingchaRunner.json(["commend", path, "--rejects", rejects])
        #expect(PingchaRunner.rows(object, "units").map { $0["unit"] as! String } == ["甲局"])
        let inputs = (object["provenance"] as! [String: Any])["inputs"] as! [[String: Any]]
        #expect(inputs[0]["rejected"] as? Int == 1)
    }

    @Test func compositeRankingShowsEveryFigure() throws {
        let object = try PingchaRunner.json(["commend", Self.sample + "candidates.csv", "--rank-by", "composite", "--cases", Self.sample + "cases.csv"])
        let figures = PingchaRunner.rows(object, "figures")
        // Only the pass rate is measured: composite = pass rate × 100. 漯河市's units by pass rate:
        // 漯河市市场监督管理局 and 临颍县交通运输局 100%, 舞阳县市场监督管理局 and 郾城区 below.
        let first = figures.first { $0["candidate"] as? String == "漯河市市场监督管理局" && $0["kind"] as? String == "unit" }!
        #expect(first["pass_rate"] as? Double == 1)
        #expect(first["composite"] as? Double == 100)
        #expect(first["satisfaction_index"] is NSNull)
        let units = PingchaRunner.rows(object, "units").filter { $0["recommender"] as? String == "漯河市" }
        #expect(units.map { $0["unit"] as! String }.prefix(2) == ["漯河市市场监督管理局", "临颍县交通运输局"])
        // The acceptance total is the standard's, data items computed from the exports given:
        // responsibility-2022 with --cases gives 舞阳县市场监督管理局 69 (EXPECTED.md), as `standard score` does.
        let withSheet = try PingchaRunner.json(["commend", Self.sample + "candidates.csv", "--rank-by", "composite", "--cases", Self.sample + "cases.csv",
                                       "--acceptance", Self.sample + "acceptance.csv", "--standard", "responsibility-2022"])
        let wuyang = PingchaRunner.rows(withSheet, "figures").first { $0["candidate"] as? String == "舞阳县市场监督管理局" }!
        #expect(wuyang["standard_total"] as? Double == 69)
    }
}
