import Columnar

/// The scalar functions of the query language.
enum ScalarFunctions {
    static func bind(_ name: String, _ arguments: [Compiled], _ position: TextPosition, binder: Binder) throws(QueryError) -> Compiled {
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
        let rowCount = binder.scope.rowCount
        switch name {
        case "year", "month", "quarter", "day":
            try expectType(0, { $0 == .date || $0 == .timestamp || $0 == .text }, dateText)
            let argument = arguments[0]
            return Compiled(type: .int64) { VectorKernels.datePart(name, argument.evaluate(), rowCount: rowCount) }
        case "date_diff", "datediff":
            let part = arguments[0], start = arguments[1], end = arguments[2]
            return Compiled(type: .int64) {
                VectorKernels.dateDifference(unit: part.evaluate(), start.evaluate(), end.evaluate(), rowCount: rowCount)
            }
        case "abs", "floor", "ceil":
            let argument = arguments[0]
            return Compiled(type: argument.type) { VectorKernels.rounding(name, argument.evaluate(), rowCount: rowCount) }
        case "round":
            let argument = arguments[0]
            let places = arguments.count > 1 ? arguments[1] : nil
            return Compiled(type: argument.type == .int64 ? .int64 : .float64) {
                VectorKernels.round(argument.evaluate(), places: places?.evaluate(), rowCount: rowCount)
            }
        case "coalesce":
            let types = arguments.compactMap(\.type)
            let widen = types.contains(.float64) && types.allSatisfy(\.isNumeric)
            let type = widen ? .float64 : types.first
            return Compiled(type: type) { VectorKernels.coalesce(arguments.map { $0.evaluate() }, type: type, rowCount: rowCount) }
        case "nullif":
            let a = arguments[0]
            let (x, y) = try binder.bindComparable(a, arguments[1], position)
            return Compiled(type: a.type) {
                let equal = VectorKernels.compare(.equal, x.evaluate(), y.evaluate(), rowCount: rowCount)
                return VectorKernels.nullWhere(equal, in: a.evaluate(), rowCount: rowCount)
            }
        case "length", "lower", "upper":
            let argument = arguments[0]
            return Compiled(type: name == "length" ? .int64 : .text) { VectorKernels.text(name, argument.evaluate(), rowCount: rowCount) }
        default:
            let close = NameSuggestions.closest(to: name, among: FunctionCatalog.names)
            let hintZh = close.isEmpty ? "" : "，是不是指：" + close.joined(separator: "、")
            let hintEn = close.isEmpty ? "" : "; did you mean: " + close.joined(separator: ", ")
            throw QueryError(message: LocalizedText(zh: "没有函数 \(name)()\(hintZh)", en: "there is no function \(name)()\(hintEn)"),
                             position: position)
        }
    }
}
