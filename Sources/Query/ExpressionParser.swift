import Columnar

/// Parses expressions: `评查年度 = 2022 and 执法领域 = '市场监管'`, `score between 60 and 70`,
/// `county is null`, `level in ('县级', '乡镇')`, arithmetic and `||`.
///
/// Precedence, loosest first: OR, AND, NOT, comparisons (= <> < <= > >= IS IN BETWEEN LIKE),
/// `||`, `+ -`, `* /`, unary minus.
public struct ExpressionParser {
    var tokens: [Token]
    var index = 0

    public init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// Parses a whole text as one expression.
    public static func parse(_ text: String) throws(QueryError) -> Expression {
        var lexer = Lexer(text)
        var parser = ExpressionParser(tokens: try lexer.tokenize())
        let expression = try parser.parseExpression()
        guard case .end = parser.current.kind else {
            throw QueryError(
                message: LocalizedText(zh: "表达式在这里之后还有多余的内容。", en: "unexpected text after the end of the expression."),
                position: parser.current.position)
        }
        return expression
    }

    var current: Token { tokens[index] }

    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    /// Whether the current token is the keyword `word` (any case).
    func isKeyword(_ word: String, ahead: Int = 0) -> Bool {
        guard index + ahead < tokens.count, case .identifier(let name) = tokens[index + ahead].kind else { return false }
        return name.uppercased() == word
    }

