import Foundation
import PingchaTestSupport
import Testing

/// `pingcha cases pass-rate` on Datasets/sample, whole output compared in every format.
///
/// The figures are the hand-worked ones of Datasets/sample/EXPECTED.md, which DuckDB reproduces
/// (Tests/crosscheck/test_duckdb_crosscheck.py); the SHA-256 is `sha256sum Datasets/sample/cases.csv`.
@Suite(.serialized) struct PassRateCommandTests {
    static let sample = "Datasets/sample/cases.csv"
    static let digest = "29cc00e320943edc7a25f6ec76112da9e3e6ff97820da1c5e441298eb520e4ed"

    @Test func tableInChinese() throws {
        let result = PingchaRunner.run(["cases", "pass-rate", Self.sample, "--by", "执法单位"])
        #expect(result.status == 0)
        #expect(result.stdout == """
            案卷评查合格率（按执法单位）
            排名  执法单位                案卷数  不合格   合格率  平均分  中位数  最低分  优秀  合格
            ----  ----------------------  ------  ------  -------  ------  ------  ------  ----  ----
               1  临颍县交通运输局             5       0  100.00%   85.20   86.00    79.0     1     4
               1  河南省交通运输厅             6       0  100.00%   83.75   84.00    76.5     1     5
               1  河南省市场监督管理局         6       0  100.00%   94.33   94.25    90.0     6     0
               1  漯河市城市管理局             6       0  100.00%   79.33   78.75    70.0     1     5
               1  漯河市市场监督管理局        10       0  100.00%   87.95   89.00    78.5     4     6
               6  舞阳县市场监督管理局         8       1   87.50%   86.05   87.75    69.9     3     4
               7  漯河市交通运输局             7       1   85.71%   78.43   79.50    68.0     0     6
               8  郾城区市场监督管理局         6       1   83.33%   83.32   86.50    69.9     2     3
               9  舞阳县北舞渡镇人民政府       4       1   75.00%   72.88   74.25    62.0     0     3
              10  舞阳县城市管理局             7       3   57.14%   70.71   71.00    58.5     0     4

            输入：Datasets/sample/cases.csv（utf-8，65 行，拒收 0 行，空行 0，SHA-256 \(Self.digest.prefix(16))…）
            规则：不合格线（低于此分不合格） = 70；不合格线读法（低于 70 分不合格，70 分合格：产品卡片的读法） = below；优秀线 = 90；分组 = unit；规则文件 = builtin；规则版本 = pingcha-rules-1
            版本：pingcha 0.1.0

            """)
    }

    @Test func markdownInEnglishWithFilter() throws {
        let result = PingchaRunner.run(["cases", "pass-rate", Self.sample, "--by", "county", "--lang", "en", "--format", "md",
                                           "--where", "评查年度 = 2024 and 执法领域 = '市场监管'"])
        #expect(result.status == 0)
        // 2024 market-supervision files: city bureau 86.0 91.0 83.5 89.5 and province 93.5 98.0 (no county),
        // 舞阳县 90.5 94.0 87.5 80.0, 郾城区 70.0 69.9 96.0.
        #expect(result.stdout == """
            ### Case-file review pass rate by county

            | Rank | county | Cases | Unqualified | Pass rate | Mean | Median | Min | Excellent | Qualified |
            | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
            | 1 | 舞阳县 | 4 | 0 | 100.00% | 88.00 | 89.00 | 80.0 | 2 | 2 |
            | 1 | - | 6 | 0 | 100.00% | 90.25 | 90.25 | 83.5 | 3 | 3 |
            | 3 | 郾城区 | 3 | 1 | 66.67% | 78.63 | 70.00 | 69.9 | 1 | 1 |

            - Input: Datasets/sample/cases.csv (utf-8, 65 rows, 0 rejected, 0 blank lines, SHA-256 \(Self.digest.prefix(16))…)
            - Rules: pass line (below it: unqualified) = 70; pass line reading (below 70 is unqualified, 70 passes: the product card's reading) = below; excellent from = 90; grouped by = county; filter = 评查年度 = 2024 and 执法领域 = '市场监管'; rules file = builtin; rules version = pingcha-rules-1
            - Left out: 52 rows, did not match the filter
            - Version: pingcha 0.1.0

            """)
    }

    /// Expected figures per level computed by Python from the CSV (math.fsum for means,
    /// statistics.median, repr for the shortest round-trip text).
    @Test func csvWithByteOrderMarkWhole() throws {
        let result = PingchaRunner.run(["cases", "pass-rate", Self.sample, "--by", "level", "--format", "csv"])
        #expect(result.status == 0)
        #expect(result.stdout == "\u{FEFF}排名,单位层级,案卷数,不合格,合格率,平均分,中位数,最低分,优秀,合格\r\n"
            + "1,省直,12,0,1,89.04166666666667,90,76.5,7,5\r\n"
            + "2,市级,23,1,0.9565217391304348,82.80434782608695,84,68,5,17\r\n"
            + "3,县级,26,5,0.8076923076923077,81.12692307692308,83.25,58.5,6,15\r\n"
            + "4,乡镇,4,1,0.75,72.875,74.25,62,0,3\r\n")
    }

    @Test func jsonWhole() throws {
        let result = PingchaRunner.run(["cases", "pass-rate", Self.sample, "--by", "level", "--format", "json"])
        #expect(result.status == 0)
        let rows = #"{"rank":1,"level":"省直","cases":12,"unqualified":0,"pass_rate":1.0,"mean_score":89.04166666666667,"median_score":90.0,"min_score":76.5,"excellent":7,"qualified":5},"#
            + #"{"rank":2,"level":"市级","cases":23,"unqualified":1,"pass_rate":0.9565217391304348,"mean_score":82.80434782608695,"median_score":84.0,"min_score":68.0,"excellent":5,"qualified":17},"#
            + #"{"rank":3,"level":"县级","cases":26,"unqualified":5,"pass_rate":0.8076923076923077,"mean_score":81.12692307692308,"median_score":83.25,"min_score":58.5,"excellent":6,"qualified":15},"#
            + #"{"rank":4,"level":"乡镇","cases":4,"unqualified":1,"pass_rate":0.75,"mean_score":72.875,"median_score":74.25,"min_score":62.0,"excellent":0,"qualified":3}"#
        let provenance = #"{"command":"cases pass-rate","inputs":[{"path":"Datasets/sample/cases.csv","sha256":"\#(Self.digest)","encoding":"utf-8","rows":65,"rejected":0,"blank_lines":0,"delimiter":"comma","text_quotes":0,"excel_formulas":0}],"#
            + #""rules":{"pass_threshold":70.0,"line_reading":"below","excellent_threshold":90.0,"group_by":"level","rules_file":"builtin","rules_version":"pingcha-rules-1"},"excluded":[],"version":"0.1.0"}"#
        #expect(result.stdout == #"{"rows":["# + rows + #"],"provenance":"# + provenance + "}\n")
    }

    @Test func jsonRowsAndProvenance() throws {
        let result = PingchaRunner.run(["cases", "pass-rate", Self.sample, "--by", "unit", "--format", "json"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let rows = object["rows"] as! [[String: Any]]
        #expect(rows.count == 10)
        #expect(Set(rows[0].keys) == ["unit", "cases", "unqualified", "pass_rate", "mean_score", "median_score", "min_score",
                                      "excellent", "qualified", "rank"])
        let wuyang = rows.first { $0["unit"] as? String == "舞阳县城市管理局" }!
        #expect(wuyang["cases"] as? Int == 7)
        #expect(wuyang["unqualified"] as? Int == 3)
        #expect(wuyang["pass_rate"] as? Double == 4.0 / 7)
        #expect(wuyang["mean_score"] as? Double == 495.0 / 7)
        #expect(wuyang["median_score"] as? Double == 71)
        #expect(wuyang["min_score"] as? Double == 58.5)
        #expect(wuyang["rank"] as? Int == 10)
        let provenance = object["provenance"] as! [String: Any]
        let inputs = provenance["inputs"] as! [[String: Any]]
        #expect(inputs.count == 1)
        #expect(inputs[0]["path"] as? String == Self.sample)
        #expect(inputs[0]["sha256"] as? String == Self.digest)
        #expect(inputs[0]["encoding"] as? String == "utf-8")
        #expect(inputs[0]["rows"] as? Int == 65)
        #expect(inputs[0]["rejected"] as? Int == 0)
        let rules = provenance["rules"] as! [String: Any]
        #expect(rules["pass_threshold"] as? Double == 70)
        #expect(rules["excellent_threshold"] as? Double == 90)
        #expect(provenance["version"] as? String == "0.1.0")
    }

    @Test func gb18030TwinGivesTheSameRows() throws {
        let utf8 = PingchaRunner.run(["cases", "pass-rate", Self.sample, "--by", "unit", "--format", "json"])
        let gb = PingchaRunner.run(["cases", "pass-rate", "Datasets/sample/cases.gb18030.csv", "--by", "unit", "--format", "json"])
        #expect(gb.status == 0)
        let rowsOf = { (text: String) in (try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any])["rows"] as! NSArray }
        #expect(try rowsOf(gb.stdout) == rowsOf(utf8.stdout))
        #expect(gb.stdout.contains("\"encoding\":\"gb18030\""))
    }

    @Test func thresholdOption() throws {
        // At 80, 郾城区市场监督管理局 (84 89 91 70 69.9 96) has two files below.
        let result = PingchaRunner.run(["cases", "pass-rate", Self.sample, "--by", "unit", "--threshold", "80", "--format", "csv",
                                           "--where", "unit = '郾城区市场监督管理局'"])
        #expect(result.stdout.contains("\r\n1,郾城区市场监督管理局,6,2,0.6666666666666666,"))
    }

    @Test func logAppendsOneJSONLinePerRun() throws {
        let log = Fixtures.path("runs.jsonl")
        try? FileManager.default.removeItem(atPath: log)
        _ = PingchaRunner.run(["cases", "pass-rate", Self.sample, "--by", "unit", "--log", log])
        _ = PingchaRunner.run(["describe", Self.sample, "--log", log])
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect(first["command"] as? String == "cases pass-rate")
        let second = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as! [String: Any]
        #expect(second["command"] as? String == "describe")
    }
}

/// `pingcha describe` on the sample, whole table.
@Suite struct DescribeCommandTests {
    @Test func tableInEnglish() throws {
        let result = PingchaRunner.run(["describe", "Datasets/sample/cases.csv", "--lang", "en"])
        #expect(result.status == 0)
        // Distinct counts and extremes by hand from the sample's rows (DuckDB's SUMMARIZE agrees).
        #expect(result.stdout == """
            Datasets/sample/cases.csv: 65 rows, case-file review results
            Column    Type     Nulls  Distinct  Min               Max
            --------  -------  -----  --------  ----------------  --------------------
            案卷编号  text         0        65  BWDZ-2023-001     YCSJ-2024-003
            省辖市    text         0         2  漯河市            省直
            县区      text        35         3  临颍县            郾城区
            执法单位  text         0        10  临颍县交通运输局  郾城区市场监督管理局
            单位层级  text         0         4  乡镇              省直
            执法领域  text         0         4  交通运输          综合执法
            案件类型  text         0         3  行政处罚          行政检查
            程序类型  text         0         2  普通程序          简易程序
            重大案件  bool         0         2  no                yes
            违法行为  text         0        12  占道经营          销售过期食品
            决定日期  date         0        32  2022-01-01        2024-12-22
            备案日期  date        57         8  2022-04-25        2024-11-17
            评查得分  float64      0        51  58.5              98
            评查年度  int64        0         3  2022              2024

            Input: Datasets/sample/cases.csv (utf-8, 65 rows, 0 rejected, 0 blank lines, SHA-256 29cc00e320943edc…)
            Rules: schema = cases
            Version: pingcha 0.1.0

            """)
    }
}
