import Kernels
import Columnar

extension Evaluator {
    /// `+ - * /` on two numbers (integers stay integers except for division); division by zero
    /// gives null, as in DuckDB.
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
