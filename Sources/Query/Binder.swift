import Columnar

/// Binds expressions to a stage's columns: checks names and types first, so that a query fails
/// before it runs rather than half-way, and compiles each into the vector kernels that compute it
/// column-at-a-time. Every statement and every domain filter is bound here, once.
struct Binder {
    let scope: Scope
    /// Aggregate and window results already computed for the stage (by canonical text).
    var precomputed: [String: Vector] = [:]
    /// In an aggregate query, the scope before grouping: a column found there but not in the
    /// groups is one that GROUP BY does not cover.
    var ungroupedScope: Scope?

    init(scope: Scope) {
        self.scope = scope
    }

    private var rowCount: Int { scope.rowCount }

    func bind(_ expression: Expression) throws(QueryError) -> Compiled {
        if let found = precomputed[expression.canonical] {
            return Compiled(type: found.dataType) { found }
        }
        let rowCount = self.rowCount
        switch expression {
        case .column(let name, let position):
            return bindColumn(try resolve(name, qualifier: nil, position: position))
        case .qualifiedColumn(let table, let name, let position):
            return bindColumn(try resolve(name, qualifier: table, position: position))
        case .literal(let value, _):
            let type = Vector.constant(value).dataType
            return Compiled(type: type, isConstant: true) { .constant(value) }
        case .not(let inner, let position):
            let operand = try bind(inner)
            try requireBool(operand, position)
            return Compiled(type: .bool) { VectorKernels.not(operand.evaluate(), rowCount: rowCount) }
        case .negate(let inner, let position):
            let operand = try bind(inner)
            guard operand.type == nil || operand.type!.isNumeric else {
                throw QueryError(message: LocalizedText(zh: "负号只能用于数值。", en: "minus applies to numbers only."), position: position)
            }
            return Compiled(type: operand.type) { VectorKernels.negate(operand.evaluate(), rowCount: rowCount) }
        case .binary(let op, let leftExpression, let rightExpression, let position):
            return try bindBinary(op, try bind(leftExpression), try bind(rightExpression), position)
        case .isNull(let inner, let negated, _):
            let operand = try bind(inner)
            return Compiled(type: .bool) { VectorKernels.isNull(operand.evaluate(), negated: negated, rowCount: rowCount) }
        case .inList(let subject, let items, let negated, let position):
            // x IN (a, b) is x = a OR x = b: true on a match, unknown when a comparison was, else false.
            let value = try bind(subject)
            let options = try items.map { (item) throws(QueryError) in try bindBinary(.equal, value, try bind(item), position) }
            var any = Compiled(type: .bool, isConstant: true) { .constant(.bool(false)) }
            for option in options { any = Binder.logical(.or, any, option, rowCount: rowCount) }
            let found = any
            return negated ? Compiled(type: .bool) { VectorKernels.not(found.evaluate(), rowCount: rowCount) } : found
        case .between(let subject, let low, let high, let negated, let position):
            let lower = try bindBinary(.greaterOrEqual, try bind(subject), try bind(low), position)
            let upper = try bindBinary(.lessOrEqual, try bind(subject), try bind(high), position)
            let both = Binder.logical(.and, lower, upper, rowCount: rowCount)
            return negated ? Compiled(type: .bool) { VectorKernels.not(both.evaluate(), rowCount: rowCount) } : both
        case .like(let subject, let patternExpression, let negated, let position):
            let value = try bind(subject)
            guard value.type == .text || value.type == nil else {
                throw QueryError.likeNeedsText(at: position)
            }
            guard case .literal(.text(let pattern), _) = patternExpression else {
                throw QueryError.likeNeedsPattern(at: patternExpression.position)
            }
            let matcher = LikePattern(pattern)
            let hit: UInt8 = negated ? 0 : 1, miss: UInt8 = negated ? 1 : 0
            return Compiled(type: .bool) {
                VectorKernels.mapText(value.evaluate(), rowCount: rowCount) { matcher.matches($0) ? hit : miss }
            }
        case .caseWhen(let operand, let branches, let otherwise, let position):
            return try bindCase(operand, branches, otherwise, position)
        case .cast(let inner, let type, let position):
            let operand = try bind(inner)
            return try Compiled(type: type) { VectorKernels.cast(operand.evaluate(), to: type, rowCount: rowCount) }
                .checkedCast(from: operand.type, to: type, position: position)
        case .function(let name, let arguments, _, _, let position):
            if FunctionCatalog.isAggregate(name) {
                throw QueryError(message: LocalizedText(zh: "聚合函数 \(name)() 不能用在这里（例如 WHERE 中），请改用 HAVING。",
                                                        en: "the aggregate \(name)() is not allowed here (in WHERE, say); use HAVING."),
                                 position: position)
            }
            return try ScalarFunctions.bind(name, try arguments.map { (argument) throws(QueryError) in try bind(argument) }, position,
                                            binder: self)
        case .window(_, _, _, _, _, let position):
            throw QueryError(message: LocalizedText(zh: "窗口函数只能出现在 SELECT 或 ORDER BY 中。",
                                                    en: "window functions belong in SELECT or ORDER BY only."), position: position)
        }
    }

