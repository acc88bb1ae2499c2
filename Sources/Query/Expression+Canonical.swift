import Columnar

extension Expression {
    /// A normalised text of the expression, to recognise the same expression written twice
    /// (a GROUP BY expression in SELECT, an aggregate in HAVING and SELECT).
    public var canonical: String {
        switch self {
        case .column(let name, _): return "col(\(name.lowercased()))"
        case .qualifiedColumn(let table, let name, _): return "col(\(table.lowercased()).\(name.lowercased()))"
        case .literal(let value, _):
            switch value {
            case .text(let text): return "'\(text)'"
            case .null: return "null"
            default: return value.plainText
            }
        case .not(let inner, _): return "not(\(inner.canonical))"
        case .negate(let inner, _): return "neg(\(inner.canonical))"
        case .binary(let op, let left, let right, _): return "(\(left.canonical) \(op.rawValue) \(right.canonical))"
        case .isNull(let inner, let negated, _): return "isnull(\(inner.canonical),\(negated))"
        case .inList(let subject, let items, let negated, _):
            return "in(\(subject.canonical),[\(items.map(\.canonical).joined(separator: ","))],\(negated))"
        case .between(let a, let b, let c, let negated, _): return "between(\(a.canonical),\(b.canonical),\(c.canonical),\(negated))"
        case .like(let a, let b, let negated, _): return "like(\(a.canonical),\(b.canonical),\(negated))"
        case .function(let name, let arguments, let distinct, let star, _):
            return "\(name)(\(distinct ? "distinct " : "")\(star ? "*" : arguments.map(\.canonical).joined(separator: ",")))"
        case .caseWhen(let operand, let branches, let otherwise, _):
            return "case(\(operand?.canonical ?? ""),\(branches.map { "\($0.0.canonical)->\($0.1.canonical)" }.joined(separator: ",")),\(otherwise?.canonical ?? ""))"
        case .cast(let inner, let type, _): return "cast(\(inner.canonical),\(type.rawValue))"
        case .window(let name, let arguments, let star, let partition, let order, _):
            return "\(name)(\(star ? "*" : arguments.map(\.canonical).joined(separator: ","))) over(\(partition.map(\.canonical).joined(separator: ","));\(order.map { "\($0.expression.canonical) \($0.descending) \(String(describing: $0.nullsFirst))" }.joined(separator: ",")))"
        }
    }

    /// The text a result column is named by when it has no alias.
    public var displayName: String {
        switch self {
        case .column(let name, _): return name
        case .qualifiedColumn(_, let name, _): return name
        case .literal(let value, _): return value.plainText
        case .function(let name, let arguments, let distinct, let star, _):
            return "\(name)(\(distinct ? "DISTINCT " : "")\(star ? "*" : arguments.map(\.displayName).joined(separator: ", ")))"
        case .window(let name, let arguments, let star, _, _, _):
            return "\(name)(\(star ? "*" : arguments.map(\.displayName).joined(separator: ", "))) OVER (…)"
        case .binary(let op, let left, let right, _): return "(\(left.displayName) \(op.rawValue) \(right.displayName))"
        case .cast(let inner, let type, _): return "CAST(\(inner.displayName) AS \(type.rawValue))"
        case .caseWhen: return "CASE"
        case .not(let inner, _): return "(NOT \(inner.displayName))"
        case .negate(let inner, _): return "-\(inner.displayName)"
        case .isNull(let inner, let negated, _): return "(\(inner.displayName) IS \(negated ? "NOT " : "")NULL)"
        case .inList(let subject, _, _, _), .between(let subject, _, _, _, _), .like(let subject, _, _, _): return subject.displayName
        }
    }
}
