import Kernels
import Columnar

/// The column-at-a-time operations the binder compiles expressions into. Each takes vectors of
/// `rowCount` rows (or constants) and gives one; a kernel whose inputs are all constants runs on
/// one row and gives a constant (`lifted`).
enum VectorKernels {
    /// Runs `body` on one row when every input is a constant, giving a constant; on the vectors otherwise.
    static func lifted(_ inputs: [Vector], rowCount: Int, _ body: (_ inputs: [Vector], _ rowCount: Int) -> Vector) -> Vector {
        guard !inputs.isEmpty, inputs.allSatisfy(\.isConstant) else { return body(inputs, rowCount) }
        return .constant(body(inputs, 1).value(at: 0))
    }

    /// The union of two null masks (a row is valid when valid in both).
    static func bothValid(_ a: Bitmap?, _ b: Bitmap?) -> Bitmap? {
        guard let a else { return b }
        guard let b else { return a }
        return Bitmap(words: zip(a.rawWords, b.rawWords).map { $0 & $1 }, count: a.count)
    }

    static func nullMask(_ flags: [Bool]) -> Bitmap? {
        guard flags.contains(false) else { return nil }
        var bitmap = Bitmap()
        bitmap.reserveCapacity(flags.count)
        for flag in flags { bitmap.append(flag) }
        return bitmap
    }

    // MARK: Arithmetic

    /// `+ - * /` on numbers: integers stay integers except for division; division by zero is null.
    static func arithmetic(_ op: BinaryOperator, _ left: Vector, _ right: Vector, integers: Bool, rowCount: Int) -> Vector {
        lifted([left, right], rowCount: rowCount) { inputs, count in
            let a = inputs[0].materialized(rowCount: count), b = inputs[1].materialized(rowCount: count)
            if integers, case .int64(let x, let xValid) = a, case .int64(let y, let yValid) = b {
                let result: [Int64] = x.withUnsafeBufferPointer { x in
                    y.withUnsafeBufferPointer { y in
                        filled(count) { rows, result in
                            switch op {
                            case .add: for row in rows { result[row] = x[row] &+ y[row] }
                            case .subtract: for row in rows { result[row] = x[row] &- y[row] }
                            default: for row in rows { result[row] = x[row] &* y[row] }
                            }
                        }
                    }
                }
                return .int64(result, bothValid(xValid, yValid))
            }
            guard let (x, xValid) = a.doubles, let (y, yValid) = b.doubles else { return .nulls(.float64, rowCount: count) }
            var validity = bothValid(xValid, yValid)
            if op != .divide {
                let result: [Double] = x.withUnsafeBufferPointer { x in
                    y.withUnsafeBufferPointer { y in
                        filled(count) { rows, result in
                            switch op {
                            case .add: for row in rows { result[row] = x[row] + y[row] }
                            case .subtract: for row in rows { result[row] = x[row] - y[row] }
                            default: for row in rows { result[row] = x[row] * y[row] }
                            }
                        }
                    }
                }
                return .float64(result, validity)
            }
            // Division: a zero divisor gives null.
            var result = [Double](repeating: 0, count: count)
            var valid = [Bool](repeating: true, count: count)
            for row in 0..<count {
                if y[row] == 0 { valid[row] = false } else { result[row] = x[row] / y[row] }
            }
            if let zeros = nullMask(valid) { validity = bothValid(validity, zeros) }
            return .float64(result, validity)
        }
    }

    /// Days between two dates (a timestamp by its date part).
    static func dayDifference(_ left: Vector, _ right: Vector, rowCount: Int) -> Vector {
        lifted([left, right], rowCount: rowCount) { inputs, count in
            guard let (x, xValid) = inputs[0].materialized(rowCount: count).days,
                  let (y, yValid) = inputs[1].materialized(rowCount: count).days else { return .nulls(.int64, rowCount: count) }
            return .int64((0..<count).map { Int64(x[$0]) - Int64(y[$0]) }, bothValid(xValid, yValid))
        }
    }

    /// A date moved by a number of days.
    static func shiftDate(_ left: Vector, by right: Vector, subtract: Bool, rowCount: Int) -> Vector {
        lifted([left, right], rowCount: rowCount) { inputs, count in
            guard case .date(let days, let daysValid) = inputs[0].materialized(rowCount: count),
                  case .int64(let shifts, let shiftsValid) = inputs[1].materialized(rowCount: count) else { return .nulls(.date, rowCount: count) }
            return .date((0..<count).map { subtract ? days[$0] &- Int32(truncatingIfNeeded: shifts[$0]) : days[$0] &+ Int32(truncatingIfNeeded: shifts[$0]) },
                         bothValid(daysValid, shiftsValid))
        }
    }

