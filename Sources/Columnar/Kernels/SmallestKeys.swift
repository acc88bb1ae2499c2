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
    /// The fewest rows worth a part of their own. Parts are few and large (one per core): each
    /// part's thresholds tighten only as its groups fill, so many small parts would each keep
    /// most of their rows. The answer does not depend on the parts.
    static let minimumPartRows = 1 << 16

    /// The selected rows of each group `0..<limits.count`; rows whose group is negative take no part.
    ///
    /// - Precondition: `groups.count == keys.count`, each group below `limits.count`.
    public static func select(keys: UnsafeBufferPointer<UInt64>, groups: UnsafeBufferPointer<Int32>, limits: [Int],
                              width: Int = ConcurrentTasks.processorCount) -> [[Int32]] {
        precondition(keys.count == groups.count, "one group per key")
        let count = keys.count
        let partCount = max(1, min(width, count / minimumPartRows))
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

    /// A candidate: its key and row.
    struct Entry {
        var key: UInt64
        var row: Int32

        @inline(__always)
        static func precedes(_ a: Entry, _ b: Entry) -> Bool {
            a.key != b.key ? a.key < b.key : a.row < b.row
        }
    }

    /// One part's candidates, per group.
    final class Candidates: @unchecked Sendable {
        let limits: [Int]
        /// Index 0 stands for the negative groups (threshold 0, checked again before taking a row);
        /// group g's threshold is at g + 1.
        let thresholds: UnsafeMutablePointer<UInt64>
        /// The high 32 bits of each threshold, laid out the same way, for the eight-row test.
        let thresholdHighs: UnsafeMutablePointer<UInt32>
        var entries: [[Entry]]
        /// The candidate count at which a group is next cut down.
        var cutAt: [Int]

        init(limits: [Int]) {
            self.limits = limits
            thresholds = .allocate(capacity: limits.count + 1)
            thresholds.initialize(to: 0)
            (thresholds + 1).initialize(repeating: .max, count: limits.count)
            thresholdHighs = .allocate(capacity: limits.count + 1)
            thresholdHighs.initialize(to: 0)
            (thresholdHighs + 1).initialize(repeating: .max, count: limits.count)
            entries = [[Entry]](repeating: [], count: limits.count)
            cutAt = limits.map { max(16, 2 * $0) }
        }

        deinit {
            thresholds.deallocate()
            thresholdHighs.deallocate()
        }

        /// Takes the row when its key is at most the group's threshold.
        @inline(__always)
        func offer(key: UInt64, row: Int32, group: Int) {
            guard key <= thresholds[group + 1] else { return }
            entries[group].append(Entry(key: key, row: row))
            if entries[group].count >= cutAt[group] { compact(group) }
        }

        /// Eight rows at a time: the keys' high halves against the eight groups' thresholds' in
        /// one vector comparison (32-bit lanes), and only the rows that may pass are looked at
        /// one by one (`offer` compares the whole key).
        func scan(keys keyBuffer: UnsafeBufferPointer<UInt64>, groups groupBuffer: UnsafeBufferPointer<Int32>, rows range: Range<Int>) {
            guard let keyBase = keyBuffer.baseAddress, let groupBase = groupBuffer.baseAddress else { return }
            let rawKeys = UnsafeRawPointer(keyBase), rawGroups = UnsafeRawPointer(groupBase)
            let highs = thresholdHighs
            var index = range.lowerBound
            let end = range.upperBound
            let none = SIMD8<Int32>(repeating: -1)
            while index + 8 <= end {
                let key = rawKeys.loadUnaligned(fromByteOffset: index &* 8, as: SIMD8<UInt64>.self)
                let keyHigh = SIMD8<UInt32>(truncatingIfNeeded: key &>> 32)
                let group = pointwiseMax(rawGroups.loadUnaligned(fromByteOffset: index &* 4, as: SIMD8<Int32>.self), none) &+ 1
                let thresholdHigh = SIMD8<UInt32>(highs[Int(group[0])], highs[Int(group[1])], highs[Int(group[2])], highs[Int(group[3])],
                                                  highs[Int(group[4])], highs[Int(group[5])], highs[Int(group[6])], highs[Int(group[7])])
                let mayPass = keyHigh .<= thresholdHigh
                if any(mayPass) {
                    for lane in 0..<8 where mayPass[lane] && group[lane] > 0 {
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

        /// Keeps the group's `limit` smallest (ties at the last place included), lowers its
        /// threshold to the key in the last place; sorted in place, nothing allocated.
        func compact(_ group: Int) {
            let limit = limits[group]
            entries[group].withUnsafeMutableBufferPointer { Self.insertionSort($0) }
            let count = entries[group].count
            guard limit > 0 else {
                entries[group].removeAll(keepingCapacity: true)
                setThreshold(group, 0)
                return
            }
            guard count >= limit else { return }
            let last = entries[group][limit - 1].key
            var kept = limit
            while kept < count, entries[group][kept].key <= last { kept += 1 }
            entries[group].removeLast(count - kept)
            setThreshold(group, last)
            // Many rows tied at the last place: cut less often rather than at every row.
            cutAt[group] = max(cutAt[group], 2 * kept)
        }

        private func setThreshold(_ group: Int, _ key: UInt64) {
            thresholds[group + 1] = key
            thresholdHighs[group + 1] = UInt32(truncatingIfNeeded: key >> 32)
        }

        /// Candidates of a later part of the rows, added to this one's.
        func absorb(_ other: Candidates) {
            for group in limits.indices where !other.entries[group].isEmpty {
                entries[group].append(contentsOf: other.entries[group])
            }
        }

        /// Each group's selected rows in ascending (key, row) order.
        func finish() -> [[Int32]] {
            limits.indices.map { group in
                let sorted = entries[group].sorted(by: Entry.precedes)
                let limit = limits[group]
                guard limit > 0 else { return [] }
                guard sorted.count > limit else { return sorted.map(\.row) }
                let last = sorted[limit - 1].key
                return sorted.prefix { $0.key <= last }.map(\.row)
            }
        }

        /// Sorts a few entries by (key, row).
        static func insertionSort(_ buffer: UnsafeMutableBufferPointer<Entry>) {
            guard buffer.count > 1 else { return }
            for index in 1..<buffer.count {
                let entry = buffer[index]
                var position = index
                while position > 0, Entry.precedes(entry, buffer[position - 1]) {
                    buffer[position] = buffer[position - 1]
                    position -= 1
                }
                buffer[position] = entry
            }
        }
    }
}
