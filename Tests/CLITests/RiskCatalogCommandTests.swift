import Foundation
import PingchaTestSupport
import Testing

/// The published risk list (DOMAIN.md §2.8): the graded violations joined with an office's
/// catalog; violations the catalog lacks are marked and listed, never left blank silently.
@Suite struct RiskCatalogCommandTests {
    /// The sample's 2024 decisions: 12 violations in four sectors; the catalog lacks the two of 综合执法.
    @Test func theListJoinsTheCatalogAndNamesWhatItLacks() throws {
        let object = try PingchaRunner.json(["risk", "Datasets/sample/cases.csv", "--catalog", "Datasets/sample/risk_catalog.csv",
                                    "--where", "year(决定日期) = 2024"])
        let published = object["published"] as! [[String: Any]]
        #expect(published.count == 12)
        #expect(published.map { $0["order"] as! Int } == Array(1...12))
        #expect(Set(published[0].keys) == ["order", "sector", "period", "violation", "level", "legal_basis", "discretion", "consequence",
                                           "prevention", "responsible_unit", "in_catalog"])
        let overload = published.first { $0["violation"] as? String == "超限运输" }!
        #expect(overload["level"] as? String == "high")
        #expect(overload["legal_basis"] as? String == "《公路安全保护条例》第三十条、第六十四条")
        #expect(overload["responsible_unit"] as? String == "交通运输部门")
        #expect(overload["in_catalog"] as? Bool == true)
        // A violation whose text holds a comma joins on its whole text.
        #expect(published.first { $0["violation"] as? String == "虚假宣传, 误导消费者" }!["in_catalog"] as? Bool == true)
        let straw = published.first { $0["violation"] as? String == "焚烧秸秆" }!
        #expect(straw["in_catalog"] as? Bool == false)
        #expect(straw["legal_basis"] as? String == "（风险目录中没有此违法行为）")
        #expect(straw["prevention"] is NSNull)
        let missing = (object["missing_from_catalog"] as! [[String: Any]]).map { $0["violation"] as! String }
        #expect(missing == ["焚烧秸秆", "违法占用耕地建房"])
        let inputs = (object["provenance"] as! [String: Any])["inputs"] as! [[String: Any]]
        #expect(inputs.map { ($0["path"] as! String).hasSuffix("risk_catalog.csv") } == [false, true])
        #expect(inputs[1]["rows"] as? Int == 10)
    }

    @Test func aViolationListedTwiceIsAnError() throws {
        let path = Fixtures.path("catalog-twice.csv")
        let text = "违法行为,法律依据,裁量标准,法律后果,防控措施,责任单位\n超限运输,甲,,,,\n占道经营,乙,,,,\n超限运输,丙,,,,\n"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let result = PingchaRunner.run(["risk", "Datasets/sample/cases.csv", "--catalog", path, "--lang", "en"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("catalog-twice.csv:4:1: the risk catalog lists '超限运输' twice (lines 2 and 4)"))
    }

    @Test func aCatalogWithoutItsColumnsNamesThem() throws {
        let path = Fixtures.path("catalog-short.csv")
        _ = FileManager.default.createFile(atPath: path, contents: Data("违法行为,法律依据\n超限运输,甲\n".utf8))
        let result = PingchaRunner.run(["risk", "Datasets/sample/cases.csv", "--catalog", path, "--lang", "en"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("裁量标准 (discretion)"))
    }
}