    private func resolve(_ name: String, qualifier: String?, position: TextPosition) throws(QueryError) -> Scope.Entry {
        do {
            return try scope.resolve(name, qualifier: qualifier, position: position)
        } catch {
            if let ungroupedScope, (try? ungroupedScope.resolve(name, qualifier: qualifier, position: position)) != nil {
                throw QueryError(message: LocalizedText(zh: "「\(name)」必须出现在 GROUP BY 中，或放在聚合函数里（如 min(\(name))）。",
                                                        en: "'\(name)' must appear in GROUP BY or inside an aggregate (such as min(\(name)))."),
                                 position: position)
            }
            throw error
        }
    }

    private func bindColumn(_ entry: Scope.Entry) -> Compiled {
        let reference = entry.reference
        var compiled = Compiled(type: entry.type) { Vector(column: reference.column) }
        compiled.column = { reference.column }
        return compiled
    }

    func requireBool(_ compiled: Compiled, _ position: TextPosition) throws(QueryError) {
        guard compiled.type == .bool || compiled.type == nil else {
            throw QueryError(message: LocalizedText(zh: "这里应为真假判断（例如 得分 < 70）。", en: "a condition (true or false) is expected here."),
                             position: position)
        }
    }

    /// The one literal-conversion rule: a text literal beside a value of another type is read as
    /// that type (`'2022-06-15'` beside a date, `'70'` beside a number, 是/否 beside a yes/no);
    /// text that does not read so, and any other pair of types that cannot be compared, is a
    /// type mismatch. Numbers compare with numbers, dates with timestamps.
    func bindComparable(_ left: Compiled, _ right: Compiled, _ position: TextPosition) throws(QueryError) -> (Compiled, Compiled) {
        guard let leftType = left.type, let rightType = right.type, leftType != rightType,
              !(leftType.isNumeric && rightType.isNumeric) else { return (left, right) }
        let dates: Set<DataType> = [.date, .timestamp]
        if dates.contains(leftType), dates.contains(rightType) { return (left, right) }
        if rightType == .text, right.isConstant, let converted = Binder.literal(right, as: leftType) { return (left, converted) }
        if leftType == .text, left.isConstant, let converted = Binder.literal(left, as: rightType) { return (converted, right) }
        throw Binder.mismatch(leftType, rightType, position)
    }

