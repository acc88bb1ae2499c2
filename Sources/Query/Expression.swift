import Columnar

/// A position in a query's text, for errors with a caret under the place.
public struct TextPosition: Sendable, Equatable {
    /// 1-based line and column (columns count characters).
    public var line: Int
    public var column: Int
    /// Offset in characters from the start of the text.
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }
}

/// Binary operators, by SQL spelling.
public enum BinaryOperator: String, Sendable {
    case and = "AND"
    case or = "OR"
    case equal = "="
    case notEqual = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case concatenate = "||"

    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return true
        default: return false
        }
    }

    public var isArithmetic: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide: return true
        default: return false
        }
    }
}

/// An expression over the columns of one row.
public indirect enum Expression: Sendable {
    case column(String, TextPosition)
    case literal(Value, TextPosition)
    case not(Expression, TextPosition)
    case negate(Expression, TextPosition)
    case binary(BinaryOperator, Expression, Expression, TextPosition)
    case isNull(Expression, negated: Bool, TextPosition)
    case inList(Expression, [Expression], negated: Bool, TextPosition)
    case between(Expression, Expression, Expression, negated: Bool, TextPosition)
    case like(Expression, Expression, negated: Bool, TextPosition)

    /// Where the expression starts in the text.
    public var position: TextPosition {
        switch self {
        case .column(_, let position), .literal(_, let position), .not(_, let position), .negate(_, let position),
             .binary(_, _, _, let position), .isNull(_, _, let position), .inList(_, _, _, let position),
             .between(_, _, _, _, let position), .like(_, _, _, let position):
            return position
        }
    }

    /// The names of every column the expression reads.
    public var columnNames: [String] {
        switch self {
        case .column(let name, _): return [name]
        case .literal: return []
        case .not(let inner, _), .negate(let inner, _), .isNull(let inner, _, _): return inner.columnNames
        case .binary(_, let left, let right, _), .like(let left, let right, _, _): return left.columnNames + right.columnNames
        case .inList(let subject, let items, _, _): return subject.columnNames + items.flatMap(\.columnNames)
        case .between(let subject, let low, let high, _, _): return subject.columnNames + low.columnNames + high.columnNames
        }
    }
}
