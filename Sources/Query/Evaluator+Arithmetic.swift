import Columnar

extension Evaluator {
    /// `+ - * /` on numbers (integers stay integers except for division), and date minus date
    /// in days. Division by zero gives null, as in DuckDB.
    func arithmetic(_ op: BinaryOperator, _ left: Vector, _ right: Vector, position: TextPosition) throws(QueryError) -> Vector {
        if case .constant(.null) = left { return .constant(.null) }
        if case .constant(.null) = right { return .constant(.null) }
        let leftType = left.dataType, rightType = right.dataType
        if leftType == .date, rightType == .date, op == .subtract {
            return rowWise(left, right) { a, b in
                guard case .date(let x) = a, case .date(let y) = b else { return .null }
                return .int(Int64(x) - Int64(y))
            }
        }
        if leftType == .date, rightType == .int64, op == .add || op == .subtract {
            return rowWise(left, right) { a, b in
                guard case .date(let x) = a, case .int(let days) = b else { return .null }
                return .date(op == .add ? x + Int32(days) : x - Int32(days))
            }
        }
        guard leftType?.isNumeric == true, rightType?.isNumeric == true else {
            throw QueryError(
                message: LocalizedText(zh: "算术运算只能用于数值。", en: "arithmetic applies to numbers only."),
                position: position)
        }
        let integers = leftType == .int64 && rightType == .int64 && op != .divide
        if case .constant(let x) = left, case .constant(let y) = right {
            return .constant(Evaluator.apply(op, x, y, integers: integers))
        }
        return rowWise(left, right) { a, b in Evaluator.apply(op, a, b, integers: integers) }
    }

    static func apply(_ op: BinaryOperator, _ a: Value, _ b: Value, integers: Bool) -> Value {
        if integers, case .int(let x) = a, case .int(let y) = b {
            switch op {
            case .add: return .int(x &+ y)
            case .subtract: return .int(x &- y)
            case .multiply: return .int(x &* y)
            default: return .null
            }
        }
        guard let x = a.asDouble, let y = b.asDouble else { return .null }
        switch op {
        case .add: return .double(x + y)
        case .subtract: return .double(x - y)
        case .multiply: return .double(x * y)
        case .divide: return y == 0 ? .null : .double(x / y)
        default: return .null
        }
    }

    /// `||` joins text; null makes null.
    func concatenate(_ left: Vector, _ right: Vector) -> Vector {
        if case .constant(let x) = left, case .constant(let y) = right {
            return .constant(x.isNull || y.isNull ? .null : .text(x.plainText + y.plainText))
        }
        return rowWise(left, right) { a, b in
            a.isNull || b.isNull ? .null : .text(a.plainText + b.plainText)
        }
    }

    /// Row-at-a-time evaluation into a typed vector (the general path).
    func rowWise(_ left: Vector, _ right: Vector, _ body: (Value, Value) -> Value) -> Vector {
        var values: [Value] = []
        values.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount { values.append(body(left.value(at: row), right.value(at: row))) }
        return Vector.from(values)
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
