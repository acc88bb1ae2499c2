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
            return .column(name, token.position)
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
            case "AND", "OR", "NOT", "IN", "IS", "BETWEEN", "LIKE":
                throw QueryError(message: LocalizedText(zh: "这里缺少列名或数值。", en: "a column or value is missing here."),
                                 position: token.position)
            default:
                _ = advance()
                return .column(name, token.position)
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

    private func isSymbolToken(_ token: Token, _ symbol: String) -> Bool {
        if case .symbol(let text) = token.kind { return text == symbol }
        return false
    }
}
