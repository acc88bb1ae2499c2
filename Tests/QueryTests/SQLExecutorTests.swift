import Columnar
import Kernels
@testable import Query
import Testing

@Suite struct SQLExecutorTests {
    static func run(_ sql: String) throws -> QueryResult {
        let statements = try SQLParser.parse(sql)
        return try SQLExecutor(statement: statements[0], passLine: 70) { _ in ExpressionTests.table }.run()
    }

    /// Repeated names are renamed as DuckDB renames them in `CREATE TABLE … AS SELECT` (checked
    /// there: `x, x, x_1, X` → `x, x_1, x_1_1, X_2`), so that a JSON object keeps every column.
    @Test func repeatedColumnNamesAreRenamedAsDuckDBRenamesThem() throws {
        let result = try Self.run("SELECT unit AS x, score AS x, sector AS x_1, review_year AS X FROM t LIMIT 1")
        #expect(result.columnNames == ["x", "x_1", "x_1_1", "X_2"])
        #expect(QueryResult.distinct(["证件号", "得分", "证件号", "执法单位", "执法单位"]) == ["证件号", "得分", "证件号_1", "执法单位", "执法单位_1"])
    }

    @Test func groupedAggregatesOfPlainColumnsRunOnTheDomainPlan() throws {
        let result = try Self.run("SELECT unit, count(*) AS n, pass_rate(score) AS p FROM t WHERE review_year < 2024 GROUP BY unit ORDER BY unit")
        #expect(result.plan == "vectorised")
        // Rows 0-3 (2022, 2023): 甲 70.0 and 90; 乙 69.9; 丙 55. Code-point order: 丙 U+4E19, 乙 U+4E59, 甲 U+7532.
        #expect(result.rows == [[.text("丙"), .int(1), .double(0)], [.text("乙"), .int(1), .double(0)], [.text("甲"), .int(2), .double(1)]])
    }

    /// Aggregates of distinct values run on the plan too: 甲 70 and 90 (sum 160), 乙 69.9 (its other
    /// score is null), 丙 55; avg over all rows gives the same as without DISTINCT here.
    @Test func distinctAggregatesRunOnThePlan() throws {
        let plain = try Self.run("SELECT unit, avg(score) AS m FROM t GROUP BY unit ORDER BY unit")
        let distinct = try Self.run("SELECT unit, avg(score) AS m, sum(DISTINCT score) AS k FROM t GROUP BY unit ORDER BY unit")
        #expect(distinct.plan == "vectorised")
        #expect(plain.rows.map { $0[1] } == distinct.rows.map { $0[1] })
        #expect(distinct.rows.map { $0[1] } == [.double(55), .double(69.9), .double(80)])
        #expect(distinct.rows.map { $0[2] } == [.double(55), .double(69.9), .double(160)])
    }

    /// count(DISTINCT) of text and of numbers, and stddev, on the plan: 甲 has sectors 市场监管 twice,
    /// years 2022 and 2023, scores 70 and 90 (mean 80, squares 100 + 100, stddev √200); 乙 has
    /// 交通运输 and 城市管理, 2022 and 2024, one score; 丙 a null sector, 2023, one score.
    @Test func distinctCountsAndDeviationsRunOnThePlan() throws {
        let result = try Self.run("SELECT unit, count(DISTINCT sector) AS k, count(DISTINCT review_year) AS y, stddev(score) AS s "
                                  + "FROM t GROUP BY unit ORDER BY unit")
        #expect(result.plan == "vectorised")
        #expect(result.rows == [[.text("丙"), .int(0), .int(1), .null], [.text("乙"), .int(2), .int(2), .null],
                                [.text("甲"), .int(1), .int(2), .double(200.0.squareRoot())]])
    }

    /// Aggregates of expressions and GROUP BY expressions: evaluated on the vectors into columns of
    /// their own, then on the plan. 甲 70 and 90; 乙 69.9 and a null score; 丙 55.
    @Test func expressionsRunOnThePlan() throws {
        let result = try Self.run("SELECT unit, sum(CASE WHEN score < 70 THEN 1 ELSE 0 END) AS u, avg(score * 2) AS d "
                                  + "FROM t GROUP BY unit ORDER BY unit")
        #expect(result.plan == "vectorised")
        #expect(result.rows == [[.text("丙"), .int(1), .double(110)], [.text("乙"), .int(1), .double(139.8)],
                                [.text("甲"), .int(0), .double(160)]])
        let years = try Self.run("SELECT review_year + 1 AS y, count(*) AS n FROM t GROUP BY 1 ORDER BY 1")
        #expect(years.plan == "vectorised")
        #expect(years.rows == [[.int(2023), .int(2)], [.int(2024), .int(2)], [.int(2025), .int(1)]])
    }

    /// Filter, order and project only: the column path, ties by row, nulls last by default.
    @Test func orderedScanRunsOnColumns() throws {
        let result = try Self.run("SELECT unit, score FROM t WHERE review_year >= 2022 ORDER BY score DESC LIMIT 3")
        #expect(result.plan == "vectorised")
        #expect(result.rows == [[.text("甲"), .double(90)], [.text("甲"), .double(70)], [.text("乙"), .double(69.9)]])
        let nullsFirst = try Self.run("SELECT review_year FROM t ORDER BY sector NULLS FIRST, unit DESC")
        // 丙's sector is null; then 交通运输 (乙), 城市管理 (乙), 市场监管 (甲 twice, rows 0 and 2) by code point.
        #expect(nullsFirst.rows == [[.int(2023)], [.int(2022)], [.int(2024)], [.int(2022)], [.int(2023)]])
    }

    @Test func emptyWholeTableAggregateGivesOneRow() throws {
        let result = try Self.run("SELECT count(*) AS n, sum(score) AS s FROM t WHERE score > 100")
        #expect(result.plan == "vectorised")
        #expect(result.rows == [[.int(0), .null]])
    }
}

