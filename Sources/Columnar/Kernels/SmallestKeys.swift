/// Per-group selection of the smallest keys: the draw's "first k of each stratum" (DOMAIN.md §2.3)
/// without sorting the whole population.
///
/// The answer holds, for each group, every row whose key is among the group's `limit` smallest,
/// ties at the last place included, in ascending (key, row) order. A caller whose keys are a
/// prefix of a longer sort key (the draw's 64-bit ticket prefix) orders the few tied rows by the
/// full key and cuts to `limit`: the rows a full sort would put first are always among them.
///
/// `selectScalar` goes row by row: each group keeps the candidates whose key is at most its
/// running threshold (the key in its `limit`-th place, lowered each time the group has held
/// `2 × limit` candidates). `select` first streams the keys alone against one cutoff taken from
/// a sample (about four times the rows all groups need lie below it), eight at a time (SIMD8,
/// 32-bit high halves, in parts on all cores); a group with at least `limit` rows below the cutoff
/// has its answer among them, exactly. Only the groups left short (small groups, skewed keys)
/// are done again the scalar way, in a second pass that looks at their rows alone.
public enum SmallestKeys {
    /// The fewest rows worth a part of their own; parts are one per core. The answer does not
    /// depend on the parts.
    static let minimumPartRows = 1 << 16

    /// The selected rows of each group `0..<limits.count`; rows whose group is negative take no part.
    ///
    /// - Precondition: `groups.count == keys.count`, each group below `limits.count`.
    public static func select(keys: UnsafeBufferPointer<UInt64>, groups: UnsafeBufferPointer<Int32>, limits: [Int],
                              width: Int = ConcurrentTasks.processorCount) -> [[Int32]] {
        precondition(keys.count == groups.count, "one group per key")
        let count = keys.count
        let partCount = max(1, min(width, count / minimumPartRows))
        let ranges = (0..<partCount).map { (count * $0 / partCount)..<(count * ($0 + 1) / partCount) }
        guard let cutoff = cutoff(keys, needed: limits.reduce(0, +)) else {
            return rescan(keys: keys, groups: groups, limits: limits, wanted: [Bool](repeating: true, count: limits.count),
                          ranges: ranges, width: width)
        }
        // Pass 1: the rows whose key's high half is below the cutoff's.
        let found = (0..<partCount).map { _ in BelowCutoff() }
        ConcurrentTasks(partCount, width: width).run { part in
            found[part].collect(keys: keys, groups: groups, rows: ranges[part], cutoffHigh: cutoff)
        }
        // The found rows by group (a counting sort into one buffer), each group's stretch then
        // sorted in place.
        var starts = [Int](repeating: 0, count: limits.count + 1)
        for part in found {
            for group in part.groups where group >= 0 { starts[Int(group) + 1] += 1 }
        }
        for group in limits.indices { starts[group + 1] += starts[group] }
        var cursors = starts
        var byGroup = [Entry](repeating: Entry(key: 0, row: 0), count: starts[limits.count])
        for part in found {
            for (entry, group) in zip(part.entries, part.groups) where group >= 0 {
                byGroup[cursors[Int(group)]] = entry
                cursors[Int(group)] += 1
            }
        }
        let short = limits.indices.map { starts[$0 + 1] - starts[$0] < limits[$0] }
        var result = byGroup.withUnsafeMutableBufferPointer { all in
            limits.indices.map { group in
                short[group] ? [] : firstPlaces(UnsafeMutableBufferPointer(rebasing: all[starts[group]..<starts[group + 1]]), limit: limits[group])
            }
        }
        // Pass 2: the groups with too few rows below the cutoff, over all their rows.
        if short.contains(true) {
            let redone = rescan(keys: keys, groups: groups, limits: limits, wanted: short, ranges: ranges, width: width)
            for group in limits.indices where short[group] { result[group] = redone[group] }
        }
        return result
    }

    /// The high 32 bits of a cutoff below which about four times `needed` keys lie, judged from
    /// 8,192 evenly spaced keys; nil when that would be a quarter of the keys or more (then
    /// the row-by-row pass is as quick) or the cutoff would be 0.
    static func cutoff(_ keys: UnsafeBufferPointer<UInt64>, needed: Int) -> UInt32? {
        let count = keys.count
        guard count >= minimumPartRows, needed > 0, 4 * needed < count / 4 else { return nil }
        let step = max(1, count / 8192)
        let sample = stride(from: 0, to: count, by: step).map { keys[$0] }.sorted()
        let position = min(sample.count - 1, 4 * needed * sample.count / count)
        let high = UInt32(truncatingIfNeeded: sample[position] >> 32)
        return high > 0 ? high : nil
    }

