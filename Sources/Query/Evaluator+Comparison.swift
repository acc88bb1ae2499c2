import Kernels
import Columnar

extension Evaluator {
    /// Compares two vectors element-wise, with fast paths for a column against a constant.
    func compare(_ op: BinaryOperator, _ left: Vector, _ right: Vector, position: TextPosition) throws(QueryError) -> Vector {
        if case .constant(.null) = left { return .constant(.null) }
        if case .constant(.null) = right { return .constant(.null) }
        let (a, b) = try coerce(left, right, position: position)
        switch (a, b) {
        case (.constant(let x), .constant(let y)):
            guard let order = ValueOrdering.compare(x, y) else { return .constant(.null) }
            return .constant(.bool(ValueOrdering.holds(op, order)))
        case (.constant, _):
            return try compare(op.mirrored, b, a, position: position)
        case (.text(let codes, let dictionary, let validity), .constant(.text(let literal))):
            let perCode = (0..<UInt32(dictionary.count)).map { code -> UInt8 in
                ValueOrdering.holds(op, ValueOrdering.compareText(dictionary.string(at: code), literal)) ? 1 : 0
            }
            return .bool(gather(codes, perCode, validity))
        case (.int64(let values, let validity), .constant(.int(let literal))):
            return .bool(scan(values, validity) { ValueOrdering.holds(op, $0 < literal ? -1 : ($0 == literal ? 0 : 1)) })
        case (.float64(let values, let validity), .constant(let literal)):
            guard let threshold = literal.asDouble else { break }
            return .bool(scan(values, validity) { ValueOrdering.holds(op, $0 < threshold ? -1 : ($0 == threshold ? 0 : 1)) })
        case (.int64(let values, let validity), .constant(.double(let threshold))):
            return .bool(scan(values, validity) { value in
                let number = Double(value)
                return ValueOrdering.holds(op, number < threshold ? -1 : (number == threshold ? 0 : 1))
            })
        case (.date(let values, let validity), .constant(.date(let literal))):
            return .bool(scan(values, validity) { ValueOrdering.holds(op, $0 < literal ? -1 : ($0 == literal ? 0 : 1)) })
        default:
            break
        }
        var result = [UInt8](repeating: 2, count: table.rowCount)
        for row in 0..<table.rowCount {
            if let order = ValueOrdering.compare(a.value(at: row), b.value(at: row)) {
                result[row] = ValueOrdering.holds(op, order) ? 1 : 0
            }
        }
        return .bool(result)
    }

    private func gather(_ codes: [UInt32], _ perCode: [UInt8], _ validity: Bitmap?) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: codes.count)
        if let validity {
            for row in 0..<codes.count { result[row] = validity[row] ? perCode[Int(codes[row])] : 2 }
        } else {
            for row in 0..<codes.count { result[row] = perCode[Int(codes[row])] }
        }
        return result
    }

    private func scan<T>(_ values: [T], _ validity: Bitmap?, _ predicate: (T) -> Bool) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: values.count)
        for row in 0..<values.count {
            if let validity, !validity[row] {
                result[row] = 2
            } else {
                result[row] = predicate(values[row]) ? 1 : 0
            }
        }
        return result
    }

    /// Brings a text constant to the other side's type (a date, a number, 是/否); refuses
    /// comparisons that make no sense, such as a text column with a number.
    func coerce(_ left: Vector, _ right: Vector, position: TextPosition) throws(QueryError) -> (Vector, Vector) {
        guard let leftType = left.dataType, let rightType = right.dataType, leftType != rightType else { return (left, right) }
        if leftType.isNumeric && rightType.isNumeric { return (left, right) }
        if case .constant(.text(let text)) = right, let converted = convertLiteral(text, to: leftType) {
            return (left, .constant(converted))
        }
        if case .constant(.text(let text)) = left, let converted = convertLiteral(text, to: rightType) {
            return (.constant(converted), right)
        }
        throw QueryError(
            message: LocalizedText(
                zh: "类型不匹配：不能把\(Evaluator.typeName(leftType, .zh))和\(Evaluator.typeName(rightType, .zh))比较（文字要加单引号，例如 '市场监管'）。",
                en: "type mismatch: cannot compare \(Evaluator.typeName(leftType, .en)) with \(Evaluator.typeName(rightType, .en)) (quote text with single quotes, e.g. '市场监管')."),
            position: position)
    }

    private func convertLiteral(_ text: String, to type: DataType) -> Value? {
        var copy = text
        return copy.withUTF8 { buffer -> Value? in
            let bytes = UnsafeRawBufferPointer(buffer)
            switch type {
            case .date: return FieldParsers.parseDate(bytes).map(Value.date)
            case .timestamp: return FieldParsers.parseDateTime(bytes).map(Value.timestamp)
            case .int64: return FieldParsers.parseInt64(bytes).map(Value.int) ?? FieldParsers.parseDouble(bytes).map(Value.double)
            case .float64: return FieldParsers.parseDouble(bytes).map(Value.double)
            case .bool: return FieldParsers.parseBool(bytes).map(Value.bool)
            case .text: return .text(text)
            }
        }
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
