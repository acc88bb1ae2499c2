import Kernels
import Columnar

/// Evaluates expressions column-at-a-time over one table: the expression bound to the table's
/// columns by `Binder` (the query language's one binder) and run on its vector kernels.
public struct Evaluator {
    public let table: Table

    public init(table: Table) {
        self.table = table
    }

    /// The rows where `expression` is true (unknown counts as false, as in WHERE).
    public func selectRows(where expression: Expression) throws(QueryError) -> [Int32] {
        let condition = try Binder(scope: Scope(table: table)).bind(expression)
        guard condition.type == .bool || condition.type == nil else {
            throw QueryError(message: LocalizedText(zh: "筛选条件必须是真假判断（例如 得分 < 70）。",
                                                    en: "the filter must be a condition that is true or false (e.g. score < 70)."),
                             position: expression.position)
        }
        return condition.selectedRows(among: nil, rowCount: table.rowCount)
    }

    public func evaluate(_ expression: Expression) throws(QueryError) -> Vector {
        try Binder(scope: Scope(table: table)).bind(expression).evaluate()
    }

    public static func unknownColumn(_ name: String, position: TextPosition = .start, candidates: [String]) -> QueryError {
        let close = NameSuggestions.closest(to: name, among: candidates)
        let hintZh = close.isEmpty ? "" : "，是不是指：" + close.joined(separator: "、")
        let hintEn = close.isEmpty ? "" : "; did you mean: " + close.joined(separator: ", ")
        return QueryError(message: LocalizedText(zh: "没有名为「\(name)」的列\(hintZh)", en: "no column named '\(name)'\(hintEn)"),
                          position: position)
    }

    static func typeName(_ type: DataType, _ language: Language) -> String {
        switch (type, language) {
        case (.int64, .zh), (.float64, .zh): return "数值"
        case (.date, .zh): return "日期"
        case (.timestamp, .zh): return "日期时间"
        case (.bool, .zh): return "是/否"
        case (.text, .zh): return "文字"
        case (.int64, .en), (.float64, .en): return "a number"
        case (.date, .en): return "a date"
        case (.timestamp, .en): return "a date and time"
        case (.bool, .en): return "a yes/no value"
        case (.text, .en): return "text"
        }
    }
}

extension BinaryOperator {
    /// The operator with its sides swapped (`a < b` is `b > a`).
    var mirrored: BinaryOperator {
        switch self {
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        default: return self
        }
    }
}

extension Vector {
    /// A typed vector from row values of one type (nulls allowed).
    static func from(_ values: [Value]) -> Vector {
        var validity = Bitmap(count: values.count, value: true)
        let firstType = values.first { !$0.isNull }
        for (row, value) in values.enumerated() where value.isNull { validity[row] = false }
        let nulls: Bitmap? = validity.allSet ? nil : validity
        switch firstType {
        case .int?:
            return .int64(values.map { if case .int(let x) = $0 { return x } else { return 0 } }, nulls)
        case .double?:
            return .float64(values.map { $0.asDouble ?? 0 }, nulls)
        case .date?:
            return .date(values.map { if case .date(let x) = $0 { return x } else { return 0 } }, nulls)
        case .timestamp?:
            return .timestamp(values.map { if case .timestamp(let x) = $0 { return x } else { return 0 } }, nulls)
        case .bool?:
            return .bool(values.map { if case .bool(let x) = $0 { return x ? 1 : 0 } else { return 2 } })
        case .text?:
            var dictionary = TextDictionary()
            let codes = values.map { value -> UInt32 in
                if case .text(let text) = value { return dictionary.code(for: text) }
                return 0
            }
            return .text(codes, dictionary, nulls)
        case .null?, nil:
            return .constant(.null)
        }
    }
}
