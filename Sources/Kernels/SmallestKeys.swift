import CMemoryHints

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
    public static func select(keys: [UInt64], groups: [Int32], limits: [Int], width: Int = ConcurrentTasks.processorCount) -> [[Int32]] {
        precondition(keys.count == groups.count, "one group per key")
        let selected = keys.withUnsafeBufferPointer { keyBuffer in
            groups.withUnsafeBufferPointer { select(keys: keyBuffer, groups: $0, limits: limits, width: width) }
        }
        if checksInvariants { checkSelection(selected, keys: keys, groups: groups, limits: limits) }
        return selected
    }

    static func select(keys: UnsafeBufferPointer<UInt64>, groups: UnsafeBufferPointer<Int32>, limits: [Int], width: Int) -> [[Int32]] {
        precondition(keys.count == groups.count, "one group per key")
        let count = keys.count
        let partCount = max(1, min(width, count / minimumPartRows))
        let ranges = ConcurrentTasks.evenRanges(of: count, pieces: partCount)
        guard let cutoff = cutoff(keys, needed: limits.reduce(0, +)) else {
            return rescan(keys: keys, groups: groups, limits: limits, wanted: [Bool](repeating: true, count: limits.count),
                          ranges: ranges, width: width)
        }
        // Pass 1: the rows whose key's high half is below the cutoff's.
        let reserve = cutoff.expected + cutoff.expected / 4 + 64
        let found = ranges.map { BelowCutoff(capacity: reserve * $0.count / max(1, count) + 64) }
        defer { found.forEach { $0.release() } }
        let groupCount = limits.count
        // The found rows by group: a counting sort into one buffer, each part counting its own
        // rows and then writing its own stretch of every group's slice, on every core.
        // counts[part * groupCount + group], then each (part, group) stretch's start.
        let places = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, partCount * groupCount))
        defer { places.deallocate() }
        places.initialize(repeating: 0)
        ConcurrentTasks(partCount, width: width).run { part in
            found[part].collect(keys: keys, groups: groups, rows: ranges[part], cutoffHigh: cutoff.high,
                                counts: places.baseAddress! + part * groupCount)
        }
        let starts = PartedCountingSort.placeStretches(places, parts: partCount, groups: groupCount)
        let byGroup = UnsafeMutableBufferPointer<Entry>.allocate(capacity: max(1, starts[groupCount]))
        defer { byGroup.deallocate() }
        ConcurrentTasks(partCount, width: width).run { part in
            let cursors = places.baseAddress! + part * groupCount
            let (entries, partGroups) = (found[part].entries, found[part].groups)
            for index in 0..<found[part].count where partGroups[index] >= 0 {
                let group = Int(partGroups[index])
                (byGroup.baseAddress! + cursors[group]).initialize(to: entries[index])
                cursors[group] += 1
            }
        }
        // Each group's first places from its stretch, groups in stripes on every core; a group
        // with fewer rows below the cutoff than its limit is marked short.
        var short = [Bool](repeating: false, count: groupCount)
        var result = [[Int32]](repeating: [], count: groupCount)
        short.withUnsafeMutableBufferPointer { short in
            result.withUnsafeMutableBufferPointer { result in
                ConcurrentTasks.runInStripes(groupCount, width: width) { stripe in
                    for group in stripe {
                        if starts[group + 1] - starts[group] < limits[group] {
                            short[group] = true
                        } else {
                            result[group] = firstPlaces(UnsafeMutableBufferPointer(rebasing: byGroup[starts[group]..<starts[group + 1]]),
                                                        limit: limits[group])
                        }
                    }
                }
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
    /// 8,192 evenly spaced keys, and the keys expected below it; nil when that would be a quarter
    /// of the keys or more (then the row-by-row pass is as quick) or the cutoff would be 0.
    static func cutoff(_ keys: UnsafeBufferPointer<UInt64>, needed: Int) -> (high: UInt32, expected: Int)? {
        let count = keys.count
        guard count >= minimumPartRows, needed > 0, 4 * needed < count / 4 else { return nil }
        let step = max(1, count / 8192)
        var sample = stride(from: 0, to: count, by: step).map { keys[$0] }
        let position = min(sample.count - 1, 4 * needed * sample.count / count)
        let high = UInt32(truncatingIfNeeded: sample.withUnsafeMutableBufferPointer { nthSmallest($0, position) } >> 32)
        // The sampled keys whose high half is below the cutoff's, scaled to all keys.
        let below = sample.reduce(0) { $0 + (UInt32(truncatingIfNeeded: $1 >> 32) < high ? 1 : 0) }
        return high > 0 ? (high, below * count / sample.count) : nil
    }

    /// The key that would stand at `position` if `keys` were sorted (Hoare's selection, the
    /// middle of three as pivot); `keys` is reordered so that every key before `position` is at
    /// most it and every key after it at least it. Expected time O(n).
    static func nthSmallest<Key: Comparable>(_ keys: UnsafeMutableBufferPointer<Key>, _ position: Int) -> Key {
        var low = 0, high = keys.count - 1
        while high > low {
            let middle = low + (high - low) / 2
            let pivot = max(min(keys[low], keys[middle]), min(max(keys[low], keys[middle]), keys[high]))
            var left = low, right = high
            while left <= right {
                while keys[left] < pivot { left += 1 }
                while keys[right] > pivot { right -= 1 }
                if left <= right {
                    keys.swapAt(left, right)
                    left += 1
                    right -= 1
                }
            }
            if position <= right {
                high = right
            } else if position >= left {
                low = left
            } else {
                return keys[position]
            }
        }
        return keys[position]
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

    /// The rows whose key lies below a cutoff, with their groups: `count` of each, in buffers
    /// that grow by doubling from the capacity the sample predicts.
    final class BelowCutoff: @unchecked Sendable {
        private(set) var entries: UnsafeMutablePointer<Entry>
        private(set) var groups: UnsafeMutablePointer<Int32>
        private(set) var count = 0
        private var capacity: Int

        init(capacity: Int) {
            self.capacity = max(1, capacity)
            entries = .allocate(capacity: self.capacity)
            groups = .allocate(capacity: self.capacity)
        }

        /// Gives the buffers back (the owner's `defer`).
        func release() {
            entries.deallocate()
            groups.deallocate()
        }

        @inline(__always)
        private func append(_ entry: Entry) {
            if count == capacity {
                let larger = UnsafeMutablePointer<Entry>.allocate(capacity: 2 * capacity)
                larger.moveInitialize(from: entries, count: count)
                entries.deallocate()
                entries = larger
                let largerGroups = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * capacity)
                largerGroups.moveInitialize(from: groups, count: count)
                groups.deallocate()
                groups = largerGroups
                capacity *= 2
            }
            (entries + count).initialize(to: entry)
            count &+= 1
        }

        /// Eight keys at a time: their high halves against the cutoff's, one vector comparison.
        /// The rows are taken in blocks of 65,536: a passing row's group id is only asked for
        /// during the scan (a prefetch), and read, and counted in `counts`, in a loop of its own
        /// after the block, whose loads then find it in cache and do not wait on one another.
        /// (Read one by one inside the scan, each would stall it on memory; read beside the
        /// keys, all of them, the 10M-row kernel took 8.9 ms instead of 7.6; read after the whole
        /// scan without a prefetch, 7.6 ms; now 6.4–7.1 ms.)
        func collect(keys: UnsafeBufferPointer<UInt64>, groups groupBuffer: UnsafeBufferPointer<Int32>, rows range: Range<Int>,
                     cutoffHigh: UInt32, counts: UnsafeMutablePointer<Int>) {
            guard let keyBase = keys.baseAddress, let groupBase = groupBuffer.baseAddress else { return }
            let raw = UnsafeRawPointer(keyBase)
            let limit = SIMD8<UInt32>(repeating: cutoffHigh)
            let blockRows = 1 << 16
            var blockStart = range.lowerBound
            while blockStart < range.upperBound {
                let end = min(range.upperBound, blockStart + blockRows)
                let first = count
                var index = blockStart
                while index + 8 <= end {
                    let key = raw.loadUnaligned(fromByteOffset: index &* 8, as: SIMD8<UInt64>.self)
                    let below = SIMD8<UInt32>(truncatingIfNeeded: key &>> 32) .< limit
                    if any(below) {
                        pingcha_prefetch(groupBase + index)
                        for lane in 0..<8 where below[lane] { append(Entry(key: key[lane], row: Int32(truncatingIfNeeded: index &+ lane))) }
                    }
                    index &+= 8
                }
                while index < end {
                    if UInt32(truncatingIfNeeded: keyBase[index] >> 32) < cutoffHigh {
                        append(Entry(key: keyBase[index], row: Int32(truncatingIfNeeded: index)))
                    }
                    index &+= 1
                }
                for index in first..<count {
                    let group = groupBase[Int(entries[index].row)]
                    groups[index] = group
                    if group >= 0 { counts[Int(group)] &+= 1 }
                }
                blockStart = end
            }
        }
    }

    /// A group's rows in its first `limit` places by (key, row), ties at the last place included;
    /// `entries` is reordered in place.
    ///
    /// The first `limit` entries are sorted, then each later entry that precedes the one in the
    /// last place is inserted among them (the one it displaces takes its slot): the front then
    /// holds the first places in order, and every later entry follows them. Later entries with
    /// the last place's key are the ties, added in row order.
    static func firstPlaces(_ entries: UnsafeMutableBufferPointer<Entry>, limit: Int) -> [Int32] {
        guard limit > 0 else { return [] }
        let count = entries.count
        guard count > limit else {
            Candidates.insertionSort(entries)
            return entries.map(\.row)
        }
        Candidates.insertionSort(UnsafeMutableBufferPointer(rebasing: entries[0..<limit]))
        for index in limit..<count {
            let entry = entries[index]
            guard Entry.precedes(entry, entries[limit - 1]) else { continue }
            entries[index] = entries[limit - 1]
            var position = limit - 1
            while position > 0, Entry.precedes(entry, entries[position - 1]) {
                entries[position] = entries[position - 1]
                position -= 1
            }
            entries[position] = entry
        }
        let last = entries[limit - 1].key
        var rows = entries[0..<limit].map(\.row)
        var tied: [Int32] = []
        for index in limit..<count where entries[index].key == last { tied.append(entries[index].row) }
        if !tied.isEmpty { rows += tied.sorted() }
        return rows
    }

    /// Scalar reference of `select`: the row-by-row pass over every group, one part, one thread.
    public static func selectScalar(keys: [UInt64], groups: [Int32], limits: [Int]) -> [[Int32]] {
        precondition(keys.count == groups.count, "one group per key")
        return keys.withUnsafeBufferPointer { keyBuffer in
            groups.withUnsafeBufferPointer { selectScalar(keys: keyBuffer, groups: $0, limits: limits) }
        }
    }

    static func selectScalar(keys: UnsafeBufferPointer<UInt64>, groups: UnsafeBufferPointer<Int32>, limits: [Int]) -> [[Int32]] {
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

extension SmallestKeys {
    /// Debug builds: each group's answer is in ascending (key, row) order, of its own group, and
    /// holds its `limit` smallest (ties at the last place included) and nothing after them.
    static func checkSelection(_ selected: [[Int32]], keys: [UInt64], groups: [Int32], limits: [Int]) {
        precondition(selected.count == limits.count, "one answer per group")
        for (group, rows) in selected.enumerated() {
            for (index, row) in rows.enumerated() {
                precondition(Int(groups[Int(row)]) == group, "a selected row of another group")
                if index > 0 {
                    let previous = Int(rows[index - 1])
                    precondition((keys[previous], previous) < (keys[Int(row)], Int(row)), "answers in (key, row) order")
                }
            }
            if rows.count > limits[group], let last = rows.last {
                precondition(limits[group] > 0 && keys[Int(last)] == keys[Int(rows[limits[group] - 1])], "only ties past the limit")
            }
        }
    }
}
