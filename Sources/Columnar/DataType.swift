/// The storage type of a column.
///
/// Dates are kept as days since 1970-01-01 so that they sort and subtract as integers.
public enum DataType: String, Sendable, Equatable, CaseIterable {
    case int64
    case float64
    case date
    /// A date with a time of day: seconds since 1970-01-01 00:00:00, no time zone. Its date part
    /// serves wherever a date does.
    case timestamp
    case bool
    case text

    /// The name shown to analysts in `describe` and in error messages.
    public var displayName: String { rawValue }

    /// Whether arithmetic and averages apply.
    public var isNumeric: Bool { self == .int64 || self == .float64 }
}
