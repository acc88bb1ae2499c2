/// Per-group count, sum, minimum, maximum and threshold counts of a numeric column.
///
/// Rows are assigned to groups by `groupIds` (one per row; -1 leaves a row out). Null values
/// are skipped but still counted in `rows` (SQL's `count(*)` against `count(x)`). Sums are
/// compensated (`CompensatedSum`).
public struct GroupedStatistics: Sendable {
    /// Rows in each group, nulls included.
    public var rows: [Int]
    /// Non-null values in each group.
    public var count: [Int]
    public var sum: [Double]
    public var minimum: [Double]
    public var maximum: [Double]
    /// For each requested threshold, per group, the values strictly below it.
    public var below: [[Int]]
    /// The non-null values of each part and group (`[part * groups + group]`) of `compute`'s
    /// parts, which `medians` over the same rows takes instead of counting them again.
    public var partCounts: [Int]?

    public init(rows: [Int], count: [Int], sum: [Double], minimum: [Double], maximum: [Double], below: [[Int]]) {
        (self.rows, self.count, self.sum, self.minimum, self.maximum, self.below) = (rows, count, sum, minimum, maximum, below)
    }

    /// Rows per part when a column is cut for parallel work, at least. The cut depends only on
    /// the row and group counts, never on the number of threads, so results are the same on any
    /// machine.
    public static let partRows = 1 << 18

    /// Rows per group in a part, at least: each part fills and merges one record per group, so a
    /// part must hold many rows per group for that work to stay small beside its scan.
    public static let partRowsPerGroup = 64

    /// The row ranges a column of `count` rows in `groups` groups is cut into: parts of at least
    /// `partRows` rows and `partRowsPerGroup` rows per group, at most 64 of them.
    public static func parts(of count: Int, groups: Int = 0) -> [Range<Int>] {
        let (perGroup, overflow) = max(0, groups).multipliedReportingOverflow(by: partRowsPerGroup)
        let partSize = max(partRows, overflow ? .max : perGroup)
        return ConcurrentTasks.evenRanges(of: count, pieces: max(1, min(64, count / max(1, partSize))))
    }

    /// Computes the statistics: the rows cut into parts (`parts(of:groups:)`), each part summed on
    /// its own on every core into a table of group records, then the records merged group by
    /// group, the parts in order (counts, minimum and maximum exactly; the compensated sums by
    /// adding each part's sum and correction), the groups shared among the cores.
    ///
    /// - Complexity: O(rows + parts × groups × thresholds).
    public static func compute(values: ColumnBuffer<Double>, validity: Bitmap?, groupIds: ColumnBuffer<Int32>, groupCount: Int,
                               belowThresholds: [Double] = []) -> GroupedStatistics {
        let result = compute(values: values, validity: validity, ids: .stored(groupIds), groupCount: groupCount, belowThresholds: belowThresholds)
        if checksInvariants {
            precondition(result.rows.reduce(0, +) == groupIds.lazy.filter { $0 >= 0 }.count, "every grouped row counted once")
        }
        return result
    }

    /// `compute` with each row's group id from `ids`: stored, or read from codes as it goes.
    public static func compute(values: ColumnBuffer<Double>, validity: Bitmap?, ids: GroupIdSource, groupCount: Int,
                               belowThresholds: [Double] = []) -> GroupedStatistics {
        precondition(values.count == ids.count, "one group id per value")
        return values.withUnsafeBufferPointer { buffer in
            ids.read(StatisticsReader(values: StoredValues(base: buffer.baseAddress), count: values.count, validity: validity,
                                      groupCount: groupCount, belowThresholds: belowThresholds))
        }
    }

    /// `compute` of values held as 16-bit hundredths (a column cache's narrow scores), each read
    /// as the double it stands for: the same statistics as of those doubles, with no column of
    /// doubles made first.
    public static func compute(hundredths values: ColumnBuffer<Int16>, validity: Bitmap?, ids: GroupIdSource, groupCount: Int,
                               belowThresholds: [Double] = []) -> GroupedStatistics {
        precondition(values.count == ids.count, "one group id per value")
        return values.withUnsafeBufferPointer { buffer in
            ids.read(StatisticsReader(values: HundredthValues(base: buffer.baseAddress), count: values.count, validity: validity,
                                      groupCount: groupCount, belowThresholds: belowThresholds))
        }
    }

    /// `compute(hundredths:)` with the ids stored one per row.
    public static func compute(hundredths values: ColumnBuffer<Int16>, validity: Bitmap?, groupIds: ColumnBuffer<Int32>, groupCount: Int,
                               belowThresholds: [Double] = []) -> GroupedStatistics {
        compute(hundredths: values, validity: validity, ids: .stored(groupIds), groupCount: groupCount, belowThresholds: belowThresholds)
    }