    static func negate(_ operand: Vector, rowCount: Int) -> Vector {
        lifted([operand], rowCount: rowCount) { inputs, count in
            switch inputs[0].materialized(rowCount: count) {
            case .int64(let values, let validity): return .int64(values.map { 0 &- $0 }, validity)
            case .float64(let values, let validity): return .float64(values.map { -$0 }, validity)
            default: return .constant(.null)
            }
        }
    }

    /// `a || b`: both as plain text, null when either is.
    static func concatenate(_ left: Vector, _ right: Vector, rowCount: Int) -> Vector {
        lifted([left, right], rowCount: rowCount) { inputs, count in
            guard let (aCodes, aDictionary, aValid) = inputs[0].materialized(rowCount: count).plainTextCodes,
                  let (bCodes, bDictionary, bValid) = inputs[1].materialized(rowCount: count).plainTextCodes else {
                return .nulls(.text, rowCount: count)
            }
            var dictionary = TextDictionary()
            var pairs: [UInt64: UInt32] = [:]
            var codes = [UInt32](repeating: 0, count: count)
            let validity = bothValid(aValid, bValid)
            for row in 0..<count where validity?[row] ?? true {
                let key = UInt64(aCodes[row]) << 32 | UInt64(bCodes[row])
                if let code = pairs[key] {
                    codes[row] = code
                } else {
                    let code = dictionary.code(for: aDictionary.string(at: aCodes[row]) + bDictionary.string(at: bCodes[row]))
                    pairs[key] = code
                    codes[row] = code
                }
            }
            return .text(codes, dictionary, validity)
        }
    }

    // MARK: Comparison and logic

    /// `a op b` for two vectors whose types the binder has made comparable (numbers with numbers,
    /// dates with dates or timestamps, text with text, booleans with booleans).
    static func compare(_ op: BinaryOperator, _ left: Vector, _ right: Vector, rowCount: Int) -> Vector {
        if case .constant(.null) = left { return .constant(.null) }
        if case .constant(.null) = right { return .constant(.null) }
        switch (left, right) {
        case (.constant(let x), .constant(let y)):
            guard let order = ValueOrdering.compare(x, y) else { return .constant(.null) }
            return .constant(.bool(ValueOrdering.holds(op, order)))
        case (.constant, _):
            return compare(op.mirrored, right, left, rowCount: rowCount)
        case (.text(let codes, let dictionary, let validity), .constant(.text(let literal))):
            return .bool(gather(codes, codesHolding(op, dictionary, literal), validity))
        case (.int64(let values, let validity), .constant(.int(let literal))):
            return .bool(compare(values, validity, op, literal))
        case (.float64(let values, let validity), .constant(let literal)):
            guard let threshold = literal.asDouble else { break }
            return .bool(compare(values, validity, op, threshold))
        case (.int64(let values, let validity), .constant(.double(let threshold))):
            return .bool(scan(values, validity) { value in
                let number = Double(value)
                return ValueOrdering.holds(op, number < threshold ? -1 : (number == threshold ? 0 : 1))
            })
        case (.date(let values, let validity), .constant(.date(let literal))):
            return .bool(compare(values, validity, op, literal))
        default:
            break
        }
        return compareVectors(op, left.materialized(rowCount: rowCount), right.materialized(rowCount: rowCount), rowCount: rowCount)
    }

    /// For each code of `dictionary`, 1 where `string op literal` holds, else 0: a text column is
    /// compared with a constant once per distinct string.
    static func codesHolding(_ op: BinaryOperator, _ dictionary: TextDictionary, _ literal: String) -> [UInt8] {
        (0..<UInt32(dictionary.count)).map { code in
            ValueOrdering.holds(op, ValueOrdering.compareText(dictionary.string(at: code), literal)) ? 1 : 0
        }
    }

