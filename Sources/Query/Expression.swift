import Columnar

/// A position in a query's text, for errors with a caret under the place.
public struct TextPosition: Sendable, Equatable {
    /// 1-based line and column (columns count characters).
    public var line: Int
    public var column: Int
    /// Offset in characters from the start of the text.
    public var offset: Int

    /// The start of a text: where errors about a name given outside the text (an option such as
    /// `--by`) point.
    public static let start = TextPosition(line: 1, column: 1, offset: 0)

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
    /// `table.column`.
    case qualifiedColumn(String, String, TextPosition)
    /// A function or aggregate call; `star` for `count(*)`.
    case function(String, [Expression], distinct: Bool, star: Bool, TextPosition)
    /// `CASE [operand] WHEN … THEN … [ELSE …] END`.
    case caseWhen(Expression?, [(Expression, Expression)], Expression?, TextPosition)
    case cast(Expression, DataType, TextPosition)
    /// `rank() OVER (PARTITION BY … ORDER BY …)` and `dense_rank()`.
    case window(String, arguments: [Expression], star: Bool, partitionBy: [Expression], orderBy: [OrderItem], TextPosition)

    /// Where the expression starts in the text.
    public var position: TextPosition {
        switch self {
        case .column(_, let position), .literal(_, let position), .not(_, let position), .negate(_, let position),
             .binary(_, _, _, let position), .isNull(_, _, let position), .inList(_, _, _, let position),
             .between(_, _, _, _, let position), .like(_, _, _, let position), .qualifiedColumn(_, _, let position),
             .function(_, _, _, _, let position), .caseWhen(_, _, _, let position), .cast(_, _, let position),
             .window(_, _, _, _, _, let position):
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
        case .qualifiedColumn(_, let name, _): return [name]
        case .function(_, let arguments, _, _, _): return arguments.flatMap(\.columnNames)
        case .caseWhen(let operand, let branches, let otherwise, _):
            return (operand?.columnNames ?? []) + branches.flatMap { $0.0.columnNames + $0.1.columnNames } + (otherwise?.columnNames ?? [])
        case .cast(let inner, _, _): return inner.columnNames
        case .window(_, let arguments, _, let partition, let order, _):
            return arguments.flatMap(\.columnNames) + partition.flatMap(\.columnNames) + order.flatMap(\.expression.columnNames)
        }
    }

    /// Whether an aggregate call occurs in the expression (outside window functions).
    public var containsAggregate: Bool {
        switch self {
        case .function(let name, let arguments, _, _, _):
            return FunctionCatalog.isAggregate(name) || arguments.contains { $0.containsAggregate }
        case .column, .literal, .qualifiedColumn, .window: return false
        case .not(let inner, _), .negate(let inner, _), .isNull(let inner, _, _), .cast(let inner, _, _): return inner.containsAggregate
        case .binary(_, let left, let right, _), .like(let left, let right, _, _): return left.containsAggregate || right.containsAggregate
        case .inList(let subject, let items, _, _): return subject.containsAggregate || items.contains { $0.containsAggregate }
        case .between(let a, let b, let c, _, _): return a.containsAggregate || b.containsAggregate || c.containsAggregate
        case .caseWhen(let operand, let branches, let otherwise, _):
            return operand?.containsAggregate == true || branches.contains { $0.0.containsAggregate || $0.1.containsAggregate }
                || otherwise?.containsAggregate == true
        }
    }

    /// Whether a window function occurs in the expression.
    public var containsWindow: Bool {
        switch self {
        case .window: return true
        case .column, .literal, .qualifiedColumn: return false
        case .function(_, let arguments, _, _, _): return arguments.contains { $0.containsWindow }
        case .not(let inner, _), .negate(let inner, _), .isNull(let inner, _, _), .cast(let inner, _, _): return inner.containsWindow
        case .binary(_, let left, let right, _), .like(let left, let right, _, _): return left.containsWindow || right.containsWindow
        case .inList(let subject, let items, _, _): return subject.containsWindow || items.contains { $0.containsWindow }
        case .between(let a, let b, let c, _, _): return a.containsWindow || b.containsWindow || c.containsWindow
        case .caseWhen(let operand, let branches, let otherwise, _):
            return operand?.containsWindow == true || branches.contains { $0.0.containsWindow || $0.1.containsWindow }
                || otherwise?.containsWindow == true
        }
    }
}

/// One `ORDER BY` item.
public struct OrderItem: Sendable {
    public var expression: Expression
    public var descending: Bool
    /// Nil: the default, nulls last (DuckDB's default in either direction).
    public var nullsFirst: Bool?

    public init(expression: Expression, descending: Bool, nullsFirst: Bool?) {
        self.expression = expression
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}
