import Columnar

/// Comparison of single values, with SQL's coercions: numbers with numbers, text by UTF-8 bytes
/// (code-point order, as DuckDB does), dates with dates, booleans false before true.
public enum ValueOrdering {
    /// -1, 0 or 1; nil when either side is null or the two cannot be compared.
    public static func compare(_ left: Value, _ right: Value) -> Int? {
        switch (left, right) {
        case (.null, _), (_, .null): return nil
        case (.int(let a), .int(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.text(let a), .text(let b)): return compareText(a, b)
        case (.date(let a), .date(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.timestamp(let a), .timestamp(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        // A date is its midnight beside a timestamp.
        case (.date(let a), .timestamp(let b)): return compare(.timestamp(Int64(a) * 86_400), .timestamp(b))
        case (.timestamp(let a), .date(let b)): return compare(.timestamp(a), .timestamp(Int64(b) * 86_400))
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        default:
            if let a = left.asDouble, let b = right.asDouble { return a < b ? -1 : (a == b ? 0 : 1) }
            return nil
        }
    }

    /// Text in UTF-8 byte order (code-point order), shorter prefix first: the order of the
    /// text dictionaries' ranks, and DuckDB's. Strings equal only as Unicode text (é written
    /// precomposed and as e with an accent) differ here, as their dictionary codes do.
    public static func compareText(_ a: String, _ b: String) -> Int {
        var (x, y) = (a, b)
        return x.withUTF8 { x in
            y.withUTF8 { y in
                TextDictionary.compareBytes(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y))
            }
        }
    }

    /// Ascending order for group keys in result tables: values in order, nulls last.
    public static func precedesNullsLast(_ a: Value, _ b: Value) -> Bool {
        compare(a, b).map { $0 < 0 } ?? (!a.isNull && b.isNull)
    }

    /// Whether a comparison result satisfies `op`.
    @inlinable
    public static func holds(_ op: BinaryOperator, _ order: Int) -> Bool {
        switch op {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        default: return false
        }
    }
}

/// SQL LIKE with `%` (any run) and `_` (one character).
struct LikePattern {
    private let pattern: [Character]

    init(_ pattern: String) {
        self.pattern = Array(pattern)
    }

    func matches(_ text: String) -> Bool {
        let characters = Array(text)
        var textIndex = 0, patternIndex = 0
        var starPattern = -1, starText = 0
        while textIndex < characters.count {
            if patternIndex < pattern.count, pattern[patternIndex] == "_" || pattern[patternIndex] == characters[textIndex] {
                textIndex += 1
                patternIndex += 1
            } else if patternIndex < pattern.count, pattern[patternIndex] == "%" {
                starPattern = patternIndex
                starText = textIndex
                patternIndex += 1
            } else if starPattern >= 0 {
                patternIndex = starPattern + 1
                starText += 1
                textIndex = starText
            } else {
                return false
            }
        }
        while patternIndex < pattern.count, pattern[patternIndex] == "%" { patternIndex += 1 }
        return patternIndex == pattern.count
    }
}
