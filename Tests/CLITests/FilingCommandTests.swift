import Foundation
import PingchaTestSupport
import Testing

/// `pingcha filing` on the sample: the table of Datasets/sample/EXPECTED.md §"Major-penalty filing".
@Suite struct FilingCommandTests {
    @Test func sampleFilingTable() throws {
        let result = PingchaRunner.run(["filing", "Datasets/sample/cases.csv", "--format", "csv"])
        #expect(result.status == 0)
        // Delays by hand: 3 and 15 days on time; 16 and 40 late; two never filed.
        #expect(result.stdout == "\u{FEFF}执法单位,重大案件,按时备案,逾期备案,未备案,备案早于决定,得分\r\n"
            + "河南省交通运输厅,1,0,1,0,0,2\r\n"
            + "漯河市交通运输局,1,0,1,0,0,2\r\n"
            + "漯河市城市管理局,2,0,1,1,0,0\r\n"
            + "漯河市市场监督管理局,2,2,0,0,0,3\r\n"
            + "舞阳县北舞渡镇人民政府,1,0,0,1,0,0\r\n"
            + "舞阳县城市管理局,1,1,0,0,0,3\r\n"
            + "舞阳县市场监督管理局,1,1,0,0,0,3\r\n"
            + "郾城区市场监督管理局,1,0,1,0,0,2\r\n")
    }

    @Test func detailsListLateAndUnfiled() throws {
        let result = PingchaRunner.run(["filing", "Datasets/sample/cases.csv", "--details", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let details = object["details"] as! [[String: Any]]
        #expect(details.map { $0["case_id"] as! String } == ["LHJT-2024-001", "LHCG-2023-001", "LHCG-2024-001", "YCSJ-2023-001",
                                                             "BWDZ-2023-002", "HNJT-2024-001"])
        #expect(details.map { $0["status"] as! String } == ["late", "unfiled", "late", "late", "unfiled", "late"])
        #expect(details.map { $0["days"] as? Int } == [16, nil, 40, 16, nil, 40])
    }

    @Test func rulesFileChangesTheWindowAndAnImpossibleDateIsCounted() throws {
        let rules = Fixtures.path("filing-rules.json")
        _ = FileManager.default.createFile(atPath: rules, contents: Data(#"{"filing": {"days_allowed": 16}}"#.utf8))
        let wider = PingchaRunner.run(["filing", "Datasets/sample/cases.csv", "--rules", rules, "--by", "county", "--format", "json"])
        let rows = (try JSONSerialization.jsonObject(with: Data(wider.stdout.utf8)) as! [String: Any])["rows"] as! [[String: Any]]
        // With 16 days allowed, the 16-day filings (漯河市交通运输局, 郾城区) are on time; only the 40-day ones stay late.
        let byCounty = Dictionary(uniqueKeysWithValues: rows.map { (($0["county"] as? String) ?? "-", $0) })
        #expect(byCounty["郾城区"]?["late"] as? Int == 0)
        #expect(byCounty["-"]?["late"] as? Int == 2)
        #expect(byCounty["-"]?["major_cases"] as? Int == 6)
        let path = Fixtures.path("backwards.csv")
        let text = "案卷编号,执法单位,重大案件,决定日期,备案日期,评查得分\nA-1,甲,是,2024-05-10,2024-05-01,80\nA-2,甲,是,2024-05-10,2024-05-25,80\n"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let backwards = PingchaRunner.run(["filing", path, "--format", "csv"])
        #expect(backwards.stdout == "\u{FEFF}执法单位,重大案件,按时备案,逾期备案,未备案,备案早于决定,得分\r\n甲,2,1,0,0,1,3\r\n")
    }
}