    /// `compute` for one kind of ids, so that its loops are compiled for it.
    struct StatisticsReader<Values: RowValues>: GroupIdsReader {
        let values: Values, count: Int, validity: Bitmap?, groupCount: Int, belowThresholds: [Double]

        func read<Ids: RowGroupIds>(_ ids: Ids) -> GroupedStatistics {
            GroupedStatistics.compute(values: values, count: count, validity: validity, ids: ids, groupCount: groupCount,
                                      belowThresholds: belowThresholds)
        }
    }

    /// The rows of each group (`ids` below `groupCount`; a row with id -1 is left out).
    public static func rowCounts(ids: GroupIdSource, groupCount: Int) -> [Int] {
        ids.read(RowCountReader(count: ids.count, groupCount: groupCount))
    }

    struct RowCountReader: GroupIdsReader {
        let count: Int, groupCount: Int

        func read<Ids: RowGroupIds>(_ ids: Ids) -> [Int] {
            var rows = [Int](repeating: 0, count: groupCount)
            rows.withUnsafeMutableBufferPointer { rows in
                for row in 0..<count {
                    let id = ids[row]
                    if id >= 0 { rows[Int(id)] += 1 }
                }
            }
            return rows
        }
    }

    static func compute<Values: RowValues, Ids: RowGroupIds>(values: Values, count: Int, validity: Bitmap?, ids: Ids, groupCount: Int,
                                                             belowThresholds: [Double] = []) -> GroupedStatistics {
        let ranges = parts(of: count, groups: groupCount)
        let tables = RecordTables(parts: ranges.count, groups: groupCount, thresholds: belowThresholds.count)
        defer { tables.release() }
        belowThresholds.withUnsafeBufferPointer { thresholds in
            ConcurrentTasks(ranges.count).run { part in
                accumulate(values: values, validity: validity, ids: ids, range: ranges[part],
                           thresholds: thresholds, into: tables, part: part)
            }
        }
        var partCounts = [Int](repeating: 0, count: ranges.count * groupCount)
        for part in ranges.indices {
            for group in 0..<groupCount { partCounts[part * groupCount + group] = Int(tables.record(part: part, group: group).count) }
        }
        // Part 0's table receives the others, stripes of groups on every core.
        if ranges.count > 1 {
            ConcurrentTasks.runInStripes(groupCount) { stripe in
                for group in stripe {
                    let into = tables.record(part: 0, group: group)
                    for part in 1..<ranges.count { into.merge(tables.record(part: part, group: group), thresholds: tables.thresholds) }
                }
            }
        }
        let totals = (0..<groupCount).map { tables.record(part: 0, group: $0) }
        var result = GroupedStatistics(rows: totals.map { Int($0.rows) }, count: totals.map { Int($0.count) },
                                       sum: totals.map { $0.sum + $0.correction }, minimum: totals.map(\.minimum), maximum: totals.map(\.maximum),
                                       below: belowThresholds.indices.map { index in totals.map { Int($0.below(index)) } })
        result.partCounts = partCounts
        if checksInvariants {
            precondition(zip(result.count, result.rows).allSatisfy { $0 <= $1 }, "no more values than rows")
        }
        return result
    }

    /// One part's rows into its table of group records, which this fills first.
    private static func accumulate<Values: RowValues, Ids: RowGroupIds>(values: Values, validity: Bitmap?, ids groupIds: Ids,
                                                     range: Range<Int>, thresholds: UnsafeBufferPointer<Double>, into tables: RecordTables, part: Int) {
        for group in 0..<tables.groups { tables.record(part: part, group: group).reset(thresholds: tables.thresholds) }
        let records = tables.first(part: part)
        // One loop per threshold count, so the common cases (none, one, two) run unrolled.
        switch thresholds.count {
        case 0: scan(values, validity, groupIds, range, records, tables.stride, NoThreshold())
        case 1: scan(values, validity, groupIds, range, records, tables.stride, OneThreshold(first: thresholds[0]))
        case 2: scan(values, validity, groupIds, range, records, tables.stride, TwoThresholds(first: thresholds[0], second: thresholds[1]))
        default: scan(values, validity, groupIds, range, records, tables.stride, ManyThresholds(thresholds: thresholds))
        }
        if validity == nil {
            for group in 0..<tables.groups {
                let record = tables.record(part: part, group: group)
                record.count = record.rows
            }
        }
    }

