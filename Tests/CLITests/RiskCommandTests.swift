import Foundation
import PingchaTestSupport
import Testing

/// Risk grading (`risk`) on `Datasets/sample`, held to the values worked by hand in
/// `Datasets/sample/EXPECTED.md`.
@Suite struct RiskCommandTests {
    @Test func riskLevelsOnTheSample() throws {
        let rows = PingchaRunner.rows(try PingchaRunner.json(["risk", Fixtures.sample + "cases.csv"]))
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
}
