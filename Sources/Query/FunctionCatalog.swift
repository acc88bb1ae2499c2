/// Every function of the query language, described once. The binder checks arity and argument
/// types from here, the parser which aggregates may run over a window, and the help text and the
/// "did you mean" suggestions list the names from here; each function's kernel stays beside its
/// name in `ScalarFunctions.bind` or `Accumulator`. Adding a function is one entry plus its kernel.
public struct FunctionEntry: Sendable {
    public enum Kind: Sendable {
        case scalar, aggregate
    }

    public let name: String
    public let kind: Kind
    /// How many arguments it takes.
    public let arity: ClosedRange<Int>
    /// `count(*)`.
    public let allowsStar: Bool
    /// Its first argument must be a number.
    public let numericArgument: Bool
    /// It may run over a window's whole partition (`sum(x) OVER (PARTITION BY …)`).
    public let overPartition: Bool
    /// How it is written, for the help text.
    public let usage: String
}

public enum FunctionCatalog {
    private static func scalar(_ name: String, _ arity: ClosedRange<Int>, numeric: Bool = false, _ usage: String) -> FunctionEntry {
        FunctionEntry(name: name, kind: .scalar, arity: arity, allowsStar: false, numericArgument: numeric, overPartition: false, usage: usage)
    }

    private static func aggregate(_ name: String, _ arity: ClosedRange<Int>, star: Bool = false, numeric: Bool = false,
                                  overPartition: Bool = false, _ usage: String) -> FunctionEntry {
        FunctionEntry(name: name, kind: .aggregate, arity: arity, allowsStar: star, numericArgument: numeric, overPartition: overPartition,
                      usage: usage)
    }

    public static let entries: [FunctionEntry] = [
        aggregate("count", 1...1, star: true, overPartition: true, "count(*), count(x), count(DISTINCT x)"),
        aggregate("sum", 1...1, numeric: true, overPartition: true, "sum(x)"),
        aggregate("avg", 1...1, numeric: true, overPartition: true, "avg(x)"),
        aggregate("min", 1...1, overPartition: true, "min(x)"),
        aggregate("max", 1...1, overPartition: true, "max(x)"),
        aggregate("median", 1...1, numeric: true, "median(x)"),
        aggregate("stddev", 1...1, numeric: true, "stddev(x)"),
        aggregate("stddev_samp", 1...1, numeric: true, "stddev_samp(x)"),
        aggregate("pass_rate", 1...2, numeric: true, "pass_rate(x[, line])"),
        aggregate("share_below", 2...2, numeric: true, "share_below(x, t)"),
        scalar("year", 1...1, "year(d)"), scalar("month", 1...1, "month(d)"), scalar("quarter", 1...1, "quarter(d)"),
        scalar("day", 1...1, "day(d)"),
        scalar("date_diff", 3...3, "date_diff('day'|'month'|'year', a, b)"), scalar("datediff", 3...3, "datediff(…)"),
        scalar("abs", 1...1, numeric: true, "abs(x)"), scalar("floor", 1...1, numeric: true, "floor(x)"),
        scalar("ceil", 1...1, numeric: true, "ceil(x)"), scalar("round", 1...2, numeric: true, "round(x[, places])"),
        scalar("coalesce", 1...16, "coalesce(a, b, …)"), scalar("nullif", 2...2, "nullif(a, b)"),
        scalar("length", 1...1, "length(s)"), scalar("lower", 1...1, "lower(s)"), scalar("upper", 1...1, "upper(s)"),
    ]

    private static let byName = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0) })

    public static func entry(_ name: String) -> FunctionEntry? {
        byName[name.lowercased()]
    }

    /// Every function name, for suggestions.
    public static var names: [String] { entries.map(\.name) }

    /// The functions of a kind as the help text lists them.
    public static func usage(_ kind: FunctionEntry.Kind) -> String {
        entries.filter { $0.kind == kind }.map(\.usage).joined(separator: " ")
    }
}