    /// Adds one part's rows into the group records. Without a validity bitmap every row has a
    /// value, so the value count is left to be copied from the row count.
    @inline(__always)
    private static func scan<Below: BelowCounter, Values: RowValues, Ids: RowGroupIds>(_ values: Values, _ validity: Bitmap?,
                                                                   _ groupIds: Ids, _ range: Range<Int>,
                                                                   _ records: UnsafeMutablePointer<Double>, _ stride: Int, _ below: Below) {
        guard !range.isEmpty else { return }
        guard let validity else {
            for row in range {
                let group = Int(groupIds[row])
                if group < 0 { continue }
                let record = GroupRecord(records + group &* stride)
                record.rows += 1
                record.add(values[row], below)
            }
            return
        }
        validity.words.withUnsafeBufferPointer { words in
            let wordBase = words.baseAddress!
            for row in range {
                let group = Int(groupIds[row])
                if group < 0 { continue }
                let record = GroupRecord(records + group &* stride)
                record.rows += 1
                guard wordBase[row &>> 6] & (1 &<< UInt64(row & 63)) != 0 else { continue }
                record.count += 1
                record.add(values[row], below)
            }
        }
    }

    /// Scalar reference of `compute`: one pass over every row, kept for tests and measurement.
    public static func computeScalar(values: ColumnBuffer<Double>, validity: Bitmap?, groupIds: ColumnBuffer<Int32>, groupCount: Int,
                                     belowThresholds: [Double] = []) -> GroupedStatistics {
        precondition(values.count == groupIds.count, "one group id per value")
        var rows = [Int](repeating: 0, count: groupCount)
        var count = [Int](repeating: 0, count: groupCount)
        var sums = [CompensatedSum](repeating: CompensatedSum(), count: groupCount)
        var minimum = [Double](repeating: .infinity, count: groupCount)
        var maximum = [Double](repeating: -.infinity, count: groupCount)
        var below = [[Int]](repeating: [Int](repeating: 0, count: groupCount), count: belowThresholds.count)
        for row in 0..<values.count {
            let group = Int(groupIds[row])
            if group < 0 { continue }
            rows[group] += 1
            if let validity, !validity[row] { continue }
            let value = values[row]
            count[group] += 1
            sums[group].add(value)
            if value < minimum[group] { minimum[group] = value }
            if value > maximum[group] { maximum[group] = value }
            for (index, threshold) in belowThresholds.enumerated() where value < threshold {
                below[index][group] += 1
            }
        }
        return GroupedStatistics(rows: rows, count: count, sum: sums.map(\.value), minimum: minimum, maximum: maximum, below: below)
    }

    /// The median of each group's non-null values (the mean of the two middle ones for an even
    /// count, as DuckDB's `median`); nil for a group with no value.
    ///
    /// The values are scattered by group (a counting sort: each part counts, then each part
    /// writes its own stretch of every group's slice, in parallel), then each group's middle is
    /// selected, groups shared among the cores.
    public static func medians(values: ColumnBuffer<Double>, validity: Bitmap?, groupIds: ColumnBuffer<Int32>, groupCount: Int,
                               partCounts: [Int]? = nil) -> [Double?] {
        medians(values: values, validity: validity, ids: .stored(groupIds), groupCount: groupCount, partCounts: partCounts)
    }

    /// `medians` with each row's group id from `ids`.
    public static func medians(values: ColumnBuffer<Double>, validity: Bitmap?, ids: GroupIdSource, groupCount: Int,
                               partCounts: [Int]? = nil) -> [Double?] {
        precondition(values.count == ids.count, "one group id per value")
        return values.withUnsafeBufferPointer { buffer in
            ids.read(MediansReader(values: StoredValues(base: buffer.baseAddress), count: values.count, validity: validity,
                                   groupCount: groupCount, partCounts: partCounts))
        }
    }

    /// `medians` of values held as 16-bit hundredths, scattered as they are.
    public static func medians(hundredths values: ColumnBuffer<Int16>, validity: Bitmap?, ids: GroupIdSource, groupCount: Int,
                               partCounts: [Int]? = nil) -> [Double?] {
        precondition(values.count == ids.count, "one group id per value")
        return values.withUnsafeBufferPointer { buffer in
            ids.read(MediansReader(values: HundredthValues(base: buffer.baseAddress), count: values.count, validity: validity,
                                   groupCount: groupCount, partCounts: partCounts))
        }
    }

    /// `medians(hundredths:)` with the ids stored one per row.
    public static func medians(hundredths values: ColumnBuffer<Int16>, validity: Bitmap?, groupIds: ColumnBuffer<Int32>, groupCount: Int,
                               partCounts: [Int]? = nil) -> [Double?] {
        medians(hundredths: values, validity: validity, ids: .stored(groupIds), groupCount: groupCount, partCounts: partCounts)
    }

