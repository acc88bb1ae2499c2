import Columnar

/// Every function of the query language, described once: its name, arity, what its first
/// argument must be, its result type and its kernel. The parser reads from here which
/// functions are aggregates and which may run over a window, the binder checks arity and
/// argument types and takes the result type and kernel, and the help text and the "did you
/// mean" suggestions list the names. Adding a function is one entry plus its kernel and tests.
public struct FunctionEntry: Sendable {
    public enum Kind: Sendable {
        case scalar, aggregate
    }

    /// What the first argument must be.
    public enum Argument: Sendable {
        case any
        case number
        /// A date, a timestamp or text read as a date.
        case date
    }

    public let name: String
    public let kind: Kind
    /// How many arguments it takes.
    public let arity: ClosedRange<Int>
    /// `count(*)`.
    public let allowsStar: Bool
    public let argument: Argument
    /// The arguments are compared with each other (`nullif`): a text literal takes the other's type.
    let comparesArguments: Bool
    /// It may run over a window's whole partition (`sum(x) OVER (PARTITION BY …)`).
    public let overPartition: Bool
    /// How it is written, for the help text.
    public let usage: String
    /// The result type for the arguments' types (nil: a null argument, or always null).
    let resultType: @Sendable ([DataType?]) -> DataType?
    /// A scalar function's kernel: the arguments' vectors of `rowCount` rows to the result's.
    let scalarKernel: (@Sendable (_ arguments: [Vector], _ rowCount: Int) -> Vector)?
    /// An aggregate's kernel in the grouped plan, given its line (`pass_rate`, `share_below`).
    let aggregateKernel: (@Sendable (_ line: Double) -> AggregateFunction)?

    /// Its first argument must be a number (and a null counts as one).
    public var numericArgument: Bool { argument == .number }
}

public enum FunctionCatalog {
    private static func scalar(_ name: String, _ arity: ClosedRange<Int>, takes argument: FunctionEntry.Argument = .any,
                               compares: Bool = false, _ usage: String, type: @escaping @Sendable ([DataType?]) -> DataType?,
                               kernel: @escaping @Sendable ([Vector], Int) -> Vector) -> FunctionEntry {
        FunctionEntry(name: name, kind: .scalar, arity: arity, allowsStar: false, argument: argument, comparesArguments: compares,
                      overPartition: false, usage: usage, resultType: type, scalarKernel: kernel, aggregateKernel: nil)
    }

    private static func aggregate(_ name: String, _ arity: ClosedRange<Int>, star: Bool = false, takes argument: FunctionEntry.Argument = .any,
                                  overPartition: Bool = false, _ usage: String, type: @escaping @Sendable ([DataType?]) -> DataType?,
                                  kernel: @escaping @Sendable (Double) -> AggregateFunction) -> FunctionEntry {
        FunctionEntry(name: name, kind: .aggregate, arity: arity, allowsStar: star, argument: argument, comparesArguments: false,
                      overPartition: overPartition, usage: usage, resultType: type, scalarKernel: nil, aggregateKernel: kernel)
    }

    private static let integer: @Sendable ([DataType?]) -> DataType? = { _ in .int64 }
    private static let double: @Sendable ([DataType?]) -> DataType? = { _ in .float64 }
    private static let text: @Sendable ([DataType?]) -> DataType? = { _ in .text }
    private static let first: @Sendable ([DataType?]) -> DataType? = { $0.first ?? nil }

    /// The type of values of several types taken together: the first known one, or a double when
    /// numbers of both kinds meet (coalesce's and CASE's rule).
    @Sendable static func widened(_ types: [DataType?]) -> DataType? {
        let known = types.compactMap { $0 }
        return known.contains(.float64) && known.allSatisfy(\.isNumeric) ? .float64 : known.first
    }

    private static func datePart(_ name: String) -> FunctionEntry {
        scalar(name, 1...1, takes: .date, "\(name)(d)", type: integer) { VectorKernels.datePart(name, $0[0], rowCount: $1) }
    }