    /// The row-by-row pass over the groups marked `wanted`, one part per core.
    static func rescan(keys: UnsafeBufferPointer<UInt64>, groups: UnsafeBufferPointer<Int32>, limits: [Int], wanted: [Bool],
                       ranges: [Range<Int>], width: Int) -> [[Int32]] {
        let parts = ranges.map { _ in Candidates(limits: limits) }
        wanted.withUnsafeBufferPointer { wanted in
            ConcurrentTasks(ranges.count, width: width).run { part in
                let candidates = parts[part]
                for row in ranges[part] {
                    let group = Int(groups[row])
                    if group >= 0, wanted[group] { candidates.offer(key: keys[row], row: Int32(truncatingIfNeeded: row), group: group) }
                }
            }
        }
        let merged = parts[0]
        for part in parts.dropFirst() { merged.absorb(part) }
        return merged.finish()
    }

    /// The rows whose key lies below a cutoff, with their groups.
    final class BelowCutoff: @unchecked Sendable {
        var entries: [Entry] = []
        var groups: [Int32] = []

        /// Eight keys at a time: their high halves against the cutoff's, one vector comparison.
        /// The groups of the rows that pass are read afterwards in a loop of their own, whose
        /// loads do not wait on one another (fetched one by one inside the scan, each would
        /// stall it on memory).
        func collect(keys: UnsafeBufferPointer<UInt64>, groups groupBuffer: UnsafeBufferPointer<Int32>, rows range: Range<Int>,
                     cutoffHigh: UInt32) {
            guard let keyBase = keys.baseAddress, let groupBase = groupBuffer.baseAddress else { return }
            let raw = UnsafeRawPointer(keyBase)
            let limit = SIMD8<UInt32>(repeating: cutoffHigh)
            var index = range.lowerBound
            let end = range.upperBound
            while index + 8 <= end {
                let key = raw.loadUnaligned(fromByteOffset: index &* 8, as: SIMD8<UInt64>.self)
                let below = SIMD8<UInt32>(truncatingIfNeeded: key &>> 32) .< limit
                if any(below) {
                    for lane in 0..<8 where below[lane] { entries.append(Entry(key: key[lane], row: Int32(truncatingIfNeeded: index &+ lane))) }
                }
                index &+= 8
            }
            while index < end {
                if UInt32(truncatingIfNeeded: keyBase[index] >> 32) < cutoffHigh {
                    entries.append(Entry(key: keyBase[index], row: Int32(truncatingIfNeeded: index)))
                }
                index &+= 1
            }
            groups = entries.map { groupBase[Int($0.row)] }
        }
    }

    /// A group's rows in its first `limit` places by (key, row), ties at the last place included;
    /// `entries` is sorted in place.
    static func firstPlaces(_ entries: UnsafeMutableBufferPointer<Entry>, limit: Int) -> [Int32] {
        guard limit > 0 else { return [] }
        var entries = entries
        entries.sort(by: Entry.precedes)
        guard entries.count > limit else { return entries.map(\.row) }
        let last = entries[limit - 1].key
        return entries.prefix { $0.key <= last }.map(\.row)
    }

    /// Scalar reference of `select`: the row-by-row pass over every group, one part, one thread.
    public static func selectScalar(keys: UnsafeBufferPointer<UInt64>, groups: UnsafeBufferPointer<Int32>, limits: [Int]) -> [[Int32]] {
        precondition(keys.count == groups.count, "one group per key")
        return rescan(keys: keys, groups: groups, limits: limits, wanted: [Bool](repeating: true, count: limits.count),
                      ranges: [0..<keys.count], width: 1)
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
        /// Each group's threshold: a row is a candidate when its key is at most this.
        let thresholds: UnsafeMutablePointer<UInt64>
        var entries: [[Entry]]
        /// The candidate count at which a group is next cut down.
        var cutAt: [Int]

        init(limits: [Int]) {
            self.limits = limits
            thresholds = .allocate(capacity: max(1, limits.count))
            thresholds.initialize(repeating: .max, count: limits.count)
            entries = [[Entry]](repeating: [], count: limits.count)
            cutAt = limits.map { max(16, 2 * $0) }
        }

        deinit {
            thresholds.deallocate()
        }

        /// Takes the row when its key is at most the group's threshold.
        @inline(__always)
        func offer(key: UInt64, row: Int32, group: Int) {
            guard key <= thresholds[group] else { return }
            entries[group].append(Entry(key: key, row: row))
            if entries[group].count >= cutAt[group] { compact(group) }
        }

        /// Keeps the group's `limit` smallest (ties at the last place included), lowers its
        /// threshold to the key in the last place; sorted in place, nothing allocated.
        func compact(_ group: Int) {
            let limit = limits[group]
            entries[group].withUnsafeMutableBufferPointer { Self.insertionSort($0) }
            let count = entries[group].count
            guard limit > 0 else {
                entries[group].removeAll(keepingCapacity: true)
                thresholds[group] = 0
                return
            }
            guard count >= limit else { return }
            let last = entries[group][limit - 1].key
            var kept = limit
            while kept < count, entries[group][kept].key <= last { kept += 1 }
            entries[group].removeLast(count - kept)
            thresholds[group] = last
            // Many rows tied at the last place: cut less often rather than at every row.
            cutAt[group] = max(cutAt[group], 2 * kept)
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
                entries[group].withUnsafeMutableBufferPointer { SmallestKeys.firstPlaces($0, limit: limits[group]) }
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