    /// Two full vectors compared row by row on their storage.
    private static func compareVectors(_ op: BinaryOperator, _ a: Vector, _ b: Vector, rowCount: Int) -> Vector {
        func ordered<T: Comparable>(_ x: ColumnBuffer<T>, _ y: ColumnBuffer<T>, _ validity: Bitmap?) -> Vector {
            var result = [UInt8](repeating: 0, count: rowCount)
            for row in 0..<rowCount {
                if let validity, !validity[row] { result[row] = 2; continue }
                result[row] = ValueOrdering.holds(op, x[row] < y[row] ? -1 : (x[row] == y[row] ? 0 : 1)) ? 1 : 0
            }
            return .bool(result)
        }
        switch (a, b) {
        case (.int64(let x, let xValid), .int64(let y, let yValid)): return ordered(x, y, bothValid(xValid, yValid))
        case (.date(let x, let xValid), .date(let y, let yValid)): return ordered(x, y, bothValid(xValid, yValid))
        case (.timestamp(let x, let xValid), .timestamp(let y, let yValid)): return ordered(x, y, bothValid(xValid, yValid))
        case (.text(let xCodes, let xDictionary, let xValid), .text(let yCodes, let yDictionary, let yValid)):
            // Both dictionaries ranked together once: equal strings share a rank.
            let (xRanks, yRanks) = TextDictionary.jointRanks(xDictionary, yDictionary)
            return ordered(ColumnBuffer(xCodes.map { xRanks[Int($0)] }), ColumnBuffer(yCodes.map { yRanks[Int($0)] }), bothValid(xValid, yValid))
        case (.bool(let x), .bool(let y)):
            var result = [UInt8](repeating: 2, count: rowCount)
            for row in 0..<rowCount where x[row] != 2 && y[row] != 2 {
                result[row] = ValueOrdering.holds(op, Int(x[row]) - Int(y[row])) ? 1 : 0
            }
            return .bool(result)
        default:
            if let (x, xValid) = a.doubles, let (y, yValid) = b.doubles, a.dataType?.isNumeric == true, b.dataType?.isNumeric == true {
                return ordered(x, y, bothValid(xValid, yValid))
            }
            if let (x, xValid) = a.seconds, let (y, yValid) = b.seconds { return ordered(x, y, bothValid(xValid, yValid)) }
            return .nulls(.bool, rowCount: rowCount)
        }
    }

    private static func gather(_ codes: ColumnBuffer<UInt32>, _ perCode: [UInt8], _ validity: Bitmap?) -> [UInt8] {
        codes.withUnsafeBufferPointer { codes in
            perCode.withUnsafeBufferPointer { perCode in
                filled(codes.count) { rows, result in
                    if let validity {
                        for row in rows { result[row] = validity[row] ? perCode[Int(codes[row])] : 2 }
                    } else {
                        for row in rows { result[row] = perCode[Int(codes[row])] }
                    }
                }
            }
        }
    }

    /// `values op literal` row by row, one tight loop per operator (vectorised), nulls then set
    /// to unknown. The operators are spelled so that a NaN compares as `ValueOrdering` orders it
    /// (above every number): `>` is `!(<=)` and `>=` is `!(<)`.
    private static func compare<T: Comparable>(_ values: ColumnBuffer<T>, _ validity: Bitmap?, _ op: BinaryOperator,
                                               _ literal: T) -> [UInt8] {
        values.withUnsafeBufferPointer { values in
            filled(values.count) { rows, result in
                switch op {
                case .equal: for row in rows { result[row] = values[row] == literal ? 1 : 0 }
                case .notEqual: for row in rows { result[row] = values[row] == literal ? 0 : 1 }
                case .less: for row in rows { result[row] = values[row] < literal ? 1 : 0 }
                case .lessOrEqual: for row in rows { result[row] = values[row] <= literal ? 1 : 0 }
                case .greater: for row in rows { result[row] = values[row] <= literal ? 0 : 1 }
                case .greaterOrEqual: for row in rows { result[row] = values[row] < literal ? 0 : 1 }
                default: for row in rows { result[row] = 0 }
                }
                if let validity {
                    for row in rows where !validity[row] { result[row] = Vector.unknownValue }
                }
            }
        }
    }

    private static func scan<T>(_ values: ColumnBuffer<T>, _ validity: Bitmap?, _ predicate: (T) -> Bool) -> [UInt8] {
        values.withUnsafeBufferPointer { values in
            filled(values.count) { rows, result in
                for row in rows {
                    if let validity, !validity[row] {
                        result[row] = 2
                    } else {
                        result[row] = predicate(values[row]) ? 1 : 0
                    }
                }
            }
        }
    }