/// The columns a statement reads, which are all a query loads.
@Suite struct ColumnsReadTests {
    static func read(_ sql: String) throws -> [String]? {
        try SQLParser.parse(sql)[0].columnsRead
    }

    @Test func namesInEveryClauseButOutputAliases() throws {
        #expect(try Self.read("SELECT 执法单位 AS u, count(*) AS n FROM t WHERE 评查年度 = 2024 GROUP BY u ORDER BY n DESC, u")
                == ["执法单位", "评查年度"])
        #expect(try Self.read("SELECT 县区, avg(评查得分) FROM t GROUP BY 县区 HAVING max(评查得分) > 90 ORDER BY 省辖市")
                == ["县区", "评查得分", "省辖市"])
        #expect(try Self.read("SELECT rank() OVER (PARTITION BY 省辖市 ORDER BY 评查得分) AS r FROM t") == ["省辖市", "评查得分"])
        #expect(try Self.read("SELECT count(*) FROM t") == [])
        #expect(try Self.read("SELECT * FROM t") == nil)
        #expect(try Self.read("SELECT a.x FROM t a JOIN u b ON a.k = b.k") == nil)
    }
}

/// Aggregates over a window: the whole partition only (a running frame, ORDER BY inside the
/// window, is refused in plain words); the values are held against DuckDB in the cross-check.
@Suite struct WindowAggregateTests {
    @Test func aRunningFrameIsRefused() {
        #expect(throws: QueryError.self) { try SQLParser.parse("SELECT sum(score) OVER (PARTITION BY unit ORDER BY review_year) FROM t") }
        do {
            _ = try SQLParser.parse("SELECT sum(score) OVER (ORDER BY review_year) FROM t")
        } catch {
            #expect(error.message.en == "sum() OVER (… ORDER BY …), a running total, is not supported; without ORDER BY it covers the whole partition.")
        }
        #expect(throws: QueryError.self) { try SQLParser.parse("SELECT median(score) OVER () FROM t") }
        #expect(throws: QueryError.self) { try SQLParser.parse("SELECT count(DISTINCT unit) OVER () FROM t") }
    }

    @Test func wholePartitionValues() throws {
        // ExpressionTests.table: each row gets its unit's total and the table's row count.
        let result = try SQLExecutorTests.run("SELECT unit, count(*) OVER () AS n, count(*) OVER (PARTITION BY unit) AS per_unit FROM t ORDER BY unit")
        let totals = Set(result.rows.map { $0[1] })
        #expect(totals.count == 1)
        if case .int(let all)? = totals.first {
            #expect(result.rows.count == Int(all))
            var perUnit: [String: Int64] = [:]
            for row in result.rows { perUnit[row[0].plainText, default: 0] += 1 }
            for row in result.rows { #expect(row[2] == .int(perUnit[row[0].plainText]!)) }
        } else {
            Issue.record("count(*) OVER () is not an integer")
        }
    }
}

/// The function catalog describes every function once: each aggregate the engine has, names
/// unique, and the help text and suggestions read from it.
@Suite struct FunctionCatalogTests {
    @Test func everyAggregateIsDescribedOnce() {
        // Each entry has the kernel of its kind; the aggregates are the ten the engine knows.
        for entry in FunctionCatalog.entries {
            #expect((entry.kind == .aggregate) == (FunctionCatalog.usage(.aggregate).contains(entry.usage)), "\(entry.name)")
        }
        #expect(FunctionCatalog.entries.filter { $0.kind == .aggregate }.map(\.name)
            == ["count", "sum", "avg", "min", "max", "median", "stddev", "stddev_samp", "pass_rate", "share_below"])
        #expect(Set(FunctionCatalog.names).count == FunctionCatalog.names.count)
        #expect(FunctionCatalog.usage(.aggregate).contains("pass_rate(x[, line])"))
        #expect(FunctionCatalog.entry("ROUND")?.arity == 1...2)
    }

