import Columnar

/// Evaluates expressions column-at-a-time over a table.
///
/// Comparisons of a text column with a constant are decided once per distinct string and then
/// looked up by dictionary code; numeric comparisons run as plain loops over the buffers.
public struct Evaluator {
    public let table: Table

    public init(table: Table) {
        self.table = table
    }

    /// The rows where `expression` is true.
    public func selectRows(where expression: Expression) throws(QueryError) -> [Int32] {
        let vector = try evaluate(expression)
        guard vector.dataType == .bool || vector.dataType == nil else {
            throw QueryError(message: LocalizedText(zh: "筛选条件必须是真假判断（例如 得分 < 70）。",
                                                    en: "the filter must be a condition that is true or false (e.g. score < 70)."),
                             position: expression.position)
        }
        return vector.selectedRows(rowCount: table.rowCount)
    }

    public func evaluate(_ expression: Expression) throws(QueryError) -> Vector {
        switch expression {
        case .column(let name, let position):
            guard let column = table.column(named: name) else {
                throw Evaluator.unknownColumn(name, position: position, candidates: table.allColumnNames)
            }
            return Vector(column: column)
        case .literal(let value, _):
            return .constant(value)
        case .not(let inner, let position):
            let operand = try evaluate(inner)
            try requireBool(operand, position: position)
            return mapBool(operand) { $0 == 2 ? 2 : 1 - $0 }
        case .binary(let op, let leftExpression, let rightExpression, let position):
            let left = try evaluate(leftExpression)
            let right = try evaluate(rightExpression)
            switch op {
            case .and, .or:
                try requireBool(left, position: leftExpression.position)
                try requireBool(right, position: rightExpression.position)
                return logical(op, left, right)
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
                return try compare(op, left, right, position: position)
            case .add, .subtract, .multiply, .divide, .concatenate:
                return try rowAtATime(expression)
            }
        case .isNull(let inner, let negated, _):
            let operand = try evaluate(inner)
            return .bool((0..<table.rowCount).map { row in
                (operand.value(at: row).isNull != negated) ? 1 : 0
            })
        case .inList(let subject, let items, let negated, let position):
            let left = try evaluate(subject)
            var result: Vector = .constant(.bool(false))
            for item in items {
                result = logical(.or, result, try compare(.equal, left, try evaluate(item), position: position))
            }
            return negated ? mapBool(result) { $0 == 2 ? 2 : 1 - $0 } : result
        case .between(let subject, let low, let high, let negated, let position):
            let value = try evaluate(subject)
            let inside = logical(.and, try compare(.greaterOrEqual, value, try evaluate(low), position: position),
                                 try compare(.lessOrEqual, value, try evaluate(high), position: position))
            return negated ? mapBool(inside) { $0 == 2 ? 2 : 1 - $0 } : inside
        case .like(let subject, let patternExpression, let negated, let position):
            let value = try evaluate(subject)
            guard case .constant(.text(let pattern)) = try evaluate(patternExpression) else {
                throw QueryError.likeNeedsPattern(at: patternExpression.position)
            }
            guard value.dataType == .text || value.dataType == nil else {
                throw QueryError.likeNeedsText(at: position)
            }
            let matcher = LikePattern(pattern)
            let result = mapText(value) { matcher.matches($0) ? 1 : 0 }
            return negated ? mapBool(result) { $0 == 2 ? 2 : 1 - $0 } : result
        case .negate, .qualifiedColumn, .function, .caseWhen, .cast, .window:
            return try rowAtATime(expression)
        }
    }

    /// Arithmetic, functions, CASE and CAST: compiled by the query language's binder, run row by row.
    private func rowAtATime(_ expression: Expression) throws(QueryError) -> Vector {
        var scope = Scope()
        for column in table.columns {
            scope.entries.append(Scope.Entry(qualifier: nil, name: column.name, aliases: column.aliases, type: column.dataType,
                                             source: .tableColumn(table: 0, column: column)))
        }
        let compiled = try Binder(scope: scope).bind(expression)
        var values: [Value] = []
        values.reserveCapacity(table.rowCount)
        var id: Int32 = 0
        for row in 0..<table.rowCount {
            id = Int32(row)
            values.append(withUnsafePointer(to: &id) { compiled.evaluate(EvaluationRow(ids: $0, values: nil)) })
        }
        if compiled.type == .bool {
            return .bool(values.map { value in
                if case .bool(let flag) = value { return flag ? 1 : 0 }
                return 2
            })
        }
        return Vector.from(values)
    }

    public static func unknownColumn(_ name: String, position: TextPosition = .start, candidates: [String]) -> QueryError {
        let close = NameSuggestions.closest(to: name, among: candidates)
        let hintZh = close.isEmpty ? "" : "，是不是指：" + close.joined(separator: "、")
        let hintEn = close.isEmpty ? "" : "; did you mean: " + close.joined(separator: ", ")
        return QueryError(message: LocalizedText(zh: "没有名为「\(name)」的列\(hintZh)", en: "no column named '\(name)'\(hintEn)"),
                          position: position)
    }

    private func requireBool(_ vector: Vector, position: TextPosition) throws(QueryError) {
        guard vector.dataType == .bool || vector.dataType == nil else {
            throw QueryError(message: LocalizedText(zh: "AND/OR/NOT 两边必须是真假判断。", en: "AND, OR and NOT take conditions (true or false)."),
                             position: position)
        }
    }

    private func boolBytes(_ vector: Vector) -> [UInt8] {
        switch vector {
        case .bool(let values): return values
        case .constant(let value):
            let byte: UInt8
            switch value {
            case .bool(let flag): byte = flag ? 1 : 0
            default: byte = 2
            }
            return [UInt8](repeating: byte, count: table.rowCount)
        default:
            return [UInt8](repeating: 2, count: table.rowCount)
        }
    }

    private func mapBool(_ vector: Vector, _ transform: (UInt8) -> UInt8) -> Vector {
        .bool(boolBytes(vector).map(transform))
    }

    /// SQL's three-valued AND and OR.
    private func logical(_ op: BinaryOperator, _ left: Vector, _ right: Vector) -> Vector {
        let a = boolBytes(left), b = boolBytes(right)
        var result = [UInt8](repeating: 0, count: a.count)
        for row in 0..<a.count {
            let x = a[row], y = b[row]
            if op == .and {
                result[row] = (x == 0 || y == 0) ? 0 : ((x == 2 || y == 2) ? 2 : 1)
            } else {
                result[row] = (x == 1 || y == 1) ? 1 : ((x == 2 || y == 2) ? 2 : 0)
            }
        }
        return .bool(result)
    }

    /// Applies a per-string predicate to a text vector, once per distinct string.
    private func mapText(_ vector: Vector, _ predicate: (String) -> UInt8) -> Vector {
        switch vector {
        case .text(let codes, let dictionary, let validity):
            let perCode = (0..<UInt32(dictionary.count)).map { predicate(dictionary.string(at: $0)) }
            var result = [UInt8](repeating: 0, count: codes.count)
            for row in 0..<codes.count {
                result[row] = validity.map { !$0[row] } == true ? 2 : perCode[Int(codes[row])]
            }
            return .bool(result)
        case .constant(.text(let text)):
            return .constant(.bool(predicate(text) == 1))
        default:
            return .constant(.null)
        }
    }
}
