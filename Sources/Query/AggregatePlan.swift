import Kernels
import Columnar

/// An aggregate over a column (or over rows, for `count(*)`).
public enum AggregateFunction: Sendable, Equatable {
    /// Rows in the group (`count(*)`).
    case countRows
    /// Non-null values (`count(x)`).
    case count
    case sum
    case mean
    case minimum
    case maximum
    case median
    /// Sample standard deviation (`stddev`, `stddev_samp`); null below two values.
    case standardDeviation
    /// Distinct non-null values (`count(DISTINCT x)`), of a column of any type.
    case countDistinct
    /// Values strictly below the threshold (unqualified case files below 70).
    case countBelow(Double)
    /// Values at or above the threshold.
    case countAtLeast(Double)
    /// Share of non-null values at or above the threshold (`pass_rate(score, 70)`).
    case passRate(Double)
    /// Share of non-null values strictly below the threshold (`share_below(x, t)`).
    case shareBelow(Double)
}

/// One aggregate of a plan.
public struct AggregateSpec: Sendable {
    public var function: AggregateFunction
    /// The column aggregated; nil only for `countRows`.
    public var column: String?

    public init(_ function: AggregateFunction, of column: String? = nil) {
        self.function = function
        self.column = column
    }
}

/// Filter, then group, then aggregate: the plan every summary command runs.
public struct AggregatePlan: Sendable {
    public var filter: Expression?
    public var groupBy: [String]
    public var aggregates: [AggregateSpec]

    public init(filter: Expression? = nil, groupBy: [String], aggregates: [AggregateSpec]) {
        self.filter = filter
        self.groupBy = groupBy
        self.aggregates = aggregates
    }

    /// The result: one row per group, group keys then aggregates; and how many rows the filter kept.
    public struct Output: Sendable {
        public var keys: [[Value]]
        public var values: [[Value]]
        public var selectedRows: Int
        /// The columns grouped by, as found in the table.
        public var groupColumns: [Column]
    }

    /// Runs the plan.
    ///
    /// - Throws: `QueryError` for unknown columns (with the closest names) and non-numeric aggregates.
    public func execute(on table: Table) throws(QueryError) -> Output {
        let evaluator = Evaluator(table: table)
        let selected = try filter.map { (expression) throws(QueryError) in try evaluator.selectRows(where: expression) }
        var groupColumns: [Column] = []
        for name in groupBy {
            guard let column = table.column(named: name) else {
                throw Evaluator.unknownColumn(name, candidates: table.allColumnNames)
            }
            groupColumns.append(column)
        }
        let grouping = Grouping.make(table: table, columns: groupColumns, selected: selected)
        let perSpec = try AggregatePlan.aggregate(aggregates, on: table, grouping: grouping)
        let rows = (0..<grouping.groupCount).map { group in perSpec.map { $0[group] } }
        return Output(keys: grouping.keys, values: rows, selectedRows: selected?.count ?? table.rowCount,
                      groupColumns: groupColumns)
    }

    /// Each aggregate's value for each group of `grouping` (indexed [aggregate][group]).
    static func aggregate(_ aggregates: [AggregateSpec], on table: Table, grouping: Grouping) throws(QueryError) -> [[Value]] {
        var results = [[Value]](repeating: [], count: aggregates.count)
        var statisticsCache: [String: (GroupedStatistics, [Double], Bitmap?)] = [:]
        // `count(*)` last: the rows of each group are counted by any statistics over the same
        // grouping, and only counted on their own when the statement has none.
        let order = aggregates.indices.filter { aggregates[$0].function != .countRows } + aggregates.indices.filter { aggregates[$0].function == .countRows }
        for index in order {
            let spec = aggregates[index]
            var perGroup: [Value]
            if spec.function == .countRows {
                let rows = statisticsCache.values.first?.0.rows ?? GroupedStatistics.rowCounts(ids: grouping.source, groupCount: grouping.groupCount)
                perGroup = rows.map { .int(Int64($0)) }
            } else if spec.function == .countDistinct {
                guard let name = spec.column, let column = table.column(named: name) else {
                    throw Evaluator.unknownColumn(spec.column ?? "", candidates: table.allColumnNames)
                }
                perGroup = DistinctCount.perGroup(column, grouping: grouping).map { .int(Int64($0)) }
            } else {
                guard let name = spec.column, let column = table.column(named: name) else {
                    throw Evaluator.unknownColumn(spec.column ?? "", candidates: table.allColumnNames)
                }
                guard column.dataType == .float64 || column.dataType == .int64 else {
                    throw QueryError(message: LocalizedText(zh: "「\(name)」不是数值列，不能求和或平均。",
                                                            en: "'\(name)' is not numeric; it cannot be summed or averaged."),
                                     position: .start)
                }
                // Scores the cache holds as hundredths are summed as such; the doubles are made
                // only for the kernels that need them (median, standard deviation).
                let hundredths: ColumnBuffer<Int16>? = if case .hundredths(let values)? = column.narrow?.values { values } else { nil }
                var made: ColumnBuffer<Double>?
                func numbers() -> ColumnBuffer<Double> {
                    if let made { return made }
                    made = AggregatePlan.doubles(of: column)!
                    return made!
                }
                let thresholds = aggregates.compactMap { other -> Double? in
                    guard other.column == name else { return nil }
                    switch other.function {
                    case .countBelow(let t), .countAtLeast(let t), .passRate(let t), .shareBelow(let t): return t
                    default: return nil
                    }
                }
                let key = column.name
                if statisticsCache[key] == nil {
                    let statistics: GroupedStatistics
                    statistics = if let hundredths {
                        GroupedStatistics.compute(hundredths: hundredths, validity: column.validity, ids: grouping.source,
                                                  groupCount: grouping.groupCount, belowThresholds: thresholds)
                    } else {
                        GroupedStatistics.compute(values: numbers(), validity: column.validity, ids: grouping.source,
                                                  groupCount: grouping.groupCount, belowThresholds: thresholds)
                    }
                    statisticsCache[key] = (statistics, thresholds, column.validity)
                }
                let (statistics, cachedThresholds, validity) = statisticsCache[key]!
                perGroup = AggregatePlan.values(for: spec.function, statistics: statistics, thresholds: cachedThresholds,
                                                numbers: numbers, hundredths: hundredths, validity: validity, grouping: grouping,
                                                integerColumn: column.dataType == .int64)
            }
            results[index] = perGroup
        }
        return results
    }