    struct MediansReader<Values: RowValues>: GroupIdsReader {
        let values: Values, count: Int, validity: Bitmap?, groupCount: Int, partCounts: [Int]?

        func read<Ids: RowGroupIds>(_ ids: Ids) -> [Double?] {
            GroupedStatistics.medians(values: values, count: count, validity: validity, groupIds: ids, groupCount: groupCount,
                                      partCounts: partCounts)
        }
    }

    static func medians<Values: RowValues, Ids: RowGroupIds>(values: Values, count: Int, validity: Bitmap?, groupIds: Ids, groupCount: Int,
                                                             partCounts: [Int]?) -> [Double?] {
        let ranges = parts(of: count, groups: groupCount)
        // cursors[part * groupCount + group]: first the part's values in the group (`partCounts`,
        // from `compute` over the same rows, or counted here), then where its stretch of the
        // group's slice starts.
        var cursors: [Int]
        if let partCounts, partCounts.count == ranges.count * groupCount {
            cursors = partCounts
            if checksInvariants {
                precondition(cursors == valueCounts(ranges, validity: validity, groupIds: groupIds, groupCount: groupCount),
                             "the statistics' part counts are the values of each part and group")
            }
        } else {
            cursors = valueCounts(ranges, validity: validity, groupIds: groupIds, groupCount: groupCount)
        }
        let starts = cursors.withUnsafeMutableBufferPointer { counts in
            PartedCountingSort.placeStretches(counts, parts: ranges.count, groups: groupCount)
        }
        // Scores kept to hundredths first; any other value sends every group to the doubles.
        var hundredthsCursors = cursors
        if let medians = mediansOfHundredths(values: values, validity: validity, groupIds: groupIds, groupCount: groupCount,
                                             ranges: ranges, cursors: &hundredthsCursors, starts: starts) {
            return medians
        }
        let offset = starts[groupCount]
        // Every place is written by the scatter below: no zeroing first.
        var scattered: [Double] = MemoryAdvice.arrayToFill(count: offset)
        scattered.withUnsafeMutableBufferPointer { scattered in
            cursors.withUnsafeMutableBufferPointer { cursors in
                forEachPart(ranges, groupIds: groupIds, validity: validity) { part, rows, ids, words in
                    let base = part * groupCount
                    for row in rows where ids[row] >= 0 && isValid(words, row) {
                        let slot = base + Int(ids[row])
                        scattered[cursors[slot]] = values[row]
                        cursors[slot] += 1
                    }
                }
            }
        }
        var result = [Double?](repeating: nil, count: groupCount)
        let stripes = min(groupCount, 64)
        result.withUnsafeMutableBufferPointer { result in
            scattered.withUnsafeMutableBufferPointer { all in
                ConcurrentTasks(stripes).run { stripe in
                    let bucketCounts = UnsafeMutablePointer<Int32>.allocate(capacity: medianBuckets)
                    defer { bucketCounts.deallocate() }
                    for group in stride(from: stripe, to: groupCount, by: stripes) {
                        let lower = starts[group], upper = starts[group + 1]
                        let n = upper - lower
                        if n == 0 { continue }
                        result[group] = median(UnsafeMutableBufferPointer(rebasing: all[lower..<upper]), counts: bucketCounts)
                    }
                }
            }
        }
        return result
    }