    private static func rounding(_ name: String) -> FunctionEntry {
        scalar(name, 1...1, takes: .number, "\(name)(x)", type: first) { VectorKernels.rounding(name, $0[0], rowCount: $1) }
    }

    private static func textFunction(_ name: String, type: @escaping @Sendable ([DataType?]) -> DataType?) -> FunctionEntry {
        scalar(name, 1...1, "\(name)(s)", type: type) { VectorKernels.text(name, $0[0], rowCount: $1) }
    }

    private static let dateDifference: @Sendable ([Vector], Int) -> Vector = {
        VectorKernels.dateDifference(unit: $0[0], $0[1], $0[2], rowCount: $1)
    }

    public static let entries: [FunctionEntry] = [
        aggregate("count", 1...1, star: true, overPartition: true, "count(*), count(x), count(DISTINCT x)", type: integer) { _ in .count },
        aggregate("sum", 1...1, takes: .number, overPartition: true, "sum(x)", type: { $0.first == .int64 ? .int64 : .float64 }) { _ in .sum },
        aggregate("avg", 1...1, takes: .number, overPartition: true, "avg(x)", type: double) { _ in .mean },
        aggregate("min", 1...1, overPartition: true, "min(x)", type: first) { _ in .minimum },
        aggregate("max", 1...1, overPartition: true, "max(x)", type: first) { _ in .maximum },
        aggregate("median", 1...1, takes: .number, "median(x)", type: double) { _ in .median },
        aggregate("stddev", 1...1, takes: .number, "stddev(x)", type: double) { _ in .standardDeviation },
        aggregate("stddev_samp", 1...1, takes: .number, "stddev_samp(x)", type: double) { _ in .standardDeviation },
        aggregate("pass_rate", 1...2, takes: .number, "pass_rate(x[, line])", type: double) { .passRate($0) },
        aggregate("share_below", 2...2, takes: .number, "share_below(x, t)", type: double) { .shareBelow($0) },
        datePart("year"), datePart("month"), datePart("quarter"), datePart("day"),
        scalar("date_diff", 3...3, "date_diff('day'|'month'|'year', a, b)", type: integer, kernel: dateDifference),
        scalar("datediff", 3...3, "datediff(…)", type: integer, kernel: dateDifference),
        rounding("abs"), rounding("floor"), rounding("ceil"),
        scalar("round", 1...2, takes: .number, "round(x[, places])", type: { $0.first == .int64 ? .int64 : .float64 }) {
            VectorKernels.round($0[0], places: $0.count > 1 ? $0[1] : nil, rowCount: $1)
        },
        scalar("coalesce", 1...16, "coalesce(a, b, …)", type: widened) { arguments, rowCount in
            VectorKernels.coalesce(arguments, type: widened(arguments.map(\.dataType)), rowCount: rowCount)
        },
        scalar("nullif", 2...2, compares: true, "nullif(a, b)", type: first) { arguments, rowCount in
            VectorKernels.nullWhere(VectorKernels.compare(.equal, arguments[0], arguments[1], rowCount: rowCount), in: arguments[0],
                                    rowCount: rowCount)
        },
        textFunction("length", type: integer), textFunction("lower", type: text), textFunction("upper", type: text),
    ]

    private static let byName = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0) })

    public static func entry(_ name: String) -> FunctionEntry? {
        byName[name.lowercased()]
    }

    /// Whether `name` is an aggregate function.
    public static func isAggregate(_ name: String) -> Bool {
        entry(name)?.kind == .aggregate
    }

    /// Every function name, for suggestions.
    public static var names: [String] { entries.map(\.name) }

    /// The functions of a kind as the help text lists them.
    public static func usage(_ kind: FunctionEntry.Kind) -> String {
        entries.filter { $0.kind == kind }.map(\.usage).joined(separator: " ")
    }
}
