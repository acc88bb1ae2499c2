import Columnar
import Kernels

/// `count(DISTINCT x)` per group, column-at-a-time.
///
/// A text column counts its dictionary codes: when every (group, code) pair fits a bitmap of
/// at most 2^26 bits, one bit per pair, else a set of pairs. Other columns count the bit patterns
/// of their values (`-0.0` and `0.0` as one, every NaN as one) in a set of (group, value) pairs.
enum DistinctCount {
    static let bitmapLimit = 1 << 26

    static func perGroup(_ column: Column, grouping: Grouping) -> [Int] {
        let groupCount = grouping.groupCount
        // Codes the cache holds narrow are counted as they are.
        switch column.narrow?.values {
        case .codes8(let codes)?: return perGroup(codes: codes, width: column.narrow!.dictionary!.count, column: column, ids: grouping.source, groupCount: groupCount)
        case .codes16(let codes)?: return perGroup(codes: codes, width: column.narrow!.dictionary!.count, column: column, ids: grouping.source, groupCount: groupCount)
        default: break
        }
        switch column.storage {
        case .text(let codes, let dictionary):
            return perGroup(codes: codes, width: dictionary.count, column: column, ids: grouping.source, groupCount: groupCount)
        default:
            var counts = [Int](repeating: 0, count: groupCount)
            let ids = grouping.groupIds
            let keys = bits(of: column)
            var seen = Set<Pair>()
            for row in 0..<ids.count where ids[row] >= 0 && !column.isNull(row) {
                if seen.insert(Pair(group: ids[row], bits: keys[row])).inserted { counts[Int(ids[row])] += 1 }
            }
            return counts
        }
    }

    /// Distinct codes (below `width`) per group: one bit per (group, code) pair when they fit
    /// `bitmapLimit`, else a set of pairs. The group ids are read from `ids` as they are.
    static func perGroup<Code: FixedWidthInteger & UnsignedInteger>(codes: ColumnBuffer<Code>, width: Int, column: Column,
                                                                    ids: GroupIdSource, groupCount: Int) -> [Int] {
        codes.withUnsafeBufferPointer { codes in
            Bitmap.withWords(of: column.validity) { words in
                ids.read(DistinctCodes(codes: codes.baseAddress, words: words, width: width, count: ids.count, groupCount: groupCount))
            }
        }
    }

    /// `perGroup(codes:)` for one kind of ids, so that its loop is compiled for it.
    struct DistinctCodes<Code: FixedWidthInteger & UnsignedInteger>: GroupIdsReader {
        let codes: UnsafePointer<Code>?
        /// The column's validity words (nil: no nulls).
        let words: UnsafePointer<UInt64>?
        let width: Int, count: Int, groupCount: Int

        @inline(__always)
        func isNull(_ row: Int) -> Bool {
            guard let words else { return false }
            return !Bitmap.isSet(words, row)
        }

        func read<Ids: RowGroupIds>(_ ids: Ids) -> [Int] {
            var counts = [Int](repeating: 0, count: groupCount)
            guard count > 0, let codes else { return counts }
            if groupCount * max(1, width) <= bitmapLimit {
                var seen = [UInt64](repeating: 0, count: (groupCount * max(1, width) + 63) / 64)
                seen.withUnsafeMutableBufferPointer { seen in
                    counts.withUnsafeMutableBufferPointer { counts in
                        for row in 0..<count {
                            let id = ids[row]
                            if id < 0 || isNull(row) { continue }
                            let bit = Int(id) &* width &+ Int(codes[row])
                            let mask: UInt64 = 1 &<< UInt64(bit & 63)
                            if seen[bit &>> 6] & mask == 0 {
                                seen[bit &>> 6] |= mask
                                counts[Int(id)] += 1
                            }
                        }
                    }
                }
            } else {
                var seen = Set<UInt64>()
                for row in 0..<count {
                    let id = ids[row]
                    if id < 0 || isNull(row) { continue }
                    if seen.insert(UInt64(UInt32(bitPattern: id)) << 32 | UInt64(codes[row])).inserted { counts[Int(id)] += 1 }
                }
            }
            return counts
        }
    }

    struct Pair: Hashable {
        var group: Int32
        var bits: UInt64
    }

    /// Each value's identity as 64 bits: equal values, equal bits.
    static func bits(of column: Column) -> [UInt64] {
        switch column.storage {
        case .int64(let values): return values.map { UInt64(bitPattern: $0) }
        case .float64(let values):
            return values.map { $0.isNaN ? Double.nan.bitPattern : ($0 == 0 ? 0.0 : $0).bitPattern }
        case .date(let days): return days.map { UInt64(UInt32(bitPattern: $0)) }
        case .timestamp(let seconds): return seconds.map { UInt64(bitPattern: $0) }
        case .bool(let flags): return flags.map { $0 ? 1 : 0 }
        case .text(let codes, _): return codes.map { UInt64($0) }
        }
    }
}
