import Foundation
import PingchaTestSupport
import Testing

/// Pingdingshan item 2.3 from the tests export (DOMAIN.md §2.6): persons drawn in proportion
/// (`draw --fraction` or `--proportional`), their 在线测试 scores, 8 × average / 100.
@Suite struct OnlineTestItemCommandTests {

    /// On-line test scores for 漯河市市场监督管理局's ten certificates: ZF0006 90, ZF0003 80,
    /// ZF0007 70, the other seven 50; one 现场测试 row that the item does not read.
    static func testsFile() -> String {
        let path = Fixtures.path("online-tests.csv")
        var text = "证件号,执法单位,测试类型,测试日期,得分\n"
        let scores = ["ZF0006": "90", "ZF0003": "80", "ZF0007": "70"]
        for number in 1...10 {
            let cert = String(format: "ZF%04d", number)
            text += "\(cert),漯河市市场监督管理局,在线测试,2024-05-10,\(scores[cert] ?? "50")\n"
        }
        text += "ZF0006,漯河市市场监督管理局,现场测试,2024-06-18,10\n"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    static func bureau(_ object: [String: Any]) -> (total: Double, item: [String: Any]) {
        let rows = object["rows"] as! [[String: Any]]
        let details = object["details"] as! [[String: Any]]
        let unit = "漯河市市场监督管理局"
        return (rows.first { $0["unit"] as? String == unit }!["total"] as! Double,
                details.first { $0["unit"] as? String == unit && $0["item"] as? String == "2.3" }!)
    }

    @Test func itemTwoThreeFromTheDrawnPersonsOnlineScores() throws {
        // ceil(0.3 × 10) = 3 drawn; the seed's order for the unit begins ZF0006, ZF0003, ZF0007
        // (the DOMAIN.md test vector), so the drawn average is (90 + 80 + 70) / 3 = 80 → 8 × 80 / 100 = 6.4.
        let record = Fixtures.path("online-draw.json")
        let draw = PingchaRunner.run(["draw", Fixtures.sample + "roster.csv", "--fraction", "0.3", "--seed", "2025-06-01|draw-01|4719302685",
                                         "--record", record])
        #expect(draw.status == 0, "\(draw.stderr)")
        let arguments = ["standard", "score", Fixtures.sample + "acceptance.csv", "--standard", "pingdingshan-2019", "--details",
                         "--tests", Self.testsFile(), "--roster", Fixtures.sample + "roster.csv"]
        let drawn = Self.bureau(try PingchaRunner.json(arguments + ["--draw-record", record]))
        #expect(drawn.item["computed"] as? Double == 6.4)
        #expect(abs((drawn.item["score"] as! Double) - 6.4) < 1e-12)
        // Its sheet: 1.2 −1, bonus 12 → 10, so 99 with 2.3 at 8; with 2.3 at 6.4: 97.4.
        #expect(abs(drawn.total - 97.4) < 1e-9)
        #expect((drawn.item["note"] as! String).contains("抽取人员 3 人在线测试平均 80.00 分"))
        // Without a draw record every on-line score counts: (90 + 80 + 70 + 7 × 50) / 10 = 59 → 4.72; 99 − 8 + 4.72 = 95.72.
        let everyone = Self.bureau(try PingchaRunner.json(arguments))
        #expect(abs((everyone.item["computed"] as! Double) - 4.72) < 1e-12)
        #expect(abs(everyone.total - 95.72) < 1e-9)
    }

    @Test func withoutTheTestsTheSheetFigureStands() throws {
        let object = try PingchaRunner.json(["standard", "score", Fixtures.sample + "acceptance.csv", "--standard", "pingdingshan-2019", "--details"])
        let bureau = Self.bureau(object)
        #expect(bureau.total == 99)
        #expect(bureau.item["score"] as? Double == 8)
        #expect((object["rows"] as! [[String: Any]]).allSatisfy { ($0["missing_items"] as! String).isEmpty })
    }

    @Test func proportionalDrawUsesTheRulesShare() throws {
        // knowledge_test.online_draw_share 0.1: ceil(0.1 × 10) = 1 for the bureau, 1 for every smaller unit.
        let rows = (try PingchaRunner.json(["draw", Fixtures.sample + "roster.csv", "--proportional", "--seed", "2025-06-01|draw-01|4719302685",
                                   "--replacements", "0"]))["rows"] as! [[String: Any]]
        #expect(rows.filter { $0["stratum"] as? String == "漯河市市场监督管理局" }.map { $0["cert_no"] as! String } == ["ZF0006"])
        #expect(rows.count == 13)  // 13 units with a valid certificate, one each
        let rulesFile = Fixtures.path("share.json")
        _ = FileManager.default.createFile(atPath: rulesFile, contents: Data(#"{"knowledge_test": {"online_draw_share": 0.25}}"#.utf8))
        let quarter = (try PingchaRunner.json(["draw", Fixtures.sample + "roster.csv", "--proportional", "--rules", rulesFile,
                                      "--seed", "2025-06-01|draw-01|4719302685", "--replacements", "0"]))["rows"] as! [[String: Any]]
        // ceil(0.25 × 10) = 3.
        #expect(quarter.filter { $0["stratum"] as? String == "漯河市市场监督管理局" }.map { $0["cert_no"] as! String } == ["ZF0006", "ZF0003", "ZF0007"])
        let both = PingchaRunner.run(["draw", Fixtures.sample + "roster.csv", "--proportional", "--fraction", "0.2", "--seed", "x"])
        #expect(both.status == 64)
    }
}
