import CSVIngest
import Columnar
@testable import Evaluation
import Foundation
import Query
import Testing

@Suite struct CaseReviewTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func sample() throws -> Table {
        var options = LoadOptions()
        options.schema = .cases
        return try CSVLoader.load(path: root.appendingPathComponent("Datasets/sample/cases.csv").path, options: options).table
    }

    func request(_ by: String, where filter: String? = nil, threshold: Double = 70) throws -> CaseReview.PassRateRequest {
        CaseReview.PassRateRequest(groupBy: by, filter: try filter.map { try ExpressionParser.parse($0) }, filterText: filter,
                                   passThreshold: threshold, excellentThreshold: 90)
    }

    /// Figures worked out by hand in Datasets/sample/EXPECTED.md from the scores in Datasets/tools/make_sample.py
    /// (and equal to DuckDB's on the same file, see Tests/crosscheck).
    @Test func passRateByUnitOnTheSample() throws {
        let result = try CaseReview.passRate(table: try Self.sample(), request: try request("unit"))
        let rows = result.table.rows
        #expect(result.table.columns.map(\.key) == ["rank", "unit", "cases", "unqualified", "pass_rate", "mean_score",
                                                    "median_score", "min_score", "excellent", "qualified"])
        #expect(rows.count == 10)
        let ranks: [Value] = [1, 1, 1, 1, 1, 6, 7, 8, 9, 10].map { Value.int($0) }
        #expect(rows.map { $0[0] } == ranks)
        let leaders: [Value] = ["临颍县交通运输局", "河南省交通运输厅", "河南省市场监督管理局", "漯河市城市管理局", "漯河市市场监督管理局"].map { Value.text($0) }
        #expect(Array(rows.map { $0[1] }.prefix(5)) == leaders)
        // 舞阳县市场监督管理局: 93.0 88.0 69.9 85.5 90.5 94.0 87.5 80.0 → 1 below 70, 7/8.
        let expectedWuyangMarket: [Value] = [.int(6), .text("舞阳县市场监督管理局"), .int(8), .int(1), .double(0.875), .double(688.4 / 8),
                            .double(87.75), .double(69.9), .int(3), .int(4)]
        #expect(rows[5] == expectedWuyangMarket)
        // 漯河市城市管理局: 70.0 75.5 82.0 91.5 87.0 70.0 → both 70.0 pass; median (75.5 + 82) / 2.
        let expectedCityManagement: [Value] = [.int(1), .text("漯河市城市管理局"), .int(6), .int(0), .double(1), .double(476.0 / 6),
                            .double(78.75), .double(70), .int(1), .int(5)]
        #expect(rows[3] == expectedCityManagement)
        // 舞阳县城市管理局: 65.0 74.0 58.5 77.0 71.0 69.0 80.5 → 3 below 70, 4/7.
        let expectedWuyangCity: [Value] = [.int(10), .text("舞阳县城市管理局"), .int(7), .int(3), .double(4.0 / 7), .double(495.0 / 7),
                            .double(71), .double(58.5), .int(0), .int(4)]
        #expect(rows[9] == expectedWuyangCity)
    }

    @Test func thresholdIsInclusiveAndConfigurable() throws {
        // 郾城区市场监督管理局 2024: 70.0, 69.9, 96.0.
        let at70 = try CaseReview.passRate(table: try Self.sample(), request: try request("unit", where: "unit = '郾城区市场监督管理局' and review_year = 2024"))
        #expect(at70.table.rows.count == 1)
        #expect(at70.table.rows[0][3] == .int(1))
        #expect(at70.table.rows[0][4] == .double(2.0 / 3))
        #expect(at70.filteredOut == 62)
        let at69 = try CaseReview.passRate(table: try Self.sample(), request: try request("unit", where: "unit = '郾城区市场监督管理局' and review_year = 2024", threshold: 69.9))
        #expect(at69.table.rows[0][3] == .int(0))
        let at71 = try CaseReview.passRate(table: try Self.sample(), request: try request("unit", where: "unit = '郾城区市场监督管理局' and review_year = 2024", threshold: 70.1))
        #expect(at71.table.rows[0][3] == .int(2))
    }

    @Test func groupingByAnyColumn() throws {
        let result = try CaseReview.passRate(table: try Self.sample(), request: try request("单位层级"))
        // 省直 12 files all ≥ 70; 市级 23 with 1 below; 县级 26 with 5 below; 乡镇 4 with 1 below.
        let byLevel = Dictionary(uniqueKeysWithValues: result.table.rows.map { ($0[1], ($0[2], $0[3], $0[0])) })
        #expect(byLevel[.text("省直")]?.0 == .int(12))
        #expect(byLevel[.text("省直")]?.1 == .int(0))
        #expect(byLevel[.text("市级")]?.0 == .int(23))
        #expect(byLevel[.text("市级")]?.1 == .int(1))
        #expect(byLevel[.text("县级")]?.0 == .int(26))
        #expect(byLevel[.text("县级")]?.1 == .int(5))
        #expect(byLevel[.text("乡镇")]?.1 == .int(1))
        #expect(byLevel[.text("省直")]?.2 == .int(1))
        #expect(byLevel[.text("市级")]?.2 == .int(2))
        #expect(byLevel[.text("县级")]?.2 == .int(3))
        #expect(byLevel[.text("乡镇")]?.2 == .int(4))
    }

    @Test func unknownGroupColumnSuggests() throws {
        let table = try Self.sample()
        let unknown = try request("untt")
        do {
            _ = try CaseReview.passRate(table: table, request: unknown)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.en.contains("did you mean: unit"))
        }
    }

    /// Text keys ranked by their UTF-8 bytes as one sort finds them (乙 E4 B9 99 before 甲 E7 94 B2,
    /// ASCII before both), an equal key sharing a rank, nulls last; a key of another type: none.
    @Test func groupNamesRankedByTheirBytes() {
        let ranks = CaseReview.byteOrderRanks([.text("乙"), .null, .text("甲"), .text("a"), .text("乙")])
        #expect(ranks == [1, Int.max, 2, 0, 1])
        #expect(CaseReview.byteOrderRanks([.text("乙"), .int(2023)]) == nil)
        #expect(CaseReview.byteOrderRanks([]) == [])
    }

    @Test func competitionRanking() {
        #expect(CompetitionRanking.ranks([90, 80, 80, 70, nil, 95] as [Int?], isBetter: >) == [2, 3, 3, 5, nil, 1])
        #expect(CompetitionRanking.ranks([Int?](), isBetter: >) == [])
    }

    @Test func rulesFileOverridesPartly() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(getpid()).json").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(#"{"case_review": {"pass_threshold": 60}}"#.utf8))
        let settings = try RuleSettings.load(overridePath: path)
        #expect(settings.caseReview.passThreshold == 60)
        #expect(settings.caseReview.excellentThreshold == 90)
        #expect(settings.source == path)
        let builtin = try RuleSettings.load(overridePath: nil)
        #expect(builtin.caseReview == RuleSettings.CaseReview(passThreshold: 70, excellentThreshold: 90))
        _ = FileManager.default.createFile(atPath: path, contents: Data(#"{"case_review": {"pass_threshold": "seventy"}}"#.utf8))
        #expect(throws: PingchaError.self) { try RuleSettings.load(overridePath: path) }
    }
}


/// Case numbers split on their UTF-8 bytes: prefix, number and width as written.
@Suite struct CaseNumberTests {
    static func split(_ id: String) -> (String, Int, Int)? {
        var copy = id
        return copy.withUTF8 { bytes in CaseReview.CaseNumber(utf8: UnsafeRawBufferPointer(bytes)).map { ($0.prefix, $0.value, $0.width) } }
    }

    @Test func prefixNumberAndWidth() {
        #expect(Self.split("漯市监罚〔2022〕017")! == ("漯市监罚〔2022〕", 17, 3))
        #expect(Self.split("HNJT-2024-003")! == ("HNJT-2024-", 3, 3))
        #expect(Self.split("123456789")! == ("", 123_456_789, 9))
        #expect(Self.split("甲-000")! == ("甲-", 0, 3))
    }

    @Test func withoutNumberOrTooLong() {
        #expect(Self.split("甲局") == nil)
        #expect(Self.split("") == nil)
        // Ten trailing digits: more than the nine a case number may have, so not numbered.
        #expect(Self.split("A1234567890") == nil)
        // A full-width digit is not an ASCII digit.
        #expect(Self.split("甲-１２") == nil)
    }
}