    /// SQL's three-valued AND and OR.
    static func logical(_ op: BinaryOperator, _ left: Vector, _ right: Vector, rowCount: Int) -> Vector {
        lifted([left, right], rowCount: rowCount) { inputs, count in
            let a = inputs[0].boolBytes(rowCount: count), b = inputs[1].boolBytes(rowCount: count)
            return .bool(a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    filled(count) { rows, result in
                        for row in rows {
                            let x = a[row], y = b[row]
                            if op == .and {
                                result[row] = (x == 0 || y == 0) ? 0 : ((x == 2 || y == 2) ? 2 : 1)
                            } else {
                                result[row] = (x == 1 || y == 1) ? 1 : ((x == 2 || y == 2) ? 2 : 0)
                            }
                        }
                    }
                }
            })
        }
    }

    static func not(_ operand: Vector, rowCount: Int) -> Vector {
        lifted([operand], rowCount: rowCount) { inputs, count in
            .bool(inputs[0].boolBytes(rowCount: count).map { $0 == 2 ? 2 : 1 - $0 })
        }
    }

    static func isNull(_ operand: Vector, negated: Bool, rowCount: Int) -> Vector {
        if case .constant(let value) = operand { return .constant(.bool(value.isNull != negated)) }
        let hit: UInt8 = negated ? 0 : 1, miss: UInt8 = negated ? 1 : 0
        switch operand {
        case .bool(let values): return .bool(values.map { $0 == 2 ? hit : miss })
        default:
            guard let validity = operand.validity else { return .bool([UInt8](repeating: miss, count: rowCount)) }
            return .bool((0..<rowCount).map { validity[$0] ? miss : hit })
        }
    }

    /// A per-string answer (0, 1 or 2) for a text vector, decided once per distinct string.
    static func mapText(_ vector: Vector, rowCount: Int, _ predicate: (String) -> UInt8) -> Vector {
        switch vector {
        case .text(let codes, let dictionary, let validity):
            let perCode = (0..<UInt32(dictionary.count)).map { predicate(dictionary.string(at: $0)) }
            return .bool(gather(codes, perCode, validity))
        case .constant(.text(let text)):
            let answer = predicate(text)
            return answer == 2 ? .constant(.null) : .constant(.bool(answer == 1))
        default:
            return .constant(.null)
        }
    }

    // MARK: Choosing between vectors

    /// CASE: each row takes the result of the first condition that is true, else `otherwise`.
    static func choose(conditions: [Vector], results: [Vector], otherwise: Vector?, type: DataType?, rowCount: Int) -> Vector {
        lifted(conditions + results + (otherwise.map { [$0] } ?? []), rowCount: rowCount) { inputs, count in
            guard let type else { return .constant(.null) }
            let flags = inputs[0..<conditions.count].map { $0.boolBytes(rowCount: count) }
            var builder = VectorBuilder(type: type, rowCount: count, sources: Array(inputs[conditions.count...]))
            for row in 0..<count {
                if let branch = flags.firstIndex(where: { $0[row] == 1 }) {
                    builder.take(row, from: branch)
                } else if otherwise != nil {
                    builder.take(row, from: results.count)
                }
            }
            return builder.build()
        }
    }

    /// coalesce: each row takes the first argument that is not null.
    static func coalesce(_ arguments: [Vector], type: DataType?, rowCount: Int) -> Vector {
        lifted(arguments, rowCount: rowCount) { inputs, count in
            guard let type else { return .constant(.null) }
            var builder = VectorBuilder(type: type, rowCount: count, sources: inputs)
            for row in 0..<count {
                if let source = inputs.firstIndex(where: { !$0.isNull(at: row) }) { builder.take(row, from: source) }
            }
            return builder.build()
        }
    }

    /// `vector` with the rows where `mask` is true (1) made null.
    static func nullWhere(_ mask: Vector, in vector: Vector, rowCount: Int) -> Vector {
        lifted([mask, vector], rowCount: rowCount) { inputs, count in
            guard let type = inputs[1].dataType else { return .constant(.null) }
            let flags = inputs[0].boolBytes(rowCount: count)
            var builder = VectorBuilder(type: type, rowCount: count, sources: [inputs[1]])
            for row in 0..<count where flags[row] != 1 { builder.take(row, from: 0) }
            return builder.build()
        }
    }
}

extension TextDictionary {
    /// Ranks of two dictionaries' strings in one byte order: equal strings get equal ranks.
    static func jointRanks(_ a: TextDictionary, _ b: TextDictionary) -> ([UInt32], [UInt32]) {
        var merged = a
        let bInMerged = (0..<UInt32(b.count)).map { merged.code(for: b.string(at: $0)) }
        let ranks = merged.sortRanks()
        return ((0..<a.count).map { ranks[$0] }, bInMerged.map { ranks[Int($0)] })
    }
}

