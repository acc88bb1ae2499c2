import Columnar

/// Parses the query language: `SELECT [DISTINCT] items FROM t [AS a] [[LEFT] JOIN u ON …]
/// [WHERE …] [GROUP BY …] [HAVING …] [ORDER BY … [ASC|DESC] [NULLS FIRST|LAST]] [LIMIT n]
/// [OFFSET m]`, several statements separated by `;`.
public struct SQLParser {
    private var expressions: ExpressionParser

    public init(_ text: String) throws(QueryError) {
        var lexer = Lexer(text)
        expressions = ExpressionParser(tokens: try lexer.tokenize())
    }

    /// Every statement of the text, in order.
    public static func parse(_ text: String) throws(QueryError) -> [SelectStatement] {
        var parser = try SQLParser(text)
        var statements: [SelectStatement] = []
        while true {
            while parser.expressions.isSymbol(";") { _ = parser.expressions.advance() }
            if case .end = parser.expressions.current.kind { break }
            statements.append(try parser.parseSelect())
            if case .end = parser.expressions.current.kind { break }
            guard parser.expressions.isSymbol(";") else {
                throw QueryError(message: LocalizedText(zh: "这里应是语句的结束（; 或文末）。", en: "expected the end of the statement (; or the end of the text) here."),
                                 position: parser.expressions.current.position)
            }
        }
        if statements.isEmpty {
            throw QueryError(message: LocalizedText(zh: "没有查询语句。", en: "there is no statement."), position: nil)
        }
        return statements
    }

    private mutating func parseSelect() throws(QueryError) -> SelectStatement {
        try expressions.expectKeyword("SELECT")
        var distinct = false
        if expressions.isKeyword("DISTINCT") {
            _ = expressions.advance()
            distinct = true
        }
        var items: [SelectStatement.Item] = []
        repeat {
            if !items.isEmpty { _ = expressions.advance() }
            items.append(try parseItem())
        } while expressions.isSymbol(",")
        try expressions.expectKeyword("FROM")
        let from = try parseTable()
        var joins: [SelectStatement.Join] = []
        while expressions.isKeyword("JOIN") || expressions.isKeyword("LEFT") || expressions.isKeyword("INNER") {
            var left = false
            if expressions.isKeyword("LEFT") {
                left = true
                _ = expressions.advance()
                if expressions.isKeyword("OUTER") { _ = expressions.advance() }
            } else if expressions.isKeyword("INNER") {
                _ = expressions.advance()
            }
            try expressions.expectKeyword("JOIN")
            let table = try parseTable()
            try expressions.expectKeyword("ON")
            joins.append(SelectStatement.Join(left: left, table: table, condition: try expressions.parseExpression()))
        }
        var filter: Expression?
        if expressions.isKeyword("WHERE") {
            _ = expressions.advance()
            filter = try expressions.parseExpression()
        }
        var groupBy: [Expression] = []
        if expressions.isKeyword("GROUP") {
            _ = expressions.advance()
            try expressions.expectKeyword("BY")
            groupBy.append(try expressions.parseExpression())
            while expressions.isSymbol(",") {
                _ = expressions.advance()
                groupBy.append(try expressions.parseExpression())
            }
        }
        var having: Expression?
        if expressions.isKeyword("HAVING") {
            _ = expressions.advance()
            having = try expressions.parseExpression()
        }
        var orderBy: [OrderItem] = []
        if expressions.isKeyword("ORDER") {
            _ = expressions.advance()
            try expressions.expectKeyword("BY")
            orderBy = try expressions.parseOrderList()
        }
        var limit: Int?, offset: Int?
        if expressions.isKeyword("LIMIT") {
            _ = expressions.advance()
            limit = try parseCount("LIMIT")
        }
        if expressions.isKeyword("OFFSET") {
            _ = expressions.advance()
            offset = try parseCount("OFFSET")
        }
        return SelectStatement(distinct: distinct, items: items, from: from, joins: joins, filter: filter, groupBy: groupBy,
                               having: having, orderBy: orderBy, limit: limit, offset: offset)
    }

    private mutating func parseItem() throws(QueryError) -> SelectStatement.Item {
        if expressions.isSymbol("*") {
            return .star(expressions.advance().position)
        }
        let expression = try expressions.parseExpression()
        if expressions.isKeyword("AS") {
            _ = expressions.advance()
            return .expression(expression, alias: try parseName())
        }
        if case .identifier(let name) = expressions.current.kind, !SQLParser.reserved.contains(name.uppercased()) {
            _ = expressions.advance()
            return .expression(expression, alias: name)
        }
        if case .quotedIdentifier(let name) = expressions.current.kind {
            _ = expressions.advance()
            return .expression(expression, alias: name)
        }
        return .expression(expression, alias: nil)
    }

    private mutating func parseName() throws(QueryError) -> String {
        switch expressions.current.kind {
        case .identifier(let name), .quotedIdentifier(let name):
            _ = expressions.advance()
            return name
        default:
            throw QueryError(message: LocalizedText(zh: "这里应为名称。", en: "expected a name here."), position: expressions.current.position)
        }
    }

    private mutating func parseTable() throws(QueryError) -> SelectStatement.TableReference {
        let position = expressions.current.position
        let source: String, isPath: Bool
        switch expressions.current.kind {
        case .string(let path):
            source = path
            isPath = true
        case .identifier(let name), .quotedIdentifier(let name):
            source = name
            isPath = false
        default:
            throw QueryError(message: LocalizedText(zh: "这里应为表名或带引号的文件路径。", en: "expected a table name or a quoted file path here."),
                             position: position)
        }
        _ = expressions.advance()
        var alias: String?
        if expressions.isKeyword("AS") {
            _ = expressions.advance()
            alias = try parseName()
        } else if case .identifier(let name) = expressions.current.kind, !SQLParser.reserved.contains(name.uppercased()) {
            _ = expressions.advance()
            alias = name
        }
        return SelectStatement.TableReference(source: source, isPath: isPath, alias: alias, position: position)
    }

    private mutating func parseCount(_ clause: String) throws(QueryError) -> Int {
        guard case .number(let text) = expressions.current.kind, let value = Int(text), value >= 0 else {
            throw QueryError(message: LocalizedText(zh: "\(clause) 后应为非负整数。", en: "\(clause) takes a whole number."),
                             position: expressions.current.position)
        }
        _ = expressions.advance()
        return value
    }

    static let reserved: Set<String> = ["FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "JOIN", "LEFT", "INNER",
                                        "ON", "AS", "AND", "OR", "NOT", "UNION", "BY", "ASC", "DESC", "NULLS", "SELECT", "OUTER"]
}
