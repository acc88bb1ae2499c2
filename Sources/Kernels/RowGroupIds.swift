/// Where a kernel reads each row's group id (-1: the row is left out), so that the loops of the
/// grouped kernels are compiled once per source: ids stored one per row, or worked out from the
/// rows' codes as they are read, with no array of ids written first.
public protocol RowGroupIds {
    subscript(row: Int) -> Int32 { get }
}

/// Ids stored one per row.
public struct StoredGroupIds: RowGroupIds {
    @usableFromInline let base: UnsafePointer<Int32>?

    public init(base: UnsafePointer<Int32>?) { self.base = base }

    @inlinable @inline(__always)
    public subscript(row: Int) -> Int32 { base.unsafelyUnwrapped[row] }
}

/// The ids of rows grouped by two columns of codes: the id of the pair (first, second) sits in
/// `slots[first × width + second]`, a table of every pair with one slot each.
public struct PairGroupIds: RowGroupIds {
    @usableFromInline let first: UnsafePointer<UInt32>
    @usableFromInline let second: UnsafePointer<UInt32>
    @usableFromInline let slots: UnsafePointer<Int32>
    @usableFromInline let width: Int

    public init(first: UnsafePointer<UInt32>, second: UnsafePointer<UInt32>, slots: UnsafePointer<Int32>, width: Int) {
        (self.first, self.second, self.slots, self.width) = (first, second, slots, width)
    }

    @inlinable @inline(__always)
    public subscript(row: Int) -> Int32 { slots[Int(first[row]) &* width &+ Int(second[row])] }
}

/// Where a kernel reads each row's value, so that its loops are compiled once per source:
/// doubles stored one per row, or 16-bit hundredths read as the doubles they stand for.
public protocol RowValues {
    subscript(row: Int) -> Double { get }
    /// The row's value as a whole number of hundredths when it is one (`Hundredths.of`).
    func hundredths(_ row: Int) -> Int16?
}

/// Doubles stored one per row.
public struct StoredValues: RowValues {
    @usableFromInline let base: UnsafePointer<Double>?

    public init(base: UnsafePointer<Double>?) { self.base = base }

    @inlinable @inline(__always)
    public subscript(row: Int) -> Double { base.unsafelyUnwrapped[row] }

    @inlinable @inline(__always)
    public func hundredths(_ row: Int) -> Int16? { Hundredths.of(base.unsafelyUnwrapped[row]) }
}

/// Scores held as 16-bit hundredths (`Hundredths`), each read as the double it stands for.
public struct HundredthValues: RowValues {
    @usableFromInline let base: UnsafePointer<Int16>?

    public init(base: UnsafePointer<Int16>?) { self.base = base }

    @inlinable @inline(__always)
    public subscript(row: Int) -> Double { Hundredths.number(base.unsafelyUnwrapped[row]) }

    @inlinable @inline(__always)
    public func hundredths(_ row: Int) -> Int16? { base.unsafelyUnwrapped[row] }
}