    @Test func arityAndSuggestionsComeFromTheCatalog() throws {
        for (sql, message) in [
            ("SELECT round(score, 1, 2) FROM t", "round() takes a different number of arguments."),
            ("SELECT abs(unit) FROM t", "abs() takes a number."),
            ("SELECT share_below(score) FROM t", "share_below() takes a different number of arguments."),
            // Within 3 edits of "medain": median (2, a transposition), min (3 deletions).
            ("SELECT medain(score) FROM t", "there is no function medain(); did you mean: median, min"),
        ] {
            do {
                _ = try SQLExecutorTests.run(sql)
                Issue.record("\(sql) ran")
            } catch let error as QueryError {
                #expect(error.message.en == message, "\(sql)")
            }
        }
    }
}

/// Whether a statement counts from the rules' pass line: `pass_rate(x)` anywhere in it, however
/// nested, and not a two-argument call or text that merely reads like one.
@Suite struct DefaultPassLineTests {
    @Test func foundInTheStatementNotInItsText() throws {
        func uses(_ sql: String) throws -> Bool { try SQLParser.parse(sql)[0].usesDefaultPassLine }
        #expect(try uses("SELECT unit, pass_rate(score) FROM t GROUP BY unit"))
        #expect(try uses("SELECT unit, pass_rate(CAST(score AS DOUBLE)) FROM t GROUP BY unit"))
        #expect(try uses("SELECT unit FROM t GROUP BY unit HAVING pass_rate(score) < 0.9"))
        #expect(try uses("SELECT unit, rank() OVER (ORDER BY pass_rate(score) DESC) AS r FROM t GROUP BY unit"))
        #expect(try !uses("SELECT unit, pass_rate(score, 60) FROM t GROUP BY unit"))
        #expect(try !uses("SELECT 'pass_rate(score)' AS note FROM t"))
    }

    /// A top-k over a million rows and more is found per core and merged, passing over rows whose
    /// score is strictly worse than the last kept one: the answer must be the head of the full
    /// order, both ways. Scores 0–49 give ~24,000 ties at either end, which the id (a text
    /// dictionary of up to 900,000 strings, compared byte-wise) and then the row number order.
    @Test(arguments: [true, false]) func topKOverAMillionRowsIsTheHeadOfTheFullOrder(descending: Bool) throws {
        let rows = 1_200_000
        var random = SplitMix64(seed: 19)
        let scores = (0..<rows).map { _ in Double(random.next() % 50) }
        // Ids in scrambled order, some repeated, so that text order and row order both decide ties.
        let ids = (0..<rows).map { _ in "C" + String(random.next() % 900_000) }
        var dictionary = TextDictionary()
        let codes = ids.map { dictionary.code(for: $0) }
        let table = Table(columns: [Column(name: "id", storage: .text(codes: codes, dictionary: dictionary)),
                                    Column(name: "score", storage: .float64(scores))], rowCount: rows)
        let statement = try SQLParser.parse("SELECT id, score FROM t ORDER BY score \(descending ? "DESC" : "ASC"), id LIMIT 25 OFFSET 3")[0]
        let result = try SQLExecutor(statement: statement, passLine: 70) { _ in table }.run()
        // Independently: every row sorted by (score descending, id's UTF-8 bytes, row), then sliced.
        let expected = (0..<rows).sorted { a, b in
            if scores[a] != scores[b] { return descending ? scores[a] > scores[b] : scores[a] < scores[b] }
            if ids[a] != ids[b] { return Array(ids[a].utf8).lexicographicallyPrecedes(Array(ids[b].utf8)) }
            return a < b
        }[3..<28].map { [Value.text(ids[$0]), .double(scores[$0])] }
        #expect(result.rows == Array(expected))
    }

    /// A WHERE that keeps few rows gathers the columns to those rows before grouping; the groups
    /// come out in the order of their first kept rows, as without gathering. Rows: unit i % 7,
    /// score i % 100, kept where score ≥ 90 (a tenth of the rows).
    @Test func selectiveFilterBeforeGroupingGivesTheSameGroups() throws {
        let rows = 7_000
        let units = ["庚", "己", "戊", "丁", "丙", "乙", "甲"]
        let table = Table(columns: [
            Column(name: "unit", storage: .text(codes: (0..<rows).map { UInt32($0 % 7) }, dictionary: TextDictionary(units))),
            Column(name: "score", storage: .float64((0..<rows).map { Double($0 % 100) })),
        ], rowCount: rows)
        let statement = try SQLParser.parse("SELECT unit, count(*) AS n, sum(score) AS s FROM t WHERE score >= 90 GROUP BY unit")[0]
        let result = try SQLExecutor(statement: statement, passLine: 70) { _ in table }.run()
        // Kept rows: i % 100 in 90…99, 700 of them; the first kept rows are 90…96, units 90 % 7 = 6
        // (甲), then 0 (庚), 1 (己), 2, 3, 4, 5. Each unit gets 100 rows (7 and 100 are coprime
        // and 7,000 = 7 × 10 × 100), ten of each score 90…99: sum 10 × 945 = 9,450.
        let order = [6, 0, 1, 2, 3, 4, 5]
        #expect(result.rows == order.map { [.text(units[$0]), .int(100), .double(9_450)] })
    }
}
