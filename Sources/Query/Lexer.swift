import Columnar

/// A token of the query language.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case identifier(String)
        case quotedIdentifier(String)
        case string(String)
        case number(String)
        case symbol(String)
        case end
    }

    public var kind: Kind
    public var position: TextPosition
}

/// Splits query text into tokens. Identifiers may be Chinese; `"…"` quotes an identifier and
/// `'…'` a string (doubled quotes escape). `--` starts a comment to the end of the line.
public struct Lexer {
    private let characters: [Character]
    private var index = 0
    private var line = 1
    private var column = 1

    public init(_ text: String) {
        characters = Array(text)
    }

    /// All tokens, ending with `.end`.
    public mutating func tokenize() throws(QueryError) -> [Token] {
        var tokens: [Token] = []
        while true {
            skipSpaceAndComments()
            let position = TextPosition(line: line, column: column, offset: index)
            guard index < characters.count else {
                tokens.append(Token(kind: .end, position: position))
                return tokens
            }
            let character = characters[index]
            if character == "'" {
                tokens.append(Token(kind: .string(try quoted("'", position: position)), position: position))
            } else if character == "\"" {
                tokens.append(Token(kind: .quotedIdentifier(try quoted("\"", position: position)), position: position))
            } else if character.isNumber && character.isASCII || (character == "." && peek(1)?.isASCII == true && peek(1)?.isNumber == true) {
                tokens.append(Token(kind: .number(number()), position: position))
            } else if isIdentifierStart(character) {
                var name = ""
                while index < characters.count, isIdentifierPart(characters[index]) {
                    name.append(advance())
                }
                tokens.append(Token(kind: .identifier(name), position: position))
            } else {
                let two = index + 1 < characters.count ? String([character, characters[index + 1]]) : ""
                if ["<=", ">=", "<>", "!=", "||"].contains(two) {
                    _ = advance()
                    _ = advance()
                    tokens.append(Token(kind: .symbol(two == "!=" ? "<>" : two), position: position))
                } else if "=<>+-*/(),;.%".contains(character) {
                    _ = advance()
                    tokens.append(Token(kind: .symbol(String(character)), position: position))
                } else if character == "（" || character == "）" || character == "，" {
                    throw QueryError(
                        message: LocalizedText(zh: "这里是中文标点「\(character)」，请改用英文标点。",
                                               en: "a full-width '\(character)' here; use the ASCII one."),
                        position: position)
                } else {
                    throw QueryError(
                        message: LocalizedText(zh: "看不懂的字符「\(character)」。", en: "unexpected character '\(character)'."),
                        position: position)
                }
            }
        }
    }

    private func peek(_ ahead: Int) -> Character? {
        index + ahead < characters.count ? characters[index + ahead] : nil
    }

    private mutating func advance() -> Character {
        let character = characters[index]
        index += 1
        if character == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        return character
    }

    private mutating func skipSpaceAndComments() {
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace || character == "\u{3000}" {
                _ = advance()
            } else if character == "-", peek(1) == "-" {
                while index < characters.count, characters[index] != "\n" { _ = advance() }
            } else {
                return
            }
        }
    }

    private mutating func quoted(_ quote: Character, position: TextPosition) throws(QueryError) -> String {
        _ = advance()
        var text = ""
        while index < characters.count {
            let character = advance()
            if character == quote {
                if index < characters.count, characters[index] == quote {
                    _ = advance()
                    text.append(quote)
                } else {
                    return text
                }
            } else {
                text.append(character)
            }
        }
        throw QueryError(
            message: LocalizedText(zh: "引号 \(quote) 没有闭合。", en: "the \(quote) opened here is never closed."),
            position: position)
    }

    private mutating func number() -> String {
        var text = ""
        while index < characters.count, characters[index].isASCII, characters[index].isNumber || characters[index] == "." {
            text.append(advance())
        }
        if index < characters.count, characters[index] == "e" || characters[index] == "E",
           let next = peek(1), next.isASCII, next.isNumber || ((next == "-" || next == "+") && peek(2)?.isNumber == true) {
            text.append(advance())
            text.append(advance())
            while index < characters.count, characters[index].isASCII, characters[index].isNumber { text.append(advance()) }
        }
        return text
    }

    private func isIdentifierStart(_ character: Character) -> Bool {
        character == "_" || character.isLetter || (!character.isASCII && !character.isPunctuation && !character.isWhitespace && !"（），".contains(character))
    }

    private func isIdentifierPart(_ character: Character) -> Bool {
        isIdentifierStart(character) || (character.isASCII && character.isNumber)
    }
}
