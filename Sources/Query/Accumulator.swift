import Kernels
import Columnar

/// The running state of one aggregate over one group.
struct Accumulator {
    let name: AggregateName
    let distinct: Bool
    let integerInput: Bool
    var rows = 0
    var count = 0
    var intSum: Int64 = 0
    var sum = CompensatedSum()
    var extreme: Value = .null
    var values: [Double] = []
    var seen: Set<Value> = []
    var mean = 0.0
    var squares = 0.0
    var atLeast = 0

    init(name: AggregateName, distinct: Bool, integerInput: Bool) {
        self.name = name
        self.distinct = distinct
        self.integerInput = integerInput
    }

    /// Adds one row: `value` is the argument (ignored for `count(*)`), `threshold` the second argument.
    mutating func add(_ value: Value, threshold: Double?, star: Bool) {
        rows += 1
        if star { return }
        if value.isNull { return }
        if distinct {
            guard seen.insert(value).inserted else { return }
        }
        count += 1
        switch name {
        case .count: break
        case .sum, .avg:
            if case .int(let x) = value { intSum &+= x }
            sum.add(value.asDouble ?? 0)
        case .min, .max:
            if extreme.isNull { extreme = value; break }
            if let order = ValueOrdering.compare(value, extreme), name == .min ? order < 0 : order > 0 { extreme = value }
        case .median:
            values.append(value.asDouble ?? 0)
        case .stddev, .stddevSamp:
            let x = value.asDouble ?? 0
            let delta = x - mean
            mean += delta / Double(count)
            squares += delta * (x - mean)
        case .passRate:
            if let x = value.asDouble, let threshold, x >= threshold { atLeast += 1 }
        case .shareBelow:
            if let x = value.asDouble, let threshold, x < threshold { atLeast += 1 }
        }
    }

    func result(star: Bool) -> Value {
        switch name {
        case .count: return .int(Int64(star ? rows : count))
        case .sum:
            if count == 0 { return .null }
            return integerInput ? .int(intSum) : .double(sum.value)
        case .avg: return count == 0 ? .null : .double(sum.value / Double(count))
        case .min, .max: return extreme
        case .median:
            guard !values.isEmpty else { return .null }
            let sorted = values.sorted()
            let n = sorted.count
            if n % 2 == 1 { return .double(sorted[n / 2]) }
            let a = sorted[n / 2 - 1], b = sorted[n / 2]
            return .double(a + (b - a) / 2)
        case .stddev, .stddevSamp: return count < 2 ? .null : .double((squares / Double(count - 1)).squareRoot())
        case .passRate, .shareBelow: return count == 0 ? .null : .double(Double(atLeast) / Double(count))
        }
    }

    /// The type an aggregate yields for an argument type.
    static func resultType(_ name: AggregateName, argument: DataType?) -> DataType? {
        switch name {
        case .count: return .int64
        case .sum: return argument == .int64 ? .int64 : .float64
        case .min, .max: return argument
        case .avg, .median, .stddev, .stddevSamp, .passRate, .shareBelow: return .float64
        }
    }
}
