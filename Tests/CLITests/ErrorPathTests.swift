import Foundation
import PingchaTestSupport
import Testing

/// Bad input through the binary: a clear message on stderr, the sysexits code, no crash.
@Suite struct ErrorPathTests {
    /// The binary is `Pingcha.run` and nothing more: the same command line prints the same and
    /// ends with the same status in-process and as a process.
    @Test func binaryAndInProcessRunsAgree() throws {
        let cases: [(arguments: [String], status: Int32)] = [
            (["cases", "pass-rate", "Datasets/sample/cases.csv", "--by", "unit", "--format", "csv", "--no-cache"], 0),
            (["cases", "pass-rate", "no-such-file.csv", "--by", "unit"], 66),
            (["cases", "pass-rate", "Datasets/sample/cases.csv", "--lang", "en"], 64),
            (["--version"], 0),
            (["cases", "pass-rate", "Datasets/sample/cases.csv", "--by", "unit", "--output", "/no-such-folder/out.csv", "--no-cache"], 73),
        ]
        for (arguments, status) in cases {
            let inProcess = PingchaRunner.run(arguments), binary = try PingchaRunner.binary(arguments)
            #expect(inProcess.status == status, Comment(rawValue: arguments.joined(separator: " ")))
            #expect(binary.status == status, Comment(rawValue: arguments.joined(separator: " ")))
            #expect(inProcess.stdout == binary.stdout)
            #expect(inProcess.stderr == binary.stderr)
        }
    }

    @Test func missingFileExits66() throws {
        let result = PingchaRunner.run(["cases", "pass-rate", "no-such-file.csv", "--by", "unit"])
        #expect(result.status == 66)
        #expect(result.stderr.hasPrefix("pingcha：错误：打不开文件 no-such-file.csv"))
        #expect(result.stdout.isEmpty)
    }

    @Test func badFilterExits64WithCaret() throws {
        let result = PingchaRunner.run(["cases", "pass-rate", "Datasets/sample/cases.csv", "--by", "unit", "--where", "score >", "--lang", "en"])
        #expect(result.status == 64)
        #expect(result.stderr == "pingcha: error: line 1, column 8: the expression is incomplete.\n  score >\n         ^\n")
    }

    @Test func unknownGroupColumnExits64WithSuggestion() throws {
        let result = PingchaRunner.run(["cases", "pass-rate", "Datasets/sample/cases.csv", "--by", "县", "--lang", "en"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("no column named '县'; did you mean:"))
    }

    /// The rules that group by any column name the missing one the same way as a query.
    @Test func unknownGroupColumnOfTheRulesExits64() throws {
        for (command, file, suggested) in [(["filing"], "cases.csv", "县区"), (["risk"], "cases.csv", "县区"),
                                           (["survey", "satisfaction"], "survey.csv", "县区, q1, q2")] {
            let result = PingchaRunner.run(command + ["Datasets/sample/" + file, "--by", "县", "--lang", "en", "--no-cache"])
            #expect(result.status == 64, Comment(rawValue: command.joined(separator: " ")))
            #expect(result.stderr == "pingcha: error: line 1, column 1: no column named '县'; did you mean: \(suggested)\n  县\n  ^\n",
                    Comment(rawValue: command.joined(separator: " ")))
        }
    }

    /// With both --by and --where, an unknown --by column is shown under the --by text, not
    /// under the filter's (it was drawn under the --where text).
    @Test func theCaretOfABadByIsUnderTheByText() throws {
        for command in [["cases", "pass-rate"], ["filing"], ["risk"]] {
            let result = PingchaRunner.run(command + ["Datasets/sample/cases.csv", "--by", "县", "--where", "评查年度 = 2024",
                                                         "--lang", "en", "--no-cache"])
            #expect(result.status == 64, Comment(rawValue: command.joined(separator: " ")))
            #expect(result.stderr.hasSuffix("no column named '县'; did you mean: 县区\n  县\n  ^\n"), Comment(rawValue: result.stderr))
            #expect(!result.stderr.contains("评查年度 = 2024"), Comment(rawValue: command.joined(separator: " ")))
        }
        // A bad filter with a good --by still points into the filter.
        let filter = PingchaRunner.run(["cases", "pass-rate", "Datasets/sample/cases.csv", "--by", "unit", "--where", "评查年 = 2024",
                                           "--lang", "en", "--no-cache"])
        #expect(filter.status == 64)
        #expect(filter.stderr.contains("no column named '评查年'") && filter.stderr.contains("\n  评查年 = 2024\n  ^\n"))
    }

