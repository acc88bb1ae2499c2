import Columnar

/// Binds a call of a scalar function as its catalog entry describes it.
enum ScalarFunctions {
    static func bind(_ name: String, _ arguments: [Compiled], _ position: TextPosition, binder: Binder) throws(QueryError) -> Compiled {
        guard let entry = FunctionCatalog.entry(name), entry.kind == .scalar, let kernel = entry.scalarKernel else {
            let close = NameSuggestions.closest(to: name, among: FunctionCatalog.names)
            let hintZh = close.isEmpty ? "" : "，是不是指：" + close.joined(separator: "、")
            let hintEn = close.isEmpty ? "" : "; did you mean: " + close.joined(separator: ", ")
            throw QueryError(message: LocalizedText(zh: "没有函数 \(name)()\(hintZh)", en: "there is no function \(name)()\(hintEn)"),
                             position: position)
        }
        try FunctionCatalog.check(entry, argumentTypes: arguments.map(\.type), position: position)
        var arguments = arguments
        if entry.comparesArguments {
            (arguments[0], arguments[1]) = try binder.bindComparable(arguments[0], arguments[1], position)
        }
        let rowCount = binder.scope.rowCount
        let bound = arguments
        return Compiled(type: entry.resultType(bound.map(\.type))) { kernel(bound.map { $0.evaluate() }, rowCount) }
    }
}

extension FunctionCatalog {
    /// The entry's arity and first-argument checks, with their messages.
    static func check(_ entry: FunctionEntry, argumentTypes: [DataType?], star: Bool = false, position: TextPosition) throws(QueryError) {
        let name = entry.name
        let expected: ClosedRange<Int> = star ? 0...0 : entry.arity
        guard expected.contains(argumentTypes.count), !star || entry.allowsStar else {
            throw QueryError(message: LocalizedText(zh: "\(name)() 的参数个数不对。", en: "\(name)() takes a different number of arguments."),
                             position: position)
        }
        guard let type = argumentTypes.first ?? nil else { return }
        switch entry.argument {
        case .any:
            break
        case .number where !type.isNumeric:
            let what = entry.kind == .aggregate ? LocalizedText(zh: "数值列", en: "a number") : LocalizedText(zh: "数值", en: "a number")
            throw QueryError(message: LocalizedText(zh: "\(name)() 需要\(what.zh)。", en: "\(name)() takes \(what.en)."), position: position)
        case .date where ![.date, .timestamp, .text].contains(type):
            throw QueryError(message: LocalizedText(zh: "\(name)() 需要日期。", en: "\(name)() takes a date."), position: position)
        default:
            break
        }
    }
}
