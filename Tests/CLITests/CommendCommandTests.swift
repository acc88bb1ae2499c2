import Foundation
import PingchaTestSupport
import Testing

/// Commendation (`commend`) on `Datasets/sample`, held to the values worked by hand in
/// `Datasets/sample/EXPECTED.md`.
@Suite struct CommendCommandTests {
    @Test func commendationTablesAsWorkedByHand() throws {
        let object = try PingchaRunner.json(["commend", Fixtures.sample + "candidates.csv"])
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
        let object = try PingchaRunner.json(["commend", Fixtures.sample + "candidates.csv", "--rank-by", "composite", "--cases", Fixtures.sample + "cases.csv"])
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
        let withSheet = try PingchaRunner.json(["commend", Fixtures.sample + "candidates.csv", "--rank-by", "composite", "--cases", Fixtures.sample + "cases.csv",
                                       "--acceptance", Fixtures.sample + "acceptance.csv", "--standard", "responsibility-2022"])
        let wuyang = PingchaRunner.rows(withSheet, "figures").first { $0["candidate"] as? String == "舞阳县市场监督管理局" }!
        #expect(wuyang["standard_total"] as? Double == 69)
    }
}