/// Builds a vector of one type row by row from several source vectors of compatible types
/// (integers widened to doubles; text re-coded into one dictionary); rows never taken are null.
struct VectorBuilder {
    private let type: DataType
    private let sources: [Vector]
    private var valid: [Bool]
    private var integers: [Int64] = []
    private var doubles: [Double] = []
    private var days: [Int32] = []
    private var flags: [UInt8] = []
    private var codes: [UInt32] = []
    private var dictionary = TextDictionary()
    /// For each text source, its dictionary's codes in the built dictionary.
    private var translations: [[UInt32]] = []

    init(type: DataType, rowCount: Int, sources: [Vector]) {
        self.type = type
        self.sources = sources
        valid = [Bool](repeating: false, count: rowCount)
        switch type {
        case .int64, .timestamp: integers = [Int64](repeating: 0, count: rowCount)
        case .float64: doubles = [Double](repeating: 0, count: rowCount)
        case .date: days = [Int32](repeating: 0, count: rowCount)
        case .bool: flags = [UInt8](repeating: 2, count: rowCount)
        case .text:
            codes = [UInt32](repeating: 0, count: rowCount)
            for source in sources {
                switch source {
                case .text(_, let sourceDictionary, _):
                    translations.append((0..<UInt32(sourceDictionary.count)).map { dictionary.code(for: sourceDictionary.string(at: $0)) })
                case .constant(.text(let text)):
                    translations.append([dictionary.code(for: text)])
                default:
                    translations.append([])
                }
            }
        }
    }

    /// Row `row` of the result takes source `index`'s value at that row.
    mutating func take(_ row: Int, from index: Int) {
        let source = sources[index]
        switch (type, source) {
        case (_, .constant(let value)):
            set(row, value, source: index)
        case (.int64, .int64(let values, let validity)), (.timestamp, .timestamp(let values, let validity)):
            if validity?[row] ?? true { integers[row] = values[row]; valid[row] = true }
        case (.float64, .float64(let values, let validity)):
            if validity?[row] ?? true { doubles[row] = values[row]; valid[row] = true }
        case (.float64, .int64(let values, let validity)):
            if validity?[row] ?? true { doubles[row] = Double(values[row]); valid[row] = true }
        case (.date, .date(let values, let validity)):
            if validity?[row] ?? true { days[row] = values[row]; valid[row] = true }
        case (.bool, .bool(let values)):
            flags[row] = values[row]
        case (.text, .text(let sourceCodes, _, let validity)):
            if validity?[row] ?? true { codes[row] = translations[index][Int(sourceCodes[row])]; valid[row] = true }
        default:
            set(row, source.value(at: row), source: index)
        }
    }

    private mutating func set(_ row: Int, _ value: Value, source: Int) {
        switch (type, value) {
        case (.int64, .int(let x)), (.timestamp, .timestamp(let x)): integers[row] = x; valid[row] = true
        case (.float64, .double(let x)): doubles[row] = x; valid[row] = true
        case (.float64, .int(let x)): doubles[row] = Double(x); valid[row] = true
        case (.date, .date(let x)): days[row] = x; valid[row] = true
        case (.bool, .bool(let x)): flags[row] = x ? 1 : 0
        case (.text, .text(let text)): codes[row] = dictionary.code(for: text); valid[row] = true
        default: break
        }
    }

    func build() -> Vector {
        let validity = VectorKernels.nullMask(valid)
        switch type {
        case .int64: return .int64(integers, validity)
        case .timestamp: return .timestamp(integers, validity)
        case .float64: return .float64(doubles, validity)
        case .date: return .date(days, validity)
        case .bool: return .bool(flags)
        case .text: return .text(codes, dictionary, validity)
        }
    }
}

extension Vector {
    var isConstant: Bool {
        if case .constant = self { return true }
        return false
    }

    /// The null mask of a typed vector (booleans keep theirs in the bytes).
    var validity: Bitmap? {
        switch self {
        case .int64(_, let validity), .float64(_, let validity), .date(_, let validity), .timestamp(_, let validity),
             .text(_, _, let validity): return validity
        case .bool, .constant: return nil
        }
    }

    func isNull(at row: Int) -> Bool {
        switch self {
        case .constant(let value): return value.isNull
        case .bool(let values): return values[row] == 2
        default: return validity.map { !$0[row] } ?? false
        }
    }