    static func doubles(of column: Column) -> ColumnBuffer<Double>? {
        switch column.storage {
        case .float64(let values): return values
        case .int64(let values): return ColumnBuffer(values.map(Double.init))
        default: return nil
        }
    }

    static func values(for function: AggregateFunction, statistics: GroupedStatistics, thresholds: [Double], numbers: () -> ColumnBuffer<Double>,
                       hundredths: ColumnBuffer<Int16>?, validity: Bitmap?, grouping: Grouping, integerColumn: Bool) -> [Value] {
        let groups = 0..<grouping.groupCount
        func number(_ value: Double) -> Value { integerColumn ? .int(Int64(value)) : .double(value) }
        switch function {
        case .countRows:
            return groups.map { .int(Int64(statistics.rows[$0])) }
        case .count:
            return groups.map { .int(Int64(statistics.count[$0])) }
        case .sum:
            return groups.map { statistics.count[$0] == 0 ? .null : number(statistics.sum[$0]) }
        case .mean:
            return groups.map { statistics.count[$0] == 0 ? .null : .double(statistics.sum[$0] / Double(statistics.count[$0])) }
        case .minimum:
            return groups.map { statistics.count[$0] == 0 ? .null : number(statistics.minimum[$0]) }
        case .maximum:
            return groups.map { statistics.count[$0] == 0 ? .null : number(statistics.maximum[$0]) }
        case .median:
            let medians = if let hundredths {
                GroupedStatistics.medians(hundredths: hundredths, validity: validity, ids: grouping.source,
                                          groupCount: grouping.groupCount, partCounts: statistics.partCounts)
            } else {
                GroupedStatistics.medians(values: numbers(), validity: validity, ids: grouping.source,
                                          groupCount: grouping.groupCount, partCounts: statistics.partCounts)
            }
            return medians.map { $0.map(Value.double) ?? .null }
        case .standardDeviation:
            let deviations = if let hundredths {
                GroupedStatistics.standardDeviations(hundredths: hundredths, validity: validity, ids: grouping.source,
                                                     statistics: statistics)
            } else {
                GroupedStatistics.standardDeviations(values: numbers(), validity: validity, ids: grouping.source,
                                                     statistics: statistics)
            }
            return deviations.map { $0.map(Value.double) ?? .null }
        case .countDistinct:
            preconditionFailure("count(DISTINCT) is counted on the column, not from its statistics")
        case .countBelow(let threshold):
            let index = thresholds.firstIndex(of: threshold)!
            return groups.map { .int(Int64(statistics.below[index][$0])) }
        case .countAtLeast(let threshold):
            let index = thresholds.firstIndex(of: threshold)!
            return groups.map { .int(Int64(statistics.count[$0] - statistics.below[index][$0])) }
        case .passRate(let threshold):
            let index = thresholds.firstIndex(of: threshold)!
            return groups.map { group in
                let n = statistics.count[group]
                return n == 0 ? .null : .double(Double(n - statistics.below[index][group]) / Double(n))
            }
        case .shareBelow(let threshold):
            let index = thresholds.firstIndex(of: threshold)!
            return groups.map { group in
                let n = statistics.count[group]
                return n == 0 ? .null : .double(Double(statistics.below[index][group]) / Double(n))
            }
        }
    }
}
