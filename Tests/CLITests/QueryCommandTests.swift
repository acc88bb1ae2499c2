import Foundation
import PingchaTestSupport
import Testing

/// `pingcha query` through the binary: output, several statements, and bad queries.
@Suite struct QueryCommandTests {
    static let cases = "Datasets/sample/cases.csv"

    @Test func rankingTableInOneQuery() throws {
        let sql = "SELECT 县区, count(*) AS 案卷数, pass_rate(评查得分) AS 合格率, rank() OVER (ORDER BY pass_rate(评查得分) DESC) AS 名次 FROM cases GROUP BY 县区 ORDER BY 名次"
        let result = PingchaRunner.run(["query", sql, "--table", "cases=\(Self.cases)", "--format", "csv"])
        #expect(result.status == 0)
        // 临颍县 5/5; no county 34/35 (the city's 68.0); 郾城区 5/6; 舞阳县 14/19 (69.9, 65, 58.5, 69, 62).
        #expect(result.stdout == "\u{FEFF}县区,案卷数,合格率,名次\r\n临颍县,5,1,1\r\n,35,0.9714285714285714,2\r\n"
            + "郾城区,6,0.8333333333333334,3\r\n舞阳县,19,0.7368421052631579,4\r\n")
    }

    /// The table's title counts its rows in the analyst's words: one row, not "1 rows". The sample
    /// has 19 files of 舞阳县 and 35 with no county.
    @Test func titleCountsRows() {
        let one = PingchaRunner.run(["query", "SELECT count(*) AS n FROM cases", "--table", "cases=\(Self.cases)", "--lang", "en"])
        #expect(one.stdout.hasPrefix("Query result (1 row)\n"))
        let two = PingchaRunner.run(["query", "SELECT 县区 FROM cases WHERE 县区 = '舞阳县' OR 县区 IS NULL GROUP BY 县区",
                                     "--table", "cases=\(Self.cases)", "--lang", "en"])
        #expect(two.stdout.hasPrefix("Query result (2 rows)\n"))
    }

    @Test func severalStatementsFromAFile() throws {
        let path = Fixtures.path("two.sql")
        let text = "-- two questions\nSELECT count(*) AS n FROM '\(Self.cases)';\nSELECT max(评查得分) AS top FROM '\(Self.cases)' WHERE 评查年度 = 2023;\n"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let result = PingchaRunner.run(["query", "-f", path, "--format", "json"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect((object["statement_1"] as! [[String: Any]])[0]["n"] as? Int == 65)
        // 2023's best file: 97.0 (河南省市场监督管理局).
        #expect((object["statement_2"] as! [[String: Any]])[0]["top"] as? Double == 97)
        let inputs = (object["provenance"] as! [String: Any])["inputs"] as! [[String: Any]]
        #expect(inputs.count == 1)
    }

    @Test(arguments: [
        ("SELECT 县区, count(*) FROM '\(cases)'", "line 1, column 8: '县区' must appear in GROUP BY or inside an aggregate (such as min(县区))."),
        ("SELECT * FROM '\(cases)' WHERE count(*) > 1", "line 1, column 49: the aggregate count() is not allowed here (in WHERE, say); use HAVING."),
        ("SELECT 执法单位 FROM '\(cases)' WHERE 执法单位 = 3", "line 1, column 57: type mismatch: cannot compare text with a number (quote text with single quotes, e.g. '市场监管')."),
        ("SELEC * FROM x", "line 1, column 1: expected SELECT here."),
        ("SELECT 单位 FROM '\(cases)'", "line 1, column 8: no column named '单位'; did you mean: 单位层级, 县区, 执法单位"),
        ("SELECT sum(执法单位) FROM '\(cases)'", "line 1, column 8: sum() takes a number."),
        ("SELECT count(* FROM '\(cases)'", "line 1, column 16: expected ')' here."),
        ("SELECT 1 FROM '\(cases)' ORDER BY 3", "line 1, column 52: ORDER BY 3 is beyond the selected columns."),
        // A join's tables are loaded with the columns it names; a name of neither is answered
        // from every column of both (单位层级, 县区 and 姓名 are roster columns it does not name).
        ("SELECT 单位, count(*) AS n FROM 'Datasets/sample/tests.csv' t JOIN 'Datasets/sample/roster.csv' r ON t.证件号 = r.证件号 GROUP BY 单位",
         "line 1, column 8: no column named '单位'; did you mean: 单位层级, 县区, 姓名"),
    ])
    func badQueryExits64(sql: String, message: String) throws {
        let result = PingchaRunner.run(["query", sql, "--lang", "en"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("pingcha: error: " + message + "\n"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func unknownTableNameIsExplained() throws {
        let result = PingchaRunner.run(["query", "SELECT * FROM case", "--table", "cases=\(Self.cases)", "--lang", "en"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("no table named 'case' (did you mean: cases)"))
    }
}

/// `pass_rate(score)` without a second argument counts from the rules' pass line, read as their
/// `line_reading` says, and the provenance prints it; an explicit line is kept.
@Suite struct QueryPassLineTests {
    static func rates(_ rules: String?) throws -> (default: Double, explicit: Double, settings: [String: Any]) {
        var arguments = ["query", "SELECT 执法单位, pass_rate(评查得分) AS p, pass_rate(评查得分, 60) AS p60 FROM cases WHERE 执法单位 = '漯河市城市管理局' GROUP BY 1",
                         "--table", "cases=Datasets/sample/cases.csv", "--no-cache"]
        if let rules {
            let path = Fixtures.path("query-rules-\(rules.count).json")
            _ = FileManager.default.createFile(atPath: path, contents: Data(rules.utf8))
            arguments += ["--rules", path]
        }
        let object = try PingchaRunner.json(arguments)
        let row = PingchaRunner.rows(object)[0]
        return (row["p"] as! Double, row["p60"] as! Double, (object["provenance"] as! [String: Any])["rules"] as! [String: Any])
    }

    /// 漯河市城市管理局 scores 70 75.5 82 91.5 87 70.
    @Test func theRulesLineAndItsReading() throws {
        let builtin = try Self.rates(nil)
        #expect(builtin.default == 1 && builtin.explicit == 1)
        #expect(builtin.settings["pass_threshold"] as? Double == 70 && builtin.settings["line_reading"] as? String == "below")
        // Line 80: 82, 91.5 and 87 pass: 3/6.
        let eighty = try Self.rates(#"{"case_review": {"pass_threshold": 80, "excellent_threshold": 90}}"#)
        #expect(eighty.default == 0.5 && eighty.explicit == 1)
        #expect(eighty.settings["pass_threshold"] as? Double == 80)
        // 70 read as unqualified: the two 70s fail, 4/6.
        let civil = try Self.rates(#"{"case_review": {"line_reading": "at_or_below"}}"#)
        #expect(abs(civil.default - 4.0 / 6.0) < 1e-12 && civil.explicit == 1)
        // A query without pass_rate(x) prints no pass line.
        let plain = try PingchaRunner.json(["query", "SELECT count(*) AS n FROM cases", "--table", "cases=Datasets/sample/cases.csv"])
        #expect(((plain["provenance"] as! [String: Any])["rules"] as! [String: Any])["pass_threshold"] == nil)
    }
}
