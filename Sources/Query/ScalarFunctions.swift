import Columnar

/// The scalar functions of the query language.
enum ScalarFunctions {
    static func bind(_ name: String, _ arguments: [Compiled], _ position: TextPosition) throws(QueryError) -> Compiled {
        func expectCount(_ count: ClosedRange<Int>) throws(QueryError) {
            guard count.contains(arguments.count) else {
                throw QueryError(message: LocalizedText(zh: "\(name)() 的参数个数不对。", en: "\(name)() takes a different number of arguments."),
                                 position: position)
            }
        }
        func expectType(_ index: Int, _ allowed: (DataType) -> Bool, _ what: LocalizedText) throws(QueryError) {
            if let type = arguments[index].type, !allowed(type) {
                throw QueryError(message: LocalizedText(zh: "\(name)() 需要\(what.zh)。", en: "\(name)() takes \(what.en)."), position: position)
            }
        }
        let dateText = LocalizedText(zh: "日期", en: "a date")
        let numberText = LocalizedText(zh: "数值", en: "a number")
        // Arity and a numeric first argument, as the catalog describes the function.
        if let entry = FunctionCatalog.entry(name), entry.kind == .scalar {
            try expectCount(entry.arity)
            if entry.numericArgument { try expectType(0, \.isNumeric, numberText) }
        }
        switch name {
        case "year", "month", "quarter", "day":
            try expectType(0, { $0 == .date || $0 == .timestamp || $0 == .text }, dateText)
            let argument = arguments[0]
            return Compiled(type: .int64) { row in
                guard case .date(let days) = Binder.cast(argument.evaluate(row), to: .date) else { return .null }
                let (year, month, day) = CivilDate.components(days: days)
                switch name {
                case "year": return .int(Int64(year))
                case "month": return .int(Int64(month))
                case "quarter": return .int(Int64((month - 1) / 3 + 1))
                default: return .int(Int64(day))
                }
            }
        case "date_diff", "datediff":
            let part = arguments[0], start = arguments[1], end = arguments[2]
            return Compiled(type: .int64) { row in
                guard case .text(let unit) = part.evaluate(row),
                      case .date(let a) = Binder.cast(start.evaluate(row), to: .date),
                      case .date(let b) = Binder.cast(end.evaluate(row), to: .date) else { return .null }
                let (ya, ma, _) = CivilDate.components(days: a), (yb, mb, _) = CivilDate.components(days: b)
                switch unit.lowercased() {
                case "day", "days", "d": return .int(Int64(b) - Int64(a))
                case "month", "months": return .int(Int64((yb - ya) * 12 + mb - ma))
                case "year", "years": return .int(Int64(yb - ya))
                default: return .null
                }
            }
        case "abs":
            let argument = arguments[0]
            return Compiled(type: argument.type) { row in
                switch argument.evaluate(row) {
                case .int(let x): return .int(abs(x))
                case .double(let x): return .double(abs(x))
                default: return .null
                }
            }
        case "floor", "ceil":
            let argument = arguments[0]
            let down = name == "floor"
            return Compiled(type: argument.type) { row in
                switch argument.evaluate(row) {
                case .int(let x): return .int(x)
                case .double(let x): return .double(down ? x.rounded(.down) : x.rounded(.up))
                default: return .null
                }
            }
        case "round":
            let argument = arguments[0]
            let places = arguments.count > 1 ? arguments[1] : nil
            return Compiled(type: argument.type == .int64 ? .int64 : .float64) { row in
                var digits = 0
                if let places, case .int(let count) = places.evaluate(row) { digits = Int(count) }
                switch argument.evaluate(row) {
                case .int(let x): return .int(x)
                case .double(let x):
                    var scale = 1.0
                    for _ in 0..<abs(digits) { scale *= 10 }
                    if digits >= 0 { return .double((x * scale).rounded(.toNearestOrAwayFromZero) / scale) }
                    return .double((x / scale).rounded(.toNearestOrAwayFromZero) * scale)
                default: return .null
                }
            }
        case "coalesce":
            let types = arguments.compactMap(\.type)
            let widen = types.contains(.float64) && types.allSatisfy(\.isNumeric)
            return Compiled(type: widen ? .float64 : types.first) { row in
                for argument in arguments {
                    let value = argument.evaluate(row)
                    if !value.isNull {
                        if widen, case .int(let x) = value { return .double(Double(x)) }
                        return value
                    }
                }
                return .null
            }
        case "nullif":
            let a = arguments[0], b = arguments[1]
            return Compiled(type: a.type) { row in
                let x = a.evaluate(row)
                return ValueOrdering.compare(x, b.evaluate(row)) == 0 ? .null : x
            }
        case "length", "lower", "upper":
            let argument = arguments[0]
            return Compiled(type: name == "length" ? .int64 : .text) { row in
                guard case .text(let text) = Binder.cast(argument.evaluate(row), to: .text) else { return .null }
                switch name {
                case "length": return .int(Int64(text.count))
                case "lower": return .text(text.lowercased())
                default: return .text(text.uppercased())
                }
            }
        default:
            let close = NameSuggestions.closest(to: name, among: FunctionCatalog.names)
            let hintZh = close.isEmpty ? "" : "，是不是指：" + close.joined(separator: "、")
            let hintEn = close.isEmpty ? "" : "; did you mean: " + close.joined(separator: ", ")
            throw QueryError(message: LocalizedText(zh: "没有函数 \(name)()\(hintZh)", en: "there is no function \(name)()\(hintEn)"),
                             position: position)
        }
    }
}
