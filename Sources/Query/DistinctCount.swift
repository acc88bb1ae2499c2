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
        var counts = [Int](repeating: 0, count: groupCount)
        let ids = grouping.groupIds
        // Codes the cache holds narrow are counted as they are.
        switch column.narrow?.values {
        case .codes8(let codes)?: return perGroup(codes: codes, width: column.narrow!.dictionary!.count, column: column, ids: ids, groupCount: groupCount)
        case .codes16(let codes)?: return perGroup(codes: codes, width: column.narrow!.dictionary!.count, column: column, ids: ids, groupCount: groupCount)
        default: break
        }
        switch column.storage {
        case .text(let codes, let dictionary):
            return perGroup(codes: codes, width: dictionary.count, column: column, ids: ids, groupCount: groupCount)
        default:
            let keys = bits(of: column)
            var seen = Set<Pair>()
            for row in 0..<ids.count where ids[row] >= 0 && !column.isNull(row) {
                if seen.insert(Pair(group: ids[row], bits: keys[row])).inserted { counts[Int(ids[row])] += 1 }
            }
        }
        return counts
    }

    /// Distinct codes (below `width`) per group: one bit per (group, code) pair when they fit
    /// `bitmapLimit`, else a set of pairs.
    static func perGroup<Code: FixedWidthInteger & UnsignedInteger>(codes: ColumnBuffer<Code>, width: Int, column: Column,
                                                                    ids: ColumnBuffer<Int32>, groupCount: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: groupCount)
        if groupCount * max(1, width) <= bitmapLimit {
            var seen = [UInt64](repeating: 0, count: (groupCount * max(1, width) + 63) / 64)
            seen.withUnsafeMutableBufferPointer { seen in
                for row in 0..<ids.count where ids[row] >= 0 && !column.isNull(row) {
                    let bit = Int(ids[row]) * width + Int(codes[row])
                    let mask: UInt64 = 1 << UInt64(bit & 63)
                    if seen[bit >> 6] & mask == 0 {
                        seen[bit >> 6] |= mask
                        counts[Int(ids[row])] += 1
                    }
                }
            }
        } else {
            var seen = Set<UInt64>()
            for row in 0..<ids.count where ids[row] >= 0 && !column.isNull(row) {
                if seen.insert(UInt64(UInt32(bitPattern: ids[row])) << 32 | UInt64(codes[row])).inserted { counts[Int(ids[row])] += 1 }
            }
        }
        return counts
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
