import Foundation
import PingchaTestSupport
import Testing

/// `pingcha cases audit`: duplicates with their lines, numbering gaps, yearly reviews.
@Suite struct AuditCommandTests {
    @Test func sampleAuditAsWorkedByHand() throws {
        let object = try PingchaRunner.json(["cases", "audit", "Datasets/sample/cases.csv"])
        #expect((object["duplicates"] as! [[String: Any]]).isEmpty)
        let gaps = object["gaps"] as! [[String: Any]]
        #expect(gaps.count == 1)
        #expect(gaps[0]["unit"] as? String == "河南省交通运输厅")
        #expect(gaps[0]["missing"] as? String == "HNJT-2024-003")
        let years = Dictionary(uniqueKeysWithValues: (object["review_years"] as! [[String: Any]]).map { ($0["unit"] as! String, $0) })
        #expect(years.count == 10)
        #expect(years["漯河市城市管理局"]?["missing_years"] as? String == "2022")
        #expect(years["漯河市城市管理局"]?["item_points"] as? Double == 4)
        #expect(years["临颍县交通运输局"]?["missing_years"] as? String == "2022, 2023")
        #expect(years["临颍县交通运输局"]?["item_points"] as? Double == 2)
        #expect(years["舞阳县北舞渡镇人民政府"]?["item_points"] as? Double == 4)
        #expect(years.values.filter { $0["item_points"] as? Double == 6 }.count == 7)
    }

    @Test func duplicatesWithLinesAndGapRanges() throws {
        let path = Fixtures.path("dupes.csv")
        let text = "案卷编号,执法单位,评查得分,评查年度\n"
            + "甲-001,甲局,80,2024\n甲-002,甲局,81,2024\n甲-002,甲局,82,2024\n甲-004,甲局,83,2023\n"
            + "\"甲-008\",甲局,84,2023\n乙-A,乙局,70,2022\n甲-001,甲局,85,2022\n"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let object = try PingchaRunner.json(["cases", "audit", path, "--year", "2024"])
        let duplicates = object["duplicates"] as! [[String: Any]]
        #expect(duplicates.map { $0["case_id"] as! String } == ["甲-001", "甲-002"])
        #expect(duplicates.map { $0["lines"] as! String } == ["2, 8", "3, 4"])
        let gaps = object["gaps"] as! [[String: Any]]
        #expect(gaps.map { $0["missing"] as! String } == ["甲-003, 甲-005–007"])
        #expect(gaps.first?["missing_count"] as? Int == 4)
        let excluded = (object["provenance"] as! [String: Any])["excluded"] as! [[String: Any]]
        #expect(excluded.first { $0["reason"] as? String == "unnumbered" }?["rows"] as? Int == 1)
        let years = Dictionary(uniqueKeysWithValues: (object["review_years"] as! [[String: Any]]).map { ($0["unit"] as! String, $0) })
        #expect(years["乙局"]?["missing_years"] as? String == "2023, 2024")
        #expect(years["甲局"]?["item_points"] as? Double == 6)
    }

    @Test func rulesFileChangesTheYearlyItem() throws {
        let rules = Fixtures.path("audit-rules.json")
        _ = FileManager.default.createFile(
            atPath: rules, contents: Data(#"{"case_review": {"review_years_checked": 2, "missing_year_deduction": 3}}"#.utf8))
        let object = try PingchaRunner.json(["cases", "audit", "Datasets/sample/cases.csv", "--rules", rules])
        let years = Dictionary(uniqueKeysWithValues: (object["review_years"] as! [[String: Any]]).map { ($0["unit"] as! String, $0) })
        // Window 2023–2024: 临颍县交通运输局 misses 2023 (6 − 3); 漯河市城市管理局 has both years.
        #expect(years["临颍县交通运输局"]?["missing_years"] as? String == "2023")
        #expect(years["临颍县交通运输局"]?["item_points"] as? Double == 3)
        #expect(years["漯河市城市管理局"]?["item_points"] as? Double == 6)
        let table = PingchaRunner.run(["cases", "audit", "Datasets/sample/cases.csv", "--rules", rules])
        #expect(table.stdout.contains("年度案卷评查（近 2 年，每缺一年扣 3 分）\n"))
    }
}
