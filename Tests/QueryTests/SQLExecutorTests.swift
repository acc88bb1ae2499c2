import Columnar
import Query
import Testing

@Suite struct SQLExecutorTests {
    static func run(_ sql: String) throws -> QueryResult {
        let statements = try SQLParser.parse(sql)
        return try SQLExecutor(statement: statements[0]) { _ in ExpressionTests.table }.run()
    }

    @Test func groupedAggregatesOfPlainColumnsRunOnTheDomainPlan() throws {
        let result = try Self.run("SELECT unit, count(*) AS n, pass_rate(score) AS p FROM t WHERE review_year < 2024 GROUP BY unit ORDER BY unit")
        #expect(result.plan == "vectorised")
        // Rows 0-3 (2022, 2023): 甲 70.0 and 90; 乙 69.9; 丙 55. Code-point order: 丙 U+4E19, 乙 U+4E59, 甲 U+7532.
        #expect(result.rows == [[.text("丙"), .int(1), .double(0)], [.text("乙"), .int(1), .double(0)], [.text("甲"), .int(2), .double(1)]])
    }

    @Test func otherStatementsRunRowAtATimeWithTheSameAnswers() throws {
        let vectorised = try Self.run("SELECT unit, avg(score) AS m FROM t GROUP BY unit ORDER BY unit")
        let rowWise = try Self.run("SELECT unit, avg(score) AS m, count(DISTINCT sector) AS k FROM t GROUP BY unit ORDER BY unit")
        #expect(vectorised.plan == "vectorised")
        #expect(rowWise.plan == "row")
        #expect(vectorised.rows.map { $0[1] } == rowWise.rows.map { $0[1] })
        // 甲: 70 and 90 → 80; 乙: 69.9 (the other row's score is null); 丙: 55.
        #expect(rowWise.rows.map { $0[1] } == [.double(55), .double(69.9), .double(80)])
    }

    @Test func emptyWholeTableAggregateGivesOneRow() throws {
        let result = try Self.run("SELECT count(*) AS n, sum(score) AS s FROM t WHERE score > 100")
        #expect(result.plan == "vectorised")
        #expect(result.rows == [[.int(0), .null]])
    }
}
