import Kernels

/// The typed values of one column.
public enum ColumnStorage: Sendable {
    case int64(ColumnBuffer<Int64>)
    case float64(ColumnBuffer<Double>)
    /// Days since 1970-01-01.
    case date(ColumnBuffer<Int32>)
    /// Seconds since 1970-01-01 00:00:00.
    case timestamp(ColumnBuffer<Int64>)
    case bool(ColumnBuffer<Bool>)
    /// Dictionary codes into the strings of the column.
    case text(codes: ColumnBuffer<UInt32>, dictionary: TextDictionary)

    // The same cases from arrays the process built (the buffers then hold the arrays, no copy).
    public static func int64(_ values: [Int64]) -> ColumnStorage { .int64(ColumnBuffer(values)) }
    public static func float64(_ values: [Double]) -> ColumnStorage { .float64(ColumnBuffer(values)) }
    public static func date(_ values: [Int32]) -> ColumnStorage { .date(ColumnBuffer(values)) }
    public static func timestamp(_ values: [Int64]) -> ColumnStorage { .timestamp(ColumnBuffer(values)) }
    public static func bool(_ values: [Bool]) -> ColumnStorage { .bool(ColumnBuffer(values)) }
    public static func text(codes: [UInt32], dictionary: TextDictionary) -> ColumnStorage {
        .text(codes: ColumnBuffer(codes), dictionary: dictionary)
    }

    public var dataType: DataType {
        switch self {
        case .int64: return .int64
        case .float64: return .float64
        case .date: return .date
        case .timestamp: return .timestamp
        case .bool: return .bool
        case .text: return .text
        }
    }

    public var count: Int {
        switch self {
        case .int64(let values): return values.count
        case .float64(let values): return values.count
        case .date(let values): return values.count
        case .timestamp(let values): return values.count
        case .bool(let values): return values.count
        case .text(let codes, _): return codes.count
        }
    }
}

/// One named, typed column with its nulls.
public struct Column: Sendable {
    /// The header as it stands in the file.
    public var name: String
    /// Other names the column answers to (the English alias, or the Chinese header when the file used the alias).
    public var aliases: [String]
    /// The values as their type's storage; a column read narrow from the cache (`narrow`) makes
    /// it on first request.
    public var storage: ColumnStorage {
        get { wide ?? narrow!.widened }
        set {
            wide = newValue
            narrow = nil
        }
    }
    /// The values as the column cache holds them, fewer bytes than their type takes, when it
    /// holds them so: the kernels that read them so never ask for `storage`.
    public private(set) var narrow: NarrowColumn?
    private var wide: ColumnStorage?
    /// A set bit means the row has a value; `nil` means no row is null.
    public var validity: Bitmap?

    public init(name: String, aliases: [String] = [], storage: ColumnStorage, validity: Bitmap? = nil) {
        if let validity { precondition(validity.count == storage.count, "validity length differs from values") }
        self.name = name
        self.aliases = aliases
        wide = storage
        narrow = nil
        self.validity = (validity?.allSet ?? true) ? nil : validity
    }

    /// A column of narrow values (`NarrowColumn`).
    public init(name: String, aliases: [String] = [], narrow: NarrowColumn, validity: Bitmap? = nil) {
        if let validity { precondition(validity.count == narrow.count, "validity length differs from values") }
        self.name = name
        self.aliases = aliases
        wide = nil
        self.narrow = narrow
        self.validity = (validity?.allSet ?? true) ? nil : validity
    }

    public var count: Int { wide?.count ?? narrow!.count }
    public var dataType: DataType { wide?.dataType ?? narrow!.dataType }

    /// Whether row `index` is null.
    @inlinable
    public func isNull(_ index: Int) -> Bool {
        guard let validity else { return false }
        return !validity[index]
    }

    /// The number of null rows.
    public var nullCount: Int {
        guard let validity else { return 0 }
        return validity.count - validity.setCount
    }

    /// Whether the column answers to `name`: the header exactly, or any alias ignoring ASCII case.
    public func answers(to candidate: String) -> Bool {
        Self.answers(name: name, aliases: aliases, to: candidate)
    }

    /// Whether a column with this header and these aliases answers to `candidate`.
    public static func answers(name: String, aliases: [String], to candidate: String) -> Bool {
        if candidate == name { return true }
        let folded = candidate.lowercased()
        if name.lowercased() == folded { return true }
        return aliases.contains { $0.lowercased() == folded }
    }

    /// The indexes of the `columns` (header, aliases) that `wanted` names, in column order; all
    /// of them when `wanted` is nil or names a column none answers to (so that the error that
    /// follows lists every column), unless `missingKeepsAll` is false: such names are then passed
    /// over (a join's names, each of which only one of its tables has).
    public static func indexes(named wanted: [String]?, among columns: [(name: String, aliases: [String])],
                               missingKeepsAll: Bool = true) -> [Int] {
        guard let wanted else { return Array(columns.indices) }
        var kept = Set<Int>()
        for candidate in wanted {
            let matches = columns.indices.filter { answers(name: columns[$0].name, aliases: columns[$0].aliases, to: candidate) }
            if matches.isEmpty, missingKeepsAll { return Array(columns.indices) }
            kept.formUnion(matches)
        }
        return kept.sorted()
    }

    /// The English alias when there is one, else the header.
    public var englishName: String {
        aliases.first { $0.unicodeScalars.allSatisfy(\.isASCII) } ?? name
    }

    /// The value of one row (for results and slow paths).
    public func value(at index: Int) -> Value {
        if isNull(index) { return .null }
        if let narrow { return narrow.value(at: index) }
        switch storage {
        case .int64(let values): return .int(values[index])
        case .float64(let values): return .double(values[index])
        case .date(let values): return .date(values[index])
        case .timestamp(let values): return .timestamp(values[index])
        case .bool(let values): return .bool(values[index])
        case .text(let codes, let dictionary): return .text(dictionary.string(at: codes[index]))
        }
    }
}
