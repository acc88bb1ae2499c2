import Columnar
import Kernels
import Query
import Testing

@Suite struct ExpressionTests {
    /// 单位, 得分 (with a null), 年度, 领域 (with a null).
    static let table: Table = {
        var units = TextDictionary()
        let unitCodes = ["甲", "乙", "甲", "丙", "乙"].map { units.code(for: $0) }
        var sectors = TextDictionary()
        let sectorCodes = ["市场监管", "交通运输", "市场监管", "", "城市管理"].map { sectors.code(for: $0) }
        var sectorValidity = Bitmap(count: 5, value: true)
        sectorValidity[3] = false
        var scoreValidity = Bitmap(count: 5, value: true)
        scoreValidity[4] = false
        return Table(columns: [
            Column(name: "执法单位", aliases: ["unit"], storage: .text(codes: unitCodes, dictionary: units)),
            Column(name: "评查得分", aliases: ["score"], storage: .float64([70.0, 69.9, 90, 55, 0]), validity: scoreValidity),
            Column(name: "评查年度", aliases: ["review_year"], storage: .int64([2022, 2022, 2023, 2023, 2024])),
            Column(name: "执法领域", aliases: ["sector"], storage: .text(codes: sectorCodes, dictionary: sectors), validity: sectorValidity),
        ], rowCount: 5)
    }()

    func rows(_ text: String) throws(QueryError) -> [Int32] {
        try Evaluator(table: Self.table).selectRows(where: try ExpressionParser.parse(text))
    }

    @Test func comparisonsAndLogic() throws {
        #expect(try rows("评查年度 = 2022 and 执法领域 = '市场监管'") == [0])
        #expect(try rows("score >= 70") == [0, 2])
        #expect(try rows("score < 70") == [1, 3])
        #expect(try rows("UNIT = '甲' or review_year = 2024") == [0, 2, 4])
        #expect(try rows("not (unit = '甲')") == [1, 3, 4])
        #expect(try rows("review_year <> 2022") == [2, 3, 4])
        #expect(try rows("review_year != 2022 and score > 50") == [2, 3])
    }

    @Test func nullsFollowThreeValuedLogic() throws {
        // Row 4 has no score: score < 70 is unknown, so NOT of it is unknown too.
        #expect(try rows("not (score < 70)") == [0, 2])
        #expect(try rows("score < 70 or review_year = 2024") == [1, 3, 4])
        #expect(try rows("sector is null") == [3])
        #expect(try rows("sector is not null and score is null") == [4])
        #expect(try rows("sector <> '市场监管'") == [1, 4])
    }

    @Test func inBetweenLikeArithmetic() throws {
        #expect(try rows("unit in ('乙', '丙')") == [1, 3, 4])
        #expect(try rows("unit not in ('乙', '丙')") == [0, 2])
        #expect(try rows("score between 60 and 70") == [0, 1])
        #expect(try rows("sector like '%监%'") == [0, 2])
        #expect(try rows("sector like '_通运输'") == [1])
        #expect(try rows("score * 2 >= 140") == [0, 2])
        #expect(try rows("review_year - 2000 = 23") == [2, 3])
        #expect(try rows("'2022' = review_year") == [0, 1])
    }

    @Test func errorsPointAtThePlace() throws {
        do {
            _ = try rows("评查年度 = 2022 and 执法领于 = '市场监管'")
            Issue.record("expected an unknown-column error")
        } catch {
            let text = error.rendered(in: "评查年度 = 2022 and 执法领于 = '市场监管'", language: .zh)
            // 16 characters precede the name; they are 20 columns wide (four Chinese characters count two each).
            let expected = "第 1 行第 17 列：没有名为「执法领于」的列，是不是指：执法领域、执法单位\n"
                + "  评查年度 = 2022 and 执法领于 = '市场监管'\n"
                + "  " + String(repeating: " ", count: 20) + "^"
            #expect(text == expected)
        }
        do {
            _ = try rows("unit = 2022")
            Issue.record("expected a type mismatch")
        } catch {
            #expect(error.message.en.hasPrefix("type mismatch"))
            #expect(error.position?.column == 6)
        }
        do {
            _ = try rows("score >")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.position?.column == 8)
        }
        do {
            _ = try rows("unit = '甲")
            Issue.record("expected an unclosed quote")
        } catch {
            #expect(error.position?.column == 8)
        }
    }

    @Test func suggestionsRankByDistance() {
        #expect(NameSuggestions.closest(to: "untt", among: ["unit", "county", "city"]) == ["unit"])
        #expect(NameSuggestions.closest(to: "xyzxyz", among: ["unit", "county"]) == [])
    }

    @Test func aggregatePlanGroupsAndSkipsNulls() throws {
        let plan = AggregatePlan(
            filter: nil, groupBy: ["unit"],
            aggregates: [AggregateSpec(.countRows), AggregateSpec(.count, of: "score"), AggregateSpec(.passRate(70), of: "score"),
                         AggregateSpec(.mean, of: "score"), AggregateSpec(.median, of: "score"), AggregateSpec(.minimum, of: "score")])
        let output = try plan.execute(on: Self.table)
        // Groups in order of first appearance: 甲, 乙, 丙.
        #expect(output.keys == [[.text("甲")], [.text("乙")], [.text("丙")]])
        #expect(output.values[0] == [.int(2), .int(2), .double(1), .double(80), .double(80), .double(70)])
        #expect(output.values[1] == [.int(2), .int(1), .double(0), .double(69.9), .double(69.9), .double(69.9)])
        #expect(output.values[2] == [.int(1), .int(1), .double(0), .double(55), .double(55), .double(55)])
    }
}
