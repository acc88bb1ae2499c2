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

    /// Computes the statistics in one pass.
    ///
    /// - Complexity: O(rows + groups × thresholds).
    public static func compute(values: [Double], validity: Bitmap?, groupIds: [Int32], groupCount: Int,
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
    public static func medians(values: [Double], validity: Bitmap?, groupIds: [Int32], groupCount: Int) -> [Double?] {
        // Counting sort of the values by group, then a sort within each group's slice.
        var starts = [Int](repeating: 0, count: groupCount + 1)
        for row in 0..<values.count where groupIds[row] >= 0 && validity.map({ $0[row] }) != false {
            starts[Int(groupIds[row]) + 1] += 1
        }
        for group in 0..<groupCount { starts[group + 1] += starts[group] }
        var cursor = starts
        var scattered = [Double](repeating: 0, count: starts[groupCount])
        for row in 0..<values.count where groupIds[row] >= 0 && validity.map({ $0[row] }) != false {
            let group = Int(groupIds[row])
            scattered[cursor[group]] = values[row]
            cursor[group] += 1
        }
        var result = [Double?](repeating: nil, count: groupCount)
        for group in 0..<groupCount {
            let lower = starts[group], upper = starts[group + 1]
            let n = upper - lower
            if n == 0 { continue }
            result[group] = scattered.withUnsafeMutableBufferPointer { all in
                let slice = UnsafeMutableBufferPointer(rebasing: all[lower..<upper])
                let upperMiddle = select(slice, n / 2)
                guard n % 2 == 0 else { return upperMiddle }
                // After selection everything before n/2 is ≤ it: the lower middle is their maximum.
                let lowerMiddle = UnsafeMutableBufferPointer(rebasing: slice[0..<(n / 2)]).max()!
                return lowerMiddle + (upperMiddle - lowerMiddle) / 2
            }
        }
        return result
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
