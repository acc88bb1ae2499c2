/// Counts of values below a threshold: the unqualified-file count of the case review.
///
/// `countBelow` is the SIMD kernel; `countBelowScalar` is its plain reference, kept for tests
/// and for measuring what the vector form gains. Both take an array; the pointer work stays inside.
public enum ThresholdCount {
    /// The number of values strictly below `threshold` (NaN never counts).
    ///
    /// - Complexity: O(n), eight lanes at a time.
    @inlinable
    public static func countBelow(_ values: [Double], threshold: Double) -> Int {
        values.withUnsafeBufferPointer { countBelow(buffer: $0, threshold: threshold) }
    }

    /// Scalar reference of `countBelow`.
    public static func countBelowScalar(_ values: [Double], threshold: Double) -> Int {
        var total = 0
        for value in values where value < threshold { total += 1 }
        return total
    }

    @inlinable
    static func countBelow(buffer values: UnsafeBufferPointer<Double>, threshold: Double) -> Int {
        guard let base = values.baseAddress else { return 0 }
        let count = values.count
        let lanes = 8
        let limit = SIMD8<Double>(repeating: threshold)
        var accumulator = SIMD8<Int64>(repeating: 0)
        var index = 0
        let raw = UnsafeRawPointer(base)
        while index + lanes <= count {
            let chunk = raw.loadUnaligned(fromByteOffset: index &* 8, as: SIMD8<Double>.self)
            accumulator &-= unsafeBitCast(chunk .< limit, to: SIMD8<Int64>.self)
            index &+= lanes
        }
        var total = Int(accumulator.wrappedSum())
        while index < count {
            if base[index] < threshold { total &+= 1 }
            index &+= 1
        }
        return total
    }
}
