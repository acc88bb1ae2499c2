/// Per-group selection of the smallest keys: the draw's "first k of each stratum" (DOMAIN.md §2.3)
/// without sorting the whole population.
///
/// Each group keeps the candidates whose key is at most its running threshold, the key in the
/// group's `limit`-th place once the group has held `2 × limit` candidates; almost every row of a
/// large group is then turned away by one comparison. `select` compares eight rows at a time
/// (SIMD8) in row parts on all cores; `selectScalar` is its one-row-at-a-time twin, kept for tests
/// and for measuring what the vector form gains.
///
/// The answer holds, for each group, every row whose key is among the group's `limit` smallest,
/// ties at the last place included, in ascending (key, row) order. A caller whose keys are a
/// prefix of a longer sort key (the draw's 64-bit ticket prefix) orders the few tied rows by the
/// full key and cuts to `limit`: the rows a full sort would put first are always among them.
public enum SmallestKeys {
    /// Rows taken in one part; a part's work depends only on the row count, not on the cores.
    static let partRows = 1 << 18

    /// The selected rows of each group `0..<limits.count`; rows whose group is negative take no part.
    ///
    /// - Precondition: `groups.count == keys.count`, each group below `limits.count`.
    public static func select(keys: UnsafeBufferPointer<UInt64>, groups: UnsafeBufferPointer<Int32>, limits: [Int],
                              width: Int = ConcurrentTasks.processorCount) -> [[Int32]] {
        precondition(keys.count == groups.count, "one group per key")
        let count = keys.count
        let partCount = max(1, min(64, (count + partRows - 1) / partRows))
        let parts = (0..<partCount).map { _ in Candidates(limits: limits) }
        ConcurrentTasks(partCount, width: width).run { part in
            let start = count * part / partCount, end = count * (part + 1) / partCount
            parts[part].scan(keys: keys, groups: groups, rows: start..<end)
        }
        let merged = parts[0]
        for part in parts.dropFirst() { merged.absorb(part) }
        return merged.finish()
    }

    /// Scalar reference of `select`: one part, one row at a time.
    public static func selectScalar(keys: UnsafeBufferPointer<UInt64>, groups: UnsafeBufferPointer<Int32>, limits: [Int]) -> [[Int32]] {
        precondition(keys.count == groups.count, "one group per key")
        let candidates = Candidates(limits: limits)
        for row in 0..<keys.count where groups[row] >= 0 {
            candidates.offer(key: keys[row], row: Int32(truncatingIfNeeded: row), group: Int(groups[row]))
        }
        return candidates.finish()
    }

    /// One part's candidates, per group.
    final class Candidates: @unchecked Sendable {
        let limits: [Int]
        /// Index 0 stands for the negative groups (threshold 0, checked again before taking a row);
        /// group g's threshold is at g + 1.
        var thresholds: [UInt64]
        var keys: [[UInt64]]
        var rows: [[Int32]]

        init(limits: [Int]) {
            self.limits = limits
            thresholds = [0] + [UInt64](repeating: .max, count: limits.count)
            keys = [[UInt64]](repeating: [], count: limits.count)
            rows = [[Int32]](repeating: [], count: limits.count)
        }

        /// Takes the row when its key is at most the group's threshold.
        @inline(__always)
        func offer(key: UInt64, row: Int32, group: Int) {
            guard key <= thresholds[group + 1] else { return }
            keys[group].append(key)
            rows[group].append(row)
            if keys[group].count >= max(16, 2 * limits[group]) { compact(group) }
        }

        /// Eight rows at a time: one vector comparison against the eight groups' thresholds, and
        /// only the rows that pass are looked at one by one.
        func scan(keys keyBuffer: UnsafeBufferPointer<UInt64>, groups groupBuffer: UnsafeBufferPointer<Int32>, rows range: Range<Int>) {
            guard let keyBase = keyBuffer.baseAddress, let groupBase = groupBuffer.baseAddress else { return }
            let rawKeys = UnsafeRawPointer(keyBase), rawGroups = UnsafeRawPointer(groupBase)
            var index = range.lowerBound
            let end = range.upperBound
            let none = SIMD8<Int32>(repeating: -1)
            while index + 8 <= end {
                let key = rawKeys.loadUnaligned(fromByteOffset: index &* 8, as: SIMD8<UInt64>.self)
                let group = pointwiseMax(rawGroups.loadUnaligned(fromByteOffset: index &* 4, as: SIMD8<Int32>.self), none) &+ 1
                let threshold = thresholds.withUnsafeBufferPointer { table in
                    SIMD8<UInt64>(table[Int(group[0])], table[Int(group[1])], table[Int(group[2])], table[Int(group[3])],
                                  table[Int(group[4])], table[Int(group[5])], table[Int(group[6])], table[Int(group[7])])
                }
                let passing = key .<= threshold
                if any(passing) {
                    for lane in 0..<8 where passing[lane] && group[lane] > 0 {
                        offer(key: key[lane], row: Int32(truncatingIfNeeded: index &+ lane), group: Int(group[lane]) - 1)
                    }
                }
                index &+= 8
            }
            while index < end {
                if groupBase[index] >= 0 {
                    offer(key: keyBase[index], row: Int32(truncatingIfNeeded: index), group: Int(groupBase[index]))
                }
                index &+= 1
            }
        }

        /// Keeps the group's `limit` smallest (ties at the last place included) and lowers its
        /// threshold to the key in the last place.
        func compact(_ group: Int) {
            let limit = limits[group]
            let order = sortedOrder(group)
            guard limit > 0 else {
                keys[group] = []
                rows[group] = []
                thresholds[group + 1] = 0
                return
            }
            guard order.count >= limit else { return }
            let last = keys[group][order[limit - 1]]
            let kept = order.filter { keys[group][$0] <= last }
            keys[group] = kept.map { keys[group][$0] }
            rows[group] = kept.map { rows[group][$0] }
            thresholds[group + 1] = last
        }

        /// Candidates of a later part of the rows, added to this one's.
        func absorb(_ other: Candidates) {
            for group in limits.indices where !other.keys[group].isEmpty {
                keys[group].append(contentsOf: other.keys[group])
                rows[group].append(contentsOf: other.rows[group])
            }
        }

        /// Each group's selected rows in ascending (key, row) order.
        func finish() -> [[Int32]] {
            limits.indices.map { group in
                let order = sortedOrder(group)
                let limit = limits[group]
                guard limit > 0 else { return [] }
                guard order.count > limit else { return order.map { rows[group][$0] } }
                let last = keys[group][order[limit - 1]]
                return order.prefix { keys[group][$0] <= last }.map { rows[group][$0] }
            }
        }

        /// Positions of the group's candidates in ascending (key, row) order.
        private func sortedOrder(_ group: Int) -> [Int] {
            let groupKeys = keys[group], groupRows = rows[group]
            return groupKeys.indices.sorted { a, b in
                groupKeys[a] != groupKeys[b] ? groupKeys[a] < groupKeys[b] : groupRows[a] < groupRows[b]
            }
        }
    }
}