    /// A text literal read as `type`, or nil when it does not read as one.
    private static func literal(_ compiled: Compiled, as type: DataType) -> Compiled? {
        guard case .constant(.text(let text)) = compiled.evaluate() else { return nil }
        var bytes = text
        let converted = bytes.withUTF8 { buffer -> Value? in
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
        guard let converted else { return nil }
        return Compiled(type: Vector.constant(converted).dataType, isConstant: true) { .constant(converted) }
    }

    static func mismatch(_ left: DataType, _ right: DataType, _ position: TextPosition) -> QueryError {
        QueryError(message: LocalizedText(
            zh: "类型不匹配：不能把\(Evaluator.typeName(left, .zh))和\(Evaluator.typeName(right, .zh))比较（文字要加单引号，例如 '市场监管'）。",
            en: "type mismatch: cannot compare \(Evaluator.typeName(left, .en)) with \(Evaluator.typeName(right, .en)) (quote text with single quotes, e.g. '市场监管')."),
            position: position)
    }

    func bindBinary(_ op: BinaryOperator, _ left: Compiled, _ right: Compiled, _ position: TextPosition) throws(QueryError) -> Compiled {
        let rowCount = self.rowCount
        switch op {
        case .and, .or:
            try requireBool(left, position)
            try requireBool(right, position)
            return Binder.logical(op, left, right, rowCount: rowCount)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            let (a, b) = try bindComparable(left, right, position)
            // A column held narrow (`NarrowColumn`) beside a constant is tested on its narrow values.
            let narrowTest: (() -> BlockTest?)? = if let column = a.column, b.isConstant {
                { if case .constant(let literal) = b.evaluate() { VectorKernels.narrowBlockTest(op, column(), literal) } else { nil } }
            } else if let column = b.column, a.isConstant {
                { if case .constant(let literal) = a.evaluate() { VectorKernels.narrowBlockTest(op.mirrored, column(), literal) } else { nil } }
            } else {
                nil
            }
            var compiled = Compiled(type: .bool) { VectorKernels.compare(op, a.evaluate(), b.evaluate(), rowCount: rowCount) }
            compiled.select = { candidates in
                if candidates == nil, let test = narrowTest?() { return VectorKernels.selectRows(passingAll: [test], rowCount: rowCount) }
                return VectorKernels.selectCompared(op, a.evaluate(), b.evaluate(), rowCount: rowCount, among: candidates)
            }
            compiled.blockTests = {
                if let test = narrowTest?() { return [test] }
                return VectorKernels.blockTest(op, a.evaluate(), b.evaluate()).map { [$0] }
            }
            return compiled
        case .add, .subtract, .multiply, .divide:
            return try Binder.arithmetic(op, left, right, position, rowCount: rowCount)
        case .concatenate:
            return Compiled(type: .text) { VectorKernels.concatenate(left.evaluate(), right.evaluate(), rowCount: rowCount) }
        }
    }

    static func arithmetic(_ op: BinaryOperator, _ left: Compiled, _ right: Compiled, _ position: TextPosition,
                           rowCount: Int) throws(QueryError) -> Compiled {
        let lt = left.type, rt = right.type
        // Dates (and the date parts of timestamps) subtract to days.
        if lt == .date || lt == .timestamp, rt == .date || rt == .timestamp, op == .subtract {
            return Compiled(type: .int64) { VectorKernels.dayDifference(left.evaluate(), right.evaluate(), rowCount: rowCount) }
        }
        if lt == .date, rt == .int64, op == .add || op == .subtract {
            return Compiled(type: .date) {
                VectorKernels.shiftDate(left.evaluate(), by: right.evaluate(), subtract: op == .subtract, rowCount: rowCount)
            }
        }
        guard lt == nil || lt!.isNumeric, rt == nil || rt!.isNumeric else {
            throw QueryError(message: LocalizedText(zh: "算术运算只能用于数值。", en: "arithmetic applies to numbers only."), position: position)
        }
        let integers = lt == .int64 && rt == .int64 && op != .divide
        return Compiled(type: integers ? .int64 : .float64) {
            VectorKernels.arithmetic(op, left.evaluate(), right.evaluate(), integers: integers, rowCount: rowCount)
        }
    }

    static func logical(_ op: BinaryOperator, _ left: Compiled, _ right: Compiled, rowCount: Int) -> Compiled {
        var compiled = Compiled(type: .bool, isConstant: left.isConstant && right.isConstant) {
            VectorKernels.logical(op, left.evaluate(), right.evaluate(), rowCount: rowCount)
        }
        if op == .and, let leftTests = left.blockTests, let rightTests = right.blockTests {
            compiled.blockTests = {
                guard let first = leftTests(), let second = rightTests() else { return nil }
                return first + second
            }
        }
        if op == .and, left.select != nil || right.select != nil {
            // The rows where both are true: over every row, all the comparisons of an AND of
            // comparisons with constants in one pass; else the left side's rows, then those of
            // them where the right side is true (tested on those rows only when it can be).
            let tests = compiled.blockTests
            compiled.select = { candidates in
                if candidates == nil, let tests = tests?() {
                    return VectorKernels.selectRows(passingAll: tests, rowCount: rowCount)
                }
                let first = left.selectedRows(among: candidates, rowCount: rowCount)
                return right.selectedRows(among: first, rowCount: rowCount)
            }
        }
        return compiled
    }

    private func bindCase(_ operand: Expression?, _ branches: [(Expression, Expression)], _ otherwise: Expression?,
                          _ position: TextPosition) throws(QueryError) -> Compiled {
        let subject = try operand.map { (expression) throws(QueryError) in try bind(expression) }
        var conditions: [Compiled] = []
        var results: [Compiled] = []
        for (condition, result) in branches {
            if let subject {
                conditions.append(try bindBinary(.equal, subject, try bind(condition), position))
            } else {
                let compiled = try bind(condition)
                try requireBool(compiled, condition.position)
                conditions.append(compiled)
            }
            results.append(try bind(result))
        }
        let fallback = try otherwise.map { (expression) throws(QueryError) in try bind(expression) }
        let resultType = FunctionCatalog.widened((results + (fallback.map { [$0] } ?? [])).map(\.type)), rowCount = self.rowCount
        return Compiled(type: resultType) {
            VectorKernels.choose(conditions: conditions.map { $0.evaluate() }, results: results.map { $0.evaluate() },
                                 otherwise: fallback?.evaluate(), type: resultType, rowCount: rowCount)
        }
    }

    /// SQL CAST on one value; a text that does not parse becomes null (numbers as `CastText` reads them).
    static func cast(_ value: Value, to type: DataType) -> Value {
        if value.isNull { return .null }
        switch (value, type) {
        case (.int, .int64), (.double, .float64), (.date, .date), (.timestamp, .timestamp), (.bool, .bool), (.text, .text): return value
        case (.timestamp(let seconds), .date): return .date(CivilDate.day(ofSeconds: seconds))
        case (.date(let days), .timestamp): return .timestamp(Int64(days) * 86_400)
        case (.int(let x), .float64): return .double(Double(x))
        case (.double(let x), .int64): return x.isFinite ? .int(Int64(x.rounded(.toNearestOrEven))) : .null
        case (.bool(let x), .int64): return .int(x ? 1 : 0)
        case (.bool(let x), .float64): return .double(x ? 1 : 0)
        case (.int(let x), .bool): return .bool(x != 0)
        case (.double(let x), .bool): return x.isNaN ? .null : .bool(x != 0)
        case (_, .text):
            switch value {
            case .bool(let flag): return .text(flag ? "true" : "false")
            // As DuckDB writes a double: the shortest text that reads back the same, `80.0` not `80`.
            case .double(let number): return .text(number.description)
            default: return .text(value.plainText)
            }
        case (.text(let text), _):
            var copy = text.trimmingSpaces
            switch type {
            case .int64: return CastText.integer(Substring(copy)).map(Value.int) ?? .null
            case .float64: return CastText.double(Substring(copy)).map(Value.double) ?? .null
            default: break
            }
            return copy.withUTF8 { buffer -> Value in
                let bytes = UnsafeRawBufferPointer(buffer)
                switch type {
                case .int64, .float64: return .null  // converted above
                case .date: return FieldParsers.parseDateTime(bytes).map { .date(CivilDate.day(ofSeconds: $0)) } ?? .null
                case .timestamp: return FieldParsers.parseDateTime(bytes).map(Value.timestamp) ?? .null
                case .bool:
                    if let flag = FieldParsers.parseBool(bytes) { return .bool(flag) }
                    switch String(decoding: bytes, as: UTF8.self).lowercased() {
                    case "true", "t", "1": return .bool(true)
                    case "false", "f", "0": return .bool(false)
                    default: return .null
                    }
                case .text: return value
                }
            }
        default:
            return .null
        }
    }
}

extension Compiled {
    /// Refuses casts that can never succeed (a date to a number).
    func checkedCast(from source: DataType?, to target: DataType, position: TextPosition) throws(QueryError) -> Compiled {
        guard let source else { return self }
        let dates: Set<DataType> = [.date, .timestamp], others: Set<DataType> = [.int64, .float64, .bool]
        let impossible = (dates.contains(source) && others.contains(target)) || (others.contains(source) && dates.contains(target))
        if impossible {
            throw QueryError(message: LocalizedText(zh: "无法把\(Evaluator.typeName(source, .zh))转换为\(Evaluator.typeName(target, .zh))。",
                                                    en: "cannot cast \(Evaluator.typeName(source, .en)) to \(Evaluator.typeName(target, .en))."),
                             position: position)
        }
        return self
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