    /// An all-null vector of a type.
    static func nulls(_ type: DataType, rowCount: Int) -> Vector {
        let none = Bitmap(count: rowCount, value: false)
        switch type {
        case .int64: return .int64([Int64](repeating: 0, count: rowCount), none)
        case .float64: return .float64([Double](repeating: 0, count: rowCount), none)
        case .date: return .date([Int32](repeating: 0, count: rowCount), none)
        case .timestamp: return .timestamp([Int64](repeating: 0, count: rowCount), none)
        case .bool: return .bool([UInt8](repeating: 2, count: rowCount))
        case .text: return .text([UInt32](repeating: 0, count: rowCount), TextDictionary(), none)
        }
    }

    /// A constant repeated over `rowCount` rows; any other vector as it is. A null constant stays.
    func materialized(rowCount: Int) -> Vector {
        guard case .constant(let value) = self, !value.isNull else { return self }
        if case .bool(let flag) = value { return .bool([UInt8](repeating: flag ? 1 : 0, count: rowCount)) }
        return Vector(column: column(named: "", rowCount: rowCount)!)
    }

    /// Three-valued bytes of a boolean vector (anything else: unknown).
    public func boolBytes(rowCount: Int) -> [UInt8] {
        switch self {
        case .bool(let values): return values
        case .constant(.bool(let flag)): return [UInt8](repeating: flag ? 1 : 0, count: rowCount)
        default: return [UInt8](repeating: 2, count: rowCount)
        }
    }

    /// The values as doubles, for integer and double vectors.
    public var doubles: (ColumnBuffer<Double>, Bitmap?)? {
        switch self {
        case .float64(let values, let validity): return (values, validity)
        case .int64(let values, let validity): return (ColumnBuffer(values.map(Double.init)), validity)
        default: return nil
        }
    }

    /// Day numbers of a date vector, or of a timestamp vector's date parts.
    var days: (ColumnBuffer<Int32>, Bitmap?)? {
        switch self {
        case .date(let values, let validity): return (values, validity)
        case .timestamp(let values, let validity): return (ColumnBuffer(values.map(CivilDate.day(ofSeconds:))), validity)
        default: return nil
        }
    }

    /// Seconds of a timestamp vector, or of a date vector's midnights.
    var seconds: (ColumnBuffer<Int64>, Bitmap?)? {
        switch self {
        case .timestamp(let values, let validity): return (values, validity)
        case .date(let values, let validity): return (ColumnBuffer(values.map { Int64($0) * 86_400 }), validity)
        default: return nil
        }
    }

    /// The values as text codes the way `||` writes them (`Value.plainText`), each distinct value
    /// formatted once. Nil for a null constant.
    var plainTextCodes: (ColumnBuffer<UInt32>, TextDictionary, Bitmap?)? {
        switch self {
        case .constant(.null): return nil
        case .text(let codes, let dictionary, let validity): return (codes, dictionary, validity)
        case .bool(let values):
            let dictionary = TextDictionary([Value.bool(false).plainText, Value.bool(true).plainText])
            return (ColumnBuffer(values.map { $0 == 1 ? 1 : 0 }), dictionary, VectorKernels.nullMask(values.map { $0 != 2 }))
        default:
            return textCodes { $0.plainText }
        }
    }

    /// Each distinct non-null value formatted once by `format` into a dictionary.
    func textCodes(_ format: (Value) -> String) -> (ColumnBuffer<UInt32>, TextDictionary, Bitmap?) {
        var dictionary = TextDictionary()
        var seen: [Value: UInt32] = [:]
        var valid: [Bool] = []
        var codes: [UInt32] = []
        let count: Int
        switch self {
        case .int64(let values, _), .timestamp(let values, _): count = values.count
        case .float64(let values, _): count = values.count
        case .date(let values, _): count = values.count
        case .bool(let values): count = values.count
        case .text(let values, _, _): count = values.count
        case .constant: count = 1
        }
        codes.reserveCapacity(count)
        valid.reserveCapacity(count)
        for row in 0..<count {
            let value = self.value(at: row)
            if value.isNull {
                codes.append(0)
                valid.append(false)
                continue
            }
            if let code = seen[value] {
                codes.append(code)
            } else {
                let code = dictionary.code(for: format(value))
                seen[value] = code
                codes.append(code)
            }
            valid.append(true)
        }
        return (ColumnBuffer(codes), dictionary, VectorKernels.nullMask(valid))
    }
}
