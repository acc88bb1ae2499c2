/// One cell's value, for results, literals and keys (never the hot loops).
public enum Value: Sendable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case date(Int32)
    /// Seconds since 1970-01-01 00:00:00.
    case timestamp(Int64)
    case bool(Bool)
    case text(String)

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The numeric value of an int or a double.
    public var asDouble: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The day of a date, or of a timestamp (its date part): what the rules read.
    public var dayNumber: Int32? {
        switch self {
        case .date(let days): return days
        case .timestamp(let seconds): return CivilDate.day(ofSeconds: seconds)
        default: return nil
        }
    }

    /// The value as plain text: ISO dates, 是/否 for booleans, shortest round-trip doubles.
    public var plainText: String {
        switch self {
        case .null: return ""
        case .int(let value): return String(value)
        case .double(let value): return Value.formatDouble(value)
        case .date(let days): return CivilDate.isoString(days: days)
        case .timestamp(let seconds): return CivilDate.isoString(seconds: seconds)
        case .bool(let value): return value ? "是" : "否"
        case .text(let value): return value
        }
    }

    /// Shortest text that reads back as the same double, without a trailing `.0` for integers.
    public static func formatDouble(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }
}
