import Kernels
import Columnar

/// The result of evaluating an expression over every row of a table.
///
/// Booleans are three-valued as in SQL: 0 false, 1 true, 2 unknown (null).
public enum Vector: Sendable {
    case constant(Value)
    case int64(ColumnBuffer<Int64>, Bitmap?)
    case float64(ColumnBuffer<Double>, Bitmap?)
    case date(ColumnBuffer<Int32>, Bitmap?)
    /// Seconds since 1970-01-01 00:00:00.
    case timestamp(ColumnBuffer<Int64>, Bitmap?)
    case bool([UInt8])
    case text(ColumnBuffer<UInt32>, TextDictionary, Bitmap?)

    // The same cases from arrays a kernel built (the buffers then hold the arrays, no copy).
    public static func int64(_ values: [Int64], _ validity: Bitmap?) -> Vector { .int64(ColumnBuffer(values), validity) }
    public static func float64(_ values: [Double], _ validity: Bitmap?) -> Vector { .float64(ColumnBuffer(values), validity) }
    public static func date(_ values: [Int32], _ validity: Bitmap?) -> Vector { .date(ColumnBuffer(values), validity) }
    public static func timestamp(_ values: [Int64], _ validity: Bitmap?) -> Vector { .timestamp(ColumnBuffer(values), validity) }
    public static func text(_ codes: [UInt32], _ dictionary: TextDictionary, _ validity: Bitmap?) -> Vector {
        .text(ColumnBuffer(codes), dictionary, validity)
    }

    public static let falseValue: UInt8 = 0
    public static let trueValue: UInt8 = 1
    public static let unknownValue: UInt8 = 2

    /// A column as a vector, without copying its buffers.
    public init(column: Column) {
        switch column.storage {
        case .int64(let values): self = .int64(values, column.validity)
        case .float64(let values): self = .float64(values, column.validity)
        case .date(let values): self = .date(values, column.validity)
        case .timestamp(let values): self = .timestamp(values, column.validity)
        case .text(let codes, let dictionary): self = .text(codes, dictionary, column.validity)
        case .bool(let values):
            guard let validity = column.validity else {
                self = .bool(values.map { $0 ? 1 : 0 })
                return
            }
            self = .bool(values.indices.map { validity[$0] ? (values[$0] ? 1 : 0) : 2 })
        }
    }

    /// The type of the values, or nil for a null constant.
    public var dataType: DataType? {
        switch self {
        case .constant(let value):
            switch value {
            case .null: return nil
            case .int: return .int64
            case .double: return .float64
            case .date: return .date
            case .timestamp: return .timestamp
            case .bool: return .bool
            case .text: return .text
            }
        case .int64: return .int64
        case .float64: return .float64
        case .date: return .date
        case .timestamp: return .timestamp
        case .bool: return .bool
        case .text: return .text
        }
    }

    /// The vector as a column of `rowCount` rows (a constant repeated), or nil for a null constant.
    public func column(named name: String, rowCount: Int) -> Column? {
        switch self {
        case .int64(let values, let validity): return Column(name: name, storage: .int64(values), validity: validity)
        case .float64(let values, let validity): return Column(name: name, storage: .float64(values), validity: validity)
        case .date(let values, let validity): return Column(name: name, storage: .date(values), validity: validity)
        case .timestamp(let values, let validity): return Column(name: name, storage: .timestamp(values), validity: validity)
        case .text(let codes, let dictionary, let validity): return Column(name: name, storage: .text(codes: codes, dictionary: dictionary), validity: validity)
        case .bool(let values):
            var bitmap: Bitmap?
            if values.contains(Vector.unknownValue) {
                var built = Bitmap()
                for value in values { built.append(value != Vector.unknownValue) }
                bitmap = built
            }
            return Column(name: name, storage: .bool(values.map { $0 == Vector.trueValue }), validity: bitmap)
        case .constant(let value):
            switch value {
            case .null: return nil
            case .int(let number): return Column(name: name, storage: .int64([Int64](repeating: number, count: rowCount)))
            case .double(let number): return Column(name: name, storage: .float64([Double](repeating: number, count: rowCount)))
            case .date(let days): return Column(name: name, storage: .date([Int32](repeating: days, count: rowCount)))
            case .timestamp(let seconds): return Column(name: name, storage: .timestamp([Int64](repeating: seconds, count: rowCount)))
            case .bool(let flag): return Column(name: name, storage: .bool([Bool](repeating: flag, count: rowCount)))
            case .text(let text):
                var dictionary = TextDictionary()
                let code = dictionary.code(for: text)
                return Column(name: name, storage: .text(codes: [UInt32](repeating: code, count: rowCount), dictionary: dictionary))
            }
        }
    }

    /// One row's value (slow path).
    public func value(at row: Int) -> Value {
        switch self {
        case .constant(let value): return value
        case .int64(let values, let validity): return validity.map { !$0[row] } == true ? .null : .int(values[row])
        case .float64(let values, let validity): return validity.map { !$0[row] } == true ? .null : .double(values[row])
        case .date(let values, let validity): return validity.map { !$0[row] } == true ? .null : .date(values[row])
        case .timestamp(let values, let validity): return validity.map { !$0[row] } == true ? .null : .timestamp(values[row])
        case .bool(let values): return values[row] == 2 ? .null : .bool(values[row] == 1)
        case .text(let codes, let dictionary, let validity):
            return validity.map { !$0[row] } == true ? .null : .text(dictionary.string(at: codes[row]))
        }
    }
}
