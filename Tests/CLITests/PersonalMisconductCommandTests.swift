import Foundation
import PingchaTestSupport
import Testing

/// A person marked for misconduct (违规 in the tests export) scores 0 in the theory average and is
/// listed (DOMAIN.md §2.5: the seed zeroes 单位和个人 alike).
@Suite struct PersonalMisconductCommandTests {
    @Test func theoryScoreCountsZeroAndThePersonIsListed() throws {
        let text = try String(contentsOfFile: "Datasets/sample/tests.csv", encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        lines[0] += ",违规"
        for index in 1..<lines.count {
            lines[index] += lines[index].hasPrefix("ZF0002,") && lines[index].contains("理论测试") ? ",是" : ",否"
        }
        let tests = Fixtures.path("tests-misconduct.csv")
        _ = FileManager.default.createFile(atPath: tests, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
        let result = PingchaRunner.run(["competition", "Datasets/sample/competition.csv", "--tests", tests,
                                           "--roster", "Datasets/sample/roster.csv", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let rows = object["rows"] as! [[String: Any]]
        // 漯河市: theory (90 + 0 + 80 + 77) / 4 = 61.75 (ZF0002's 85 counts 0); 61.75 × 0.4 + 86 × 0.6 = 24.7 + 51.6 = 76.30.
        let luohe = rows.first { $0["team"] as? String == "漯河市" }!
        #expect(luohe["theory_average"] as? Double == 61.75)
        #expect(luohe["score"] as? Double == 76.3)
        // It falls from 2nd (84.80) to 5th, behind 河南省交通运输厅's 77.00; 济源示范区 (team misconduct) last.
        #expect(rows.map { $0["team"] as! String } == ["河南省市场监督管理局", "平顶山市", "许昌市", "河南省交通运输厅", "漯河市", "济源示范区"])
        #expect(rows.map { $0["rank"] as? Int } == [1, 2, 2, 4, 5, 6])
        let persons = object["misconduct_persons"] as! [[String: Any]]
        #expect(persons.count == 1)
        #expect(persons[0]["team"] as? String == "漯河市" && persons[0]["cert_no"] as? String == "ZF0002")
        #expect(persons[0]["name"] as? String == "张涛强" && persons[0]["score_recorded"] as? Double == 85)
    }
}