    /// Each part's non-null values in each group (`[part * groupCount + group]`).
    private static func valueCounts<Ids: RowGroupIds>(_ ranges: [Range<Int>], validity: Bitmap?, groupIds: Ids, groupCount: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: ranges.count * groupCount)
        counts.withUnsafeMutableBufferPointer { counts in
            forEachPart(ranges, groupIds: groupIds, validity: validity) { part, rows, ids, words in
                let base = part * groupCount
                for row in rows where ids[row] >= 0 && isValid(words, row) { counts[base + Int(ids[row])] += 1 }
            }
        }
        return counts
    }

    /// `medians` of values that are all hundredths: scattered as 16-bit hundredths (a quarter of
    /// the bytes of doubles), each group's middle ranks found by counting. The middle values are
    /// the doubles the hundredths stand for, averaged as `middle` does: the same medians. Nil as
    /// soon as one value is not a hundredth (`hundredths`).
    private static func mediansOfHundredths<Values: RowValues, Ids: RowGroupIds>(values: Values, validity: Bitmap?, groupIds: Ids, groupCount: Int,
                                            ranges: [Range<Int>], cursors: inout [Int], starts: [Int]) -> [Double?]? {
        let offset = starts[groupCount]
        var scattered: [Int16] = MemoryAdvice.arrayToFill(count: offset)
        var exact = [Bool](repeating: true, count: ranges.count)
        scattered.withUnsafeMutableBufferPointer { scattered in
            cursors.withUnsafeMutableBufferPointer { cursors in
                exact.withUnsafeMutableBufferPointer { exact in
                    forEachPart(ranges, groupIds: groupIds, validity: validity) { part, rows, ids, words in
                        let base = part * groupCount
                        for row in rows where ids[row] >= 0 && isValid(words, row) {
                            guard let whole = values.hundredths(row) else {
                                exact[part] = false
                                return
                            }
                            let slot = base + Int(ids[row])
                            scattered[cursors[slot]] = whole
                            cursors[slot] += 1
                        }
                    }
                }
            }
        }
        guard exact.allSatisfy({ $0 }) else { return nil }
        var result = [Double?](repeating: nil, count: groupCount)
        result.withUnsafeMutableBufferPointer { result in
            scattered.withUnsafeMutableBufferPointer { all in
                ConcurrentTasks.runInStripes(groupCount) { stripe in
                    let counts = UnsafeMutablePointer<Int32>.allocate(capacity: 1 << 16)
                    defer { counts.deallocate() }
                    for group in stripe where starts[group + 1] > starts[group] {
                        result[group] = medianOfHundredths(UnsafeMutableBufferPointer(rebasing: all[starts[group]..<starts[group + 1]]),
                                                           counts: counts)
                    }
                }
            }
        }
        return result
    }

    /// The median of a group's hundredths (not empty; scratch), as a double: the middle ranks
    /// found by counting over the group's range of values when it is narrow beside the group
    /// (scores 30.00 to 100.00 are 7,001 counters), else by sorting the values in place. `counts`
    /// is room for 65,536 counters.
    static func medianOfHundredths(_ values: UnsafeMutableBufferPointer<Int16>, counts: UnsafeMutablePointer<Int32>) -> Double {
        let n = values.count
        let upperRank = n / 2
        let lowerRank = n % 2 == 0 ? upperRank - 1 : upperRank
        var lowest = Int16.max, highest = Int16.min
        for value in values {
            lowest = min(lowest, value)
            highest = max(highest, value)
        }
        let span = Int(highest) - Int(lowest) + 1
        let lowerMiddle: Int16, upperMiddle: Int16
        if span <= 16 * n + 1024 {
            counts.initialize(repeating: 0, count: span)
            for value in values { counts[Int(value) - Int(lowest)] &+= 1 }
            var before = 0, bucket = 0
            while before + Int(counts[bucket]) <= lowerRank {
                before += Int(counts[bucket])
                bucket += 1
            }
            lowerMiddle = Int16(Int(lowest) + bucket)
            while before + Int(counts[bucket]) <= upperRank {
                before += Int(counts[bucket])
                bucket += 1
            }
            upperMiddle = Int16(Int(lowest) + bucket)
        } else {
            // The group's values reordered in place until the lower middle rank holds its value,
            // everything after it no smaller; the upper middle is then the least of those.
            lowerMiddle = SmallestKeys.nthSmallest(values, lowerRank)
            var least = Int16.max
            for index in (lowerRank + 1)..<max(lowerRank + 1, n) { least = min(least, values[index]) }
            upperMiddle = upperRank == lowerRank ? lowerMiddle : least
        }
        let lower = Double(lowerMiddle) / 100, upper = Double(upperMiddle) / 100
        return lowerRank == upperRank ? upper : lower + (upper - lower) / 2
    }

    /// Each group's sample standard deviation (nil below two values), in two passes: the mean
    /// from `statistics` (compensated sums), then the compensated sum of squared deviations from
    /// it — as exact as Welford's one pass, and a loop without a division.
    public static func standardDeviations(values: ColumnBuffer<Double>, validity: Bitmap?, groupIds: ColumnBuffer<Int32>,
                                          statistics: GroupedStatistics) -> [Double?] {
        standardDeviations(values: values, validity: validity, ids: .stored(groupIds), statistics: statistics)
    }

    /// `standardDeviations` with each row's group id from `ids`.
    public static func standardDeviations(values: ColumnBuffer<Double>, validity: Bitmap?, ids: GroupIdSource,
                                          statistics: GroupedStatistics) -> [Double?] {
        precondition(values.count == ids.count, "one group id per value")
        return values.withUnsafeBufferPointer { buffer in
            ids.read(DeviationsReader(values: StoredValues(base: buffer.baseAddress), count: values.count, validity: validity,
                                      statistics: statistics))
        }
    }

    /// `standardDeviations` of values held as 16-bit hundredths.
    public static func standardDeviations(hundredths values: ColumnBuffer<Int16>, validity: Bitmap?, ids: GroupIdSource,
                                          statistics: GroupedStatistics) -> [Double?] {
        precondition(values.count == ids.count, "one group id per value")
        return values.withUnsafeBufferPointer { buffer in
            ids.read(DeviationsReader(values: HundredthValues(base: buffer.baseAddress), count: values.count, validity: validity,
                                      statistics: statistics))
        }
    }

    /// `standardDeviations(hundredths:)` with the ids stored one per row.
    public static func standardDeviations(hundredths values: ColumnBuffer<Int16>, validity: Bitmap?, groupIds: ColumnBuffer<Int32>,
                                          statistics: GroupedStatistics) -> [Double?] {
        standardDeviations(hundredths: values, validity: validity, ids: .stored(groupIds), statistics: statistics)
    }

    struct DeviationsReader<Values: RowValues>: GroupIdsReader {
        let values: Values, count: Int, validity: Bitmap?, statistics: GroupedStatistics

        func read<Ids: RowGroupIds>(_ ids: Ids) -> [Double?] {
            GroupedStatistics.standardDeviations(values: values, count: count, validity: validity, groupIds: ids, statistics: statistics)
        }
    }

    static func standardDeviations<Values: RowValues, Ids: RowGroupIds>(values: Values, count: Int, validity: Bitmap?, groupIds: Ids,
                                                                        statistics: GroupedStatistics) -> [Double?] {
        let groupCount = statistics.count.count
        let means = (0..<groupCount).map { statistics.count[$0] > 0 ? statistics.sum[$0] / Double(statistics.count[$0]) : 0 }
        // The rows cut into parts (by row and group counts only, so the same on any machine), each
        // part's squares summed on its own on every core, then the parts merged in order.
        let ranges = parts(of: count, groups: groupCount)
        var partSquares = [CompensatedSum](repeating: CompensatedSum(), count: ranges.count * groupCount)
        partSquares.withUnsafeMutableBufferPointer { sums in
            means.withUnsafeBufferPointer { means in
                forEachPart(ranges, groupIds: groupIds, validity: validity) { part, rows, ids, words in
                    let base = part * groupCount
                    for row in rows where ids[row] >= 0 && isValid(words, row) {
                        let group = Int(ids[row])
                        let deviation = values[row] - means[group]
                        sums[base + group].add(deviation * deviation)
                    }
                }
            }
        }
        var squares = [CompensatedSum](repeating: CompensatedSum(), count: groupCount)
        for part in ranges.indices {
            for group in 0..<groupCount {
                let partSum = partSquares[part * groupCount + group]
                squares[group].add(partSum.sum)
                squares[group].add(partSum.compensation)
            }
        }
        return (0..<groupCount).map { group in
            let n = statistics.count[group]
            return n < 2 ? nil : (squares[group].value / Double(n - 1)).squareRoot()
        }
    }

    /// `body(part, rows, ids, words)` for every part, on every core, with the group ids (read
    /// through raw pointers, `RowGroupIds`) and the validity bitmap's words as a raw buffer: each
    /// body loops over its rows itself, skipping those without a group (id < 0) or a value
    /// (`isValid`). Raw buffers because the arrays and the bitmap retained and released per row
    /// were a tenth of a warm pass-rate run.
    @inline(__always)
    static func forEachPart<Ids: RowGroupIds>(_ ranges: [Range<Int>], groupIds ids: Ids, validity: Bitmap?,
                                              _ body: (_ part: Int, _ rows: Range<Int>, _ ids: Ids,
                                                       _ words: UnsafeBufferPointer<UInt64>?) -> Void) {
        withWords(validity?.rawWords) { words in
            ConcurrentTasks(ranges.count).run { part in body(part, ranges[part], ids, words) }
        }
    }

    /// `body` with a bitmap's words as a raw buffer (nil: no bitmap, every row valid).
    @inline(__always)
    static func withWords<R>(_ words: [UInt64]?, _ body: (UnsafeBufferPointer<UInt64>?) -> R) -> R {
        guard let words else { return body(nil) }
        return words.withUnsafeBufferPointer { body($0) }
    }

    /// Whether `row` is valid in a bitmap's words (nil: every row is).
    @inline(__always)
    static func isValid(_ words: UnsafeBufferPointer<UInt64>?, _ row: Int) -> Bool {
        guard let words else { return true }
        return words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    /// Buckets of the median's narrowing pass.
    static let medianBuckets = 1024

    /// The median of `values` (the mean of the two middle values when the count is even), which
    /// are used as scratch; `counts` is room for `medianBuckets` counters.
    ///
    /// Values are bucketed by the top bits of an order-preserving key over the group's range, the
    /// buckets holding the middle rank(s) are found from the counts, their values are copied to the
    /// front, and the middle is selected among those alone. Scores with one decimal fall one value
    /// to a bucket. Small groups, and groups holding NaN (whose order `<` does not define), go
    /// straight to `select`.
    ///
    /// - Complexity: O(n): three passes and a selection among the middle buckets' values.
    static func median(_ values: UnsafeMutableBufferPointer<Double>, counts: UnsafeMutablePointer<Int32>) -> Double {
        let n = values.count
        let upperRank = n / 2
        let lowerRank = n % 2 == 0 ? upperRank - 1 : upperRank
        guard n >= 64 else { return middle(values, lowerRank: lowerRank, upperRank: upperRank, offset: 0) }
        // Order-preserving keys: -0.0 is keyed as 0.0, with which `<` finds it equal.
        @inline(__always) func key(_ value: Double) -> UInt64 {
            let bits = (value == 0 ? 0.0 : value).bitPattern
            return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
        }
        var lowest = UInt64.max, highest = UInt64.min
        var sawNaN = false
        for value in values {
            let k = key(value)
            lowest = min(lowest, k)
            highest = max(highest, k)
            sawNaN = sawNaN || value.isNaN
        }
        if sawNaN { return middle(values, lowerRank: lowerRank, upperRank: upperRank, offset: 0) }
        if lowest == highest { return values[0] }
        let shift = max(0, (UInt64.bitWidth - (highest - lowest).leadingZeroBitCount) - medianBuckets.trailingZeroBitCount)
        counts.initialize(repeating: 0, count: medianBuckets)
        for value in values { counts[Int(truncatingIfNeeded: (key(value) &- lowest) >> UInt64(shift))] &+= 1 }
        // The buckets of the lower and upper middle ranks, and the values in buckets before the first.
        var before = 0, bucket = 0
        while before + Int(counts[bucket]) <= lowerRank {
            before += Int(counts[bucket])
            bucket += 1
        }
        let firstBucket = bucket
        var through = before + Int(counts[bucket])
        while through <= upperRank {
            bucket += 1
            through += Int(counts[bucket])
        }
        let lastBucket = bucket
        // Copy the values of those buckets to the front, without a branch: every value is written
        // at the next free place, which only advances for a value in range. The others are
        // overwritten (the group's values are scratch), and no place is written before it is read.
        var taken = 0
        let span = UInt64(lastBucket - firstBucket)
        for index in 0..<n {
            let value = values[index]
            let b = (key(value) &- lowest) >> UInt64(shift)
            values[taken] = value
            taken &+= b &- UInt64(firstBucket) <= span ? 1 : 0
        }
        return middle(UnsafeMutableBufferPointer(rebasing: values[0..<taken]), lowerRank: lowerRank, upperRank: upperRank, offset: before)
    }

    /// The median from the values holding ranks `lowerRank`…`upperRank` of a group, where
    /// `values` are the group's values of ranks `offset`…: by `select`.
    private static func middle(_ values: UnsafeMutableBufferPointer<Double>, lowerRank: Int, upperRank: Int, offset: Int) -> Double {
        let upperMiddle = select(values, upperRank - offset)
        guard lowerRank != upperRank else { return upperMiddle }
        // After selection everything before the upper middle is ≤ it: the lower middle is their maximum.
        let lowerMiddle = UnsafeMutableBufferPointer(rebasing: values[0..<(upperRank - offset)]).max()!
        return lowerMiddle + (upperMiddle - lowerMiddle) / 2
    }

    /// The k-th smallest value (0-based), moving smaller values before it and larger after it:
    /// quickselect with a median-of-three pivot, O(n) on average instead of a sort's O(n log n).
    static func select(_ values: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
        var low = 0, high = values.count - 1
        while low < high {
            let middle = low + (high - low) / 2
            if values[middle] < values[low] { values.swapAt(middle, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[high] < values[middle] { values.swapAt(high, middle) }
            let pivot = values[middle]
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while pivot < values[j] { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { high = j } else if k >= i { low = i } else { return values[k] }
        }
        return values[k]
    }
}

/// How a group record's counts below thresholds are kept: unrolled for up to two thresholds.
private protocol BelowCounter {
    func count(_ value: Double, into slots: UnsafeMutablePointer<Double>)
}

private struct NoThreshold: BelowCounter {
    @inline(__always) func count(_ value: Double, into slots: UnsafeMutablePointer<Double>) {}
}

private struct OneThreshold: BelowCounter {
    let first: Double
    @inline(__always) func count(_ value: Double, into slots: UnsafeMutablePointer<Double>) {
        slots[0] += value < first ? 1 : 0
    }
}

private struct TwoThresholds: BelowCounter {
    let first: Double, second: Double
    @inline(__always) func count(_ value: Double, into slots: UnsafeMutablePointer<Double>) {
        slots[0] += value < first ? 1 : 0
        slots[1] += value < second ? 1 : 0
    }
}

private struct ManyThresholds: BelowCounter {
    let thresholds: UnsafeBufferPointer<Double>
    @inline(__always) func count(_ value: Double, into slots: UnsafeMutablePointer<Double>) {
        for index in thresholds.indices { slots[index] += value < thresholds[index] ? 1 : 0 }
    }
}

/// The running figures of one group in one part, read and written by name.
///
/// A record is `6 + thresholds` doubles in a row of its part's table: rows, values, sum, the
/// sum's correction, minimum, maximum, then one count per threshold (64 bytes for two thresholds,
/// one cache line), so a row touches one line instead of one per figure. Counts are doubles
/// (exact below 2^53 rows).
private struct GroupRecord {
    static let fixedFields = 6
    let base: UnsafeMutablePointer<Double>

    @inline(__always) init(_ base: UnsafeMutablePointer<Double>) { self.base = base }

    var rows: Double {
        @inline(__always) get { base[0] }
        @inline(__always) nonmutating set { base[0] = newValue }
    }
    var count: Double {
        @inline(__always) get { base[1] }
        @inline(__always) nonmutating set { base[1] = newValue }
    }
    var sum: Double {
        @inline(__always) get { base[2] }
        @inline(__always) nonmutating set { base[2] = newValue }
    }
    var correction: Double {
        @inline(__always) get { base[3] }
        @inline(__always) nonmutating set { base[3] = newValue }
    }
    var minimum: Double {
        @inline(__always) get { base[4] }
        @inline(__always) nonmutating set { base[4] = newValue }
    }
    var maximum: Double {
        @inline(__always) get { base[5] }
        @inline(__always) nonmutating set { base[5] = newValue }
    }
    /// The counts below each threshold.
    var belowSlots: UnsafeMutablePointer<Double> { base + Self.fixedFields }
    func below(_ index: Int) -> Double { belowSlots[index] }

    func reset(thresholds: Int) {
        (rows, count, sum, correction, minimum, maximum) = (0, 0, 0, 0, .infinity, -.infinity)
        belowSlots.update(repeating: 0, count: thresholds)
    }

    /// A value: the compensated sum (the correction's operands picked without a branch),
    /// minimum, maximum, the counts below thresholds.
    @inline(__always)
    func add<Below: BelowCounter>(_ value: Double, _ below: Below) {
        let sum = self.sum
        let next = sum + value
        let sumIsLarger = abs(sum) >= abs(value)
        let larger = sumIsLarger ? sum : value
        let smaller = sumIsLarger ? value : sum
        correction += (larger - next) + smaller
        self.sum = next
        minimum = Swift.min(minimum, value)
        maximum = Swift.max(maximum, value)
        below.count(value, into: belowSlots)
    }

    /// Another part's record of the same group: counts, minimum and maximum exactly, the
    /// compensated sums by adding the other's sum and correction.
    func merge(_ other: GroupRecord, thresholds: Int) {
        rows += other.rows
        count += other.count
        var total = CompensatedSum(sum: sum, compensation: correction)
        total.add(other.sum)
        total.compensation += other.correction
        (sum, correction) = (total.sum, total.compensation)
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
        for index in 0..<thresholds { belowSlots[index] += other.belowSlots[index] }
    }
}

/// The handle that owns the parts' tables of group records: `parts × groups` records of
/// `stride` doubles, part after part.
private final class RecordTables: @unchecked Sendable {
    let groups: Int
    let thresholds: Int
    let stride: Int
    private let storage: UnsafeMutableBufferPointer<Double>

    init(parts: Int, groups: Int, thresholds: Int) {
        self.groups = groups
        self.thresholds = thresholds
        stride = GroupRecord.fixedFields + thresholds
        storage = .allocate(capacity: max(1, parts * groups * stride))
    }

    func release() { storage.deallocate() }

    /// The first record of `part`'s table.
    func first(part: Int) -> UnsafeMutablePointer<Double> { storage.baseAddress! + part * groups * stride }

    func record(part: Int, group: Int) -> GroupRecord { GroupRecord(first(part: part) + group * stride) }
}