    func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(let text) = current.kind { return text == symbol }
        return false
    }

    mutating func expectSymbol(_ symbol: String) throws(QueryError) {
        guard isSymbol(symbol) else {
            throw QueryError(message: LocalizedText(zh: "这里应为「\(symbol)」。", en: "expected '\(symbol)' here."),
                             position: current.position)
        }
        _ = advance()
    }

    mutating func expectKeyword(_ word: String) throws(QueryError) {
        guard isKeyword(word) else {
            throw QueryError(message: LocalizedText(zh: "这里应为 \(word)。", en: "expected \(word) here."),
                             position: current.position)
        }
        _ = advance()
    }

    public mutating func parseExpression() throws(QueryError) -> Expression {
        try parseOr()
    }

    mutating func parseOr() throws(QueryError) -> Expression {
        var left = try parseAnd()
        while isKeyword("OR") {
            let position = advance().position
            left = .binary(.or, left, try parseAnd(), position)
        }
        return left
    }

    mutating func parseAnd() throws(QueryError) -> Expression {
        var left = try parseNot()
        while isKeyword("AND") {
            let position = advance().position
            left = .binary(.and, left, try parseNot(), position)
        }
        return left
    }

    mutating func parseNot() throws(QueryError) -> Expression {
        if isKeyword("NOT") {
            let position = advance().position
            return .not(try parseNot(), position)
        }
        return try parseComparison()
    }

    mutating func parseComparison() throws(QueryError) -> Expression {
        let left = try parseConcatenation()
        let position = current.position
        if case .symbol(let symbol) = current.kind, let op = BinaryOperator(rawValue: symbol), op.isComparison {
            _ = advance()
            return .binary(op, left, try parseConcatenation(), position)
        }
        if isKeyword("IS") {
            _ = advance()
            let negated = isKeyword("NOT")
            if negated { _ = advance() }
            try expectKeyword("NULL")
            return .isNull(left, negated: negated, position)
        }
        let negated = isKeyword("NOT") && (isKeyword("IN", ahead: 1) || isKeyword("BETWEEN", ahead: 1) || isKeyword("LIKE", ahead: 1))
        if negated { _ = advance() }
        if isKeyword("IN") {
            _ = advance()
            try expectSymbol("(")
            var items = [try parseExpression()]
            while isSymbol(",") {
                _ = advance()
                items.append(try parseExpression())
            }
            try expectSymbol(")")
            return .inList(left, items, negated: negated, position)
        }
        if isKeyword("BETWEEN") {
            _ = advance()
            let low = try parseConcatenation()
            try expectKeyword("AND")
            let high = try parseConcatenation()
            return .between(left, low, high, negated: negated, position)
        }
        if isKeyword("LIKE") {
            _ = advance()
            return .like(left, try parseConcatenation(), negated: negated, position)
        }
        return left
    }

    mutating func parseConcatenation() throws(QueryError) -> Expression {
        var left = try parseAdditive()
        while isSymbol("||") {
            let position = advance().position
            left = .binary(.concatenate, left, try parseAdditive(), position)
        }
        return left
    }

    mutating func parseAdditive() throws(QueryError) -> Expression {
        var left = try parseMultiplicative()
        while isSymbol("+") || isSymbol("-") {
            let token = advance()
            left = .binary(isSymbolToken(token, "+") ? .add : .subtract, left, try parseMultiplicative(), token.position)
        }
        return left
    }

    mutating func parseMultiplicative() throws(QueryError) -> Expression {
        var left = try parseUnary()
        while isSymbol("*") || isSymbol("/") {
            let token = advance()
            left = .binary(isSymbolToken(token, "*") ? .multiply : .divide, left, try parseUnary(), token.position)
        }
        return left
    }

    mutating func parseUnary() throws(QueryError) -> Expression {
        if isSymbol("-") {
            let position = advance().position
            return .negate(try parseUnary(), position)
        }
        if isSymbol("+") { _ = advance() }
        return try parsePrimary()
    }

    mutating func parsePrimary() throws(QueryError) -> Expression {
        let token = current
        switch token.kind {
        case .number(let text):
            _ = advance()
            if let integer = Int64(text) { return .literal(.int(integer), token.position) }
            if let number = Double(text) { return .literal(.double(number), token.position) }
            throw QueryError(message: LocalizedText(zh: "「\(text)」不是有效的数字。", en: "'\(text)' is not a valid number."),
                             position: token.position)
        case .string(let text):
            _ = advance()
            return .literal(.text(text), token.position)
        case .quotedIdentifier(let name):
            _ = advance()
            return try columnReference(name, token.position)
        case .identifier(let name):
            switch name.uppercased() {
            case "NULL":
                _ = advance()
                return .literal(.null, token.position)
            case "TRUE":
                _ = advance()
                return .literal(.bool(true), token.position)
            case "FALSE":
                _ = advance()
                return .literal(.bool(false), token.position)
            case "AND", "OR", "NOT", "IN", "IS", "BETWEEN", "LIKE", "FROM", "WHERE", "GROUP", "ORDER", "HAVING", "LIMIT":
                throw QueryError(message: LocalizedText(zh: "这里缺少列名或数值。", en: "a column or value is missing here."),
                                 position: token.position)
            case "CASE":
                _ = advance()
                return try parseCase(token.position)
            case "CAST":
                _ = advance()
                return try parseCast(token.position)
            case "DATE" where isStringAhead:
                _ = advance()
                guard case .string(let text) = advance().kind, let value = Self.dateLiteral(text) else {
                    throw QueryError(message: LocalizedText(zh: "DATE 后应为日期，例如 DATE '2022-06-15'。",
                                                            en: "DATE takes a date such as DATE '2022-06-15'."), position: token.position)
                }
                return .literal(value, token.position)
            default:
                _ = advance()
                if isSymbol("(") { return try parseCall(name, token.position) }
                return try columnReference(name, token.position)
            }
        case .symbol("("):
            _ = advance()
            let inner = try parseExpression()
            try expectSymbol(")")
            return inner
        case .end:
            throw QueryError(message: LocalizedText(zh: "表达式不完整。", en: "the expression is incomplete."),
                             position: token.position)
        case .symbol(let symbol):
            throw QueryError(message: LocalizedText(zh: "这里不该出现「\(symbol)」。", en: "unexpected '\(symbol)' here."),
                             position: token.position)
        }
    }

    /// `name` or `name.column`, the name just read.
    mutating func columnReference(_ name: String, _ position: TextPosition) throws(QueryError) -> Expression {
        guard isSymbol(".") else { return .column(name, position) }
        _ = advance()
        switch current.kind {
        case .identifier(let column), .quotedIdentifier(let column):
            _ = advance()
            return .qualifiedColumn(name, column, position)
        default:
            throw QueryError(message: LocalizedText(zh: "「.」后应为列名。", en: "a column name must follow '.'."), position: current.position)
        }
    }

    private var isStringAhead: Bool {
        guard index + 1 < tokens.count, case .string = tokens[index + 1].kind else { return false }
        return true
    }

    static func dateLiteral(_ text: String) -> Value? {
        var copy = text
        return copy.withUTF8 { FieldParsers.parseDate(UnsafeRawBufferPointer($0)) }.map(Value.date)
    }

    /// `name(…)`, `count(*)`, `count(DISTINCT x)`, and `rank() OVER (…)`.
    mutating func parseCall(_ name: String, _ position: TextPosition) throws(QueryError) -> Expression {
        try expectSymbol("(")
        var arguments: [Expression] = []
        var distinct = false, star = false
        if isSymbol("*") {
            _ = advance()
            star = true
        } else if !isSymbol(")") {
            if isKeyword("DISTINCT") {
                _ = advance()
                distinct = true
            }
            arguments.append(try parseExpression())
            while isSymbol(",") {
                _ = advance()
                arguments.append(try parseExpression())
            }
        }
        try expectSymbol(")")
        if isKeyword("OVER") {
            _ = advance()
            try expectSymbol("(")
            var partition: [Expression] = []
            var order: [OrderItem] = []
            if isKeyword("PARTITION") {
                _ = advance()
                try expectKeyword("BY")
                partition.append(try parseExpression())
                while isSymbol(",") {
                    _ = advance()
                    partition.append(try parseExpression())
                }
            }
            if isKeyword("ORDER") {
                _ = advance()
                try expectKeyword("BY")
                order = try parseOrderList()
            }
            try expectSymbol(")")
            let lowered = name.lowercased()
            let ranking = ["rank", "dense_rank", "row_number"].contains(lowered) && arguments.isEmpty && !star
            let entry = FunctionCatalog.entry(lowered)
            let aggregate = entry?.overPartition == true && !distinct
                && ((star && entry!.allowsStar) || (!star && entry!.arity.contains(arguments.count)))
            guard ranking || aggregate else {
                throw QueryError(message: LocalizedText(zh: "OVER 只支持 rank()、dense_rank()、row_number()，以及整个分区上的 sum、avg、count、min、max。",
                                                        en: "OVER supports rank(), dense_rank(), row_number(), and sum, avg, count, min, max over a whole partition."),
                                 position: position)
            }
            if aggregate && !order.isEmpty {
                throw QueryError(message: LocalizedText(zh: "窗口中的 \(lowered)() 不支持 ORDER BY（累计值）；去掉 ORDER BY 即为整个分区的值。",
                                                        en: "\(lowered)() OVER (… ORDER BY …), a running total, is not supported; without ORDER BY it covers the whole partition."),
                                 position: position)
            }
            return .window(lowered, arguments: arguments, star: star, partitionBy: partition, orderBy: order, position)
        }
        return .function(name.lowercased(), arguments, distinct: distinct, star: star, position)
    }

    /// `expression [ASC|DESC] [NULLS FIRST|LAST], …`
    mutating func parseOrderList() throws(QueryError) -> [OrderItem] {
        var items: [OrderItem] = []
        repeat {
            if !items.isEmpty { _ = advance() }
            let expression = try parseExpression()
            var descending = false
            if isKeyword("ASC") {
                _ = advance()
            } else if isKeyword("DESC") {
                _ = advance()
                descending = true
            }
            var nullsFirst: Bool?
            if isKeyword("NULLS") {
                _ = advance()
                if isKeyword("FIRST") {
                    nullsFirst = true
                } else if isKeyword("LAST") {
                    nullsFirst = false
                } else {
                    throw QueryError(message: LocalizedText(zh: "NULLS 后应为 FIRST 或 LAST。", en: "NULLS takes FIRST or LAST."),
                                     position: current.position)
                }
                _ = advance()
            }
            items.append(OrderItem(expression: expression, descending: descending, nullsFirst: nullsFirst))
        } while isSymbol(",")
        return items
    }

    mutating func parseCase(_ position: TextPosition) throws(QueryError) -> Expression {
        var operand: Expression?
        if !isKeyword("WHEN") { operand = try parseExpression() }
        var branches: [(Expression, Expression)] = []
        while isKeyword("WHEN") {
            _ = advance()
            let condition = try parseExpression()
            try expectKeyword("THEN")
            branches.append((condition, try parseExpression()))
        }
        guard !branches.isEmpty else {
            throw QueryError(message: LocalizedText(zh: "CASE 至少要有一个 WHEN。", en: "CASE needs at least one WHEN."), position: position)
        }
        var otherwise: Expression?
        if isKeyword("ELSE") {
            _ = advance()
            otherwise = try parseExpression()
        }
        try expectKeyword("END")
        return .caseWhen(operand, branches, otherwise, position)
    }

    mutating func parseCast(_ position: TextPosition) throws(QueryError) -> Expression {
        try expectSymbol("(")
        let inner = try parseExpression()
        try expectKeyword("AS")
        guard case .identifier(let typeName) = current.kind, let type = Self.castType(typeName) else {
            throw QueryError(message: LocalizedText(zh: "不认识的类型；可用 INTEGER、DOUBLE、VARCHAR、DATE、BOOLEAN。",
                                                    en: "unknown type; use INTEGER, DOUBLE, VARCHAR, DATE or BOOLEAN."), position: current.position)
        }
        _ = advance()
        try expectSymbol(")")
        return .cast(inner, type, position)
    }

    static func castType(_ name: String) -> DataType? {
        switch name.uppercased() {
        case "INTEGER", "INT", "BIGINT", "SMALLINT", "INT64", "HUGEINT": return .int64
        case "DOUBLE", "FLOAT", "REAL", "DECIMAL", "NUMERIC", "FLOAT64": return .float64
        case "VARCHAR", "TEXT", "STRING", "CHAR": return .text
        case "DATE": return .date
        case "TIMESTAMP", "DATETIME": return .timestamp
        case "BOOLEAN", "BOOL": return .bool
        default: return nil
        }
    }

    private func isSymbolToken(_ token: Token, _ symbol: String) -> Bool {
        if case .symbol(let text) = token.kind { return text == symbol }
        return false
    }
}