    /// An output that cannot be created or written exits 73 (sysexits EX_CANTCREAT), not 66.
    @Test func anOutputThatCannotBeWrittenExits73() throws {
        let nowhere = "/nonexistent-folder-\(getpid())/out"
        for extra in [["--output", nowhere + ".csv", "--format", "csv"], ["--output", nowhere + ".xlsx", "--format", "xlsx"],
                      ["--output", nowhere + ".arrow", "--format", "arrow"], ["--log", nowhere + ".jsonl"]] {
            let result = PingchaRunner.run(["cases", "pass-rate", "Datasets/sample/cases.csv", "--by", "unit", "--lang", "en"] + extra)
            #expect(result.status == 73, Comment(rawValue: extra.joined(separator: " ") + ": " + result.stderr))
            #expect(result.stderr.hasPrefix("pingcha: error: cannot "), Comment(rawValue: result.stderr))
        }
        let converted = PingchaRunner.run(["convert", "Datasets/sample/cases.csv", "--output", nowhere + ".arrow", "--lang", "en"])
        #expect(converted.status == 73)
        let drawn = PingchaRunner.run(["draw", "Datasets/sample/roster.csv", "--seed", "s", "--record", nowhere + ".json", "--lang", "en"])
        #expect(drawn.status == 73)
        let rejected = PingchaRunner.run(["describe", "Datasets/sample/cases.csv", "--rejects", nowhere + "-rejects.csv", "--lang", "en"])
        #expect(rejected.status == 73)
    }

    @Test func headerOnlyExits65() throws {
        let path = Fixtures.write("案卷编号,执法单位,评查得分\n", name: "header-only.csv")
        let result = PingchaRunner.run(["cases", "pass-rate", path, "--by", "unit"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("没有可用的数据行"))
        let described = PingchaRunner.run(["describe", path, "--format", "csv"])
        #expect(described.status == 0)
        #expect(described.stdout == "\u{FEFF}列名,类型,空值,不同值,最小值,最大值\r\n案卷编号,text,0,0,,\r\n执法单位,text,0,0,,\r\n评查得分,float64,0,0,,\r\n")
    }

    @Test func emptyFileExits65() throws {
        let path = Fixtures.write("", name: "empty.csv")
        let result = PingchaRunner.run(["describe", path])
        #expect(result.status == 65)
        #expect(result.stderr == "pingcha：错误：\(path):1: 文件是空的，没有表头也没有数据。\n")
    }

    @Test func badRowStopsWithLocationOrGoesToRejects() throws {
        let text = "案卷编号,执法单位,评查得分\nA-1,甲,80\nA-2,甲,105\nA-3,乙,65\nA-4,乙\n"
        let path = Fixtures.write(text, name: "bad-rows.csv")
        let stopped = PingchaRunner.run(["cases", "pass-rate", path, "--by", "unit", "--lang", "en"])
        #expect(stopped.status == 65)
        #expect(stopped.stderr == "pingcha: error: \(path):3:3: '评查得分' is 105, outside the allowed range 0–100. (use --rejects FILE to set bad rows aside and go on)\n")
        let rejects = Fixtures.path("rejects.csv")
        try? FileManager.default.removeItem(atPath: rejects)
        let kept = PingchaRunner.run(["cases", "pass-rate", path, "--by", "unit", "--rejects", rejects, "--format", "json"])
        #expect(kept.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(kept.stdout.utf8)) as! [String: Any]
        let input = ((object["provenance"] as! [String: Any])["inputs"] as! [[String: Any]])[0]
        #expect(input["rows"] as? Int == 2)
        #expect(input["rejected"] as? Int == 2)
        let rows = object["rows"] as! [[String: Any]]
        #expect(rows.map { $0["unit"] as? String } == ["甲", "乙"])
        #expect(rows.map { $0["pass_rate"] as? Double } == [1, 0])
        let written = String(decoding: try Data(contentsOf: URL(fileURLWithPath: rejects)), as: UTF8.self)
        #expect(written == "\u{FEFF}文件,行号,结束行,列,原因,原始内容\r\n"
            + "\(path),3,3,3,「评查得分」为 105，超出允许范围 0–100。,\"A-2,甲,105\"\r\n"
            + "\(path),5,5,,这一行有 2 个字段，表头有 3 个。,\"A-4,乙\"\r\n")
    }

    @Test func unterminatedQuoteNamesLineAndColumn() throws {
        let path = Fixtures.write("案卷编号,执法单位,评查得分\nA-1,甲,80\nA-2,\"甲,75\nA-3,乙,90\n", name: "open-quote.csv")
        let result = PingchaRunner.run(["describe", path, "--lang", "en"])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("pingcha: error: \(path):3:2: unterminated quote"))
    }

    @Test func badOptionValuesExit64() throws {
        let result = PingchaRunner.run(["cases", "pass-rate", "Datasets/sample/cases.csv", "--by", "unit", "--threshold", "170"])
        #expect(result.status == 64)
        let encoding = PingchaRunner.run(["describe", "Datasets/sample/cases.csv", "--encoding", "latin9"])
        #expect(encoding.status == 64)
    }
}
