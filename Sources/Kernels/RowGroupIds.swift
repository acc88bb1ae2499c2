/// Where a kernel reads each row's group id (-1: the row is left out), so that the loops of the
/// grouped kernels are compiled once per source: ids stored one per row, or worked out from the
/// rows' codes as they are read, with no array of ids written first.
public protocol RowGroupIds {
    subscript(row: Int) -> Int32 { get }
}

/// Ids stored one per row.
public struct StoredGroupIds: RowGroupIds {
    @usableFromInline let base: UnsafePointer<Int32>?

    @inlinable
    public init(base: UnsafePointer<Int32>?) { self.base = base }

    @inlinable @inline(__always)
    public subscript(row: Int) -> Int32 { base.unsafelyUnwrapped[row] }
}

/// The ids of rows grouped by two columns of codes (32-bit, or as the column cache holds them,
/// 8- or 16-bit): the id of the pair (first, second) sits in `slots[first × width + second]`, a
/// table of every pair with one slot each.
public struct PairGroupIds<First: FixedWidthInteger & UnsignedInteger, Second: FixedWidthInteger & UnsignedInteger>: RowGroupIds {
    @usableFromInline let first: UnsafePointer<First>
    @usableFromInline let second: UnsafePointer<Second>
    @usableFromInline let slots: UnsafePointer<Int32>
    @usableFromInline let width: Int

    @inlinable
    public init(first: UnsafePointer<First>, second: UnsafePointer<Second>, slots: UnsafePointer<Int32>, width: Int) {
        (self.first, self.second, self.slots, self.width) = (first, second, slots, width)
    }

    @inlinable @inline(__always)
    public subscript(row: Int) -> Int32 { slots[Int(first[row]) &* width &+ Int(second[row])] }
}

/// The ids of rows grouped by one column of 8- or 16-bit codes: the id of a code sits in
/// `slots[code]`, and a row without a value (clear in `words`, when given) has the id in
/// `slots[nullSlot]`, found without a branch (a tenth of the rows may be null, in no pattern).
public struct CodeGroupIds<Code: FixedWidthInteger & UnsignedInteger>: RowGroupIds {
    @usableFromInline let codes: UnsafePointer<Code>
    @usableFromInline let slots: UnsafePointer<Int32>
    @usableFromInline let words: UnsafePointer<UInt64>?
    @usableFromInline let nullSlot: Int

    @inlinable
    public init(codes: UnsafePointer<Code>, slots: UnsafePointer<Int32>, words: UnsafePointer<UInt64>?, nullSlot: Int) {
        (self.codes, self.slots, self.words, self.nullSlot) = (codes, slots, words, nullSlot)
    }

    @inlinable @inline(__always)
    public subscript(row: Int) -> Int32 {
        guard let words else { return slots[Int(codes[row])] }
        let valid = Int(truncatingIfNeeded: words[row &>> 6] &>> UInt64(row & 63)) & 1
        return slots[valid &* Int(codes[row]) | (valid ^ 1) &* nullSlot]
    }
}

/// What a kernel does with a grouping's ids, compiled once for each kind of `RowGroupIds` that
/// `GroupIdSource.read` hands it.
public protocol GroupIdsReader {
    associatedtype Result
    func read<Ids: RowGroupIds>(_ ids: Ids) -> Result
}

/// Two text columns' codes as a grouping by pairs reads them: both 32-bit, or both narrow.
public enum PairCodeBuffers: @unchecked Sendable {
    case wide(ColumnBuffer<UInt32>, ColumnBuffer<UInt32>)
    case bytes(ColumnBuffer<UInt8>, ColumnBuffer<UInt8>)
    case byteShort(ColumnBuffer<UInt8>, ColumnBuffer<UInt16>)
    case shortByte(ColumnBuffer<UInt16>, ColumnBuffer<UInt8>)
    case shorts(ColumnBuffer<UInt16>, ColumnBuffer<UInt16>)

    public var count: Int {
        switch self {
        case .wide(let first, _): return first.count
        case .bytes(let first, _): return first.count
        case .byteShort(let first, _): return first.count
        case .shortByte(let first, _): return first.count
        case .shorts(let first, _): return first.count
        }
    }
}

/// Where each row's group id comes from: stored one per row, or worked out as a kernel reads
/// the row from the codes of one narrow column or of two columns, with no array of ids written.
public enum GroupIdSource: @unchecked Sendable {
    case stored(ColumnBuffer<Int32>)
    /// One column's 8-bit codes (`CodeGroupIds`): the id of code c in `slots[c]`, and of the
    /// rows clear in `validity` in the last slot.
    case bytes(ColumnBuffer<UInt8>, slots: [Int32], validity: Bitmap?)
    /// One column's 16-bit codes.
    case shorts(ColumnBuffer<UInt16>, slots: [Int32], validity: Bitmap?)
    /// Two columns' codes (`PairGroupIds`), without nulls.
    case pairs(PairCodeBuffers, slots: [Int32], width: Int)

    /// The rows.
    public var count: Int {
        switch self {
        case .stored(let ids): return ids.count
        case .bytes(let codes, _, _): return codes.count
        case .shorts(let codes, _, _): return codes.count
        case .pairs(let codes, _, _): return codes.count
        }
    }

    /// `reader.read(ids)` with the ids of this source as the concrete kind that reads them.
    @inlinable
    public func read<Reader: GroupIdsReader>(_ reader: Reader) -> Reader.Result {
        switch self {
        case .stored(let ids):
            return ids.withUnsafeBufferPointer { reader.read(StoredGroupIds(base: $0.baseAddress)) }
        case .bytes(let codes, let slots, let validity):
            return Self.readCodes(codes, slots: slots, validity: validity, reader)
        case .shorts(let codes, let slots, let validity):
            return Self.readCodes(codes, slots: slots, validity: validity, reader)
        case .pairs(let codes, let slots, let width):
            switch codes {
            case .wide(let first, let second): return Self.readPairs(first, second, slots: slots, width: width, reader)
            case .bytes(let first, let second): return Self.readPairs(first, second, slots: slots, width: width, reader)
            case .byteShort(let first, let second): return Self.readPairs(first, second, slots: slots, width: width, reader)
            case .shortByte(let first, let second): return Self.readPairs(first, second, slots: slots, width: width, reader)
            case .shorts(let first, let second): return Self.readPairs(first, second, slots: slots, width: width, reader)
            }
        }
    }

    @inlinable
    static func readCodes<Code: FixedWidthInteger & UnsignedInteger, Reader: GroupIdsReader>(
        _ codes: ColumnBuffer<Code>, slots: [Int32], validity: Bitmap?, _ reader: Reader) -> Reader.Result {
        codes.withUnsafeBufferPointer { codes in
            slots.withUnsafeBufferPointer { slots in
                Bitmap.withWords(of: validity) { words in
                    // An empty column has no codes to point at; its kernels read no row.
                    guard let base = codes.baseAddress else { return reader.read(StoredGroupIds(base: nil)) }
                    return reader.read(CodeGroupIds(codes: base, slots: slots.baseAddress!, words: words, nullSlot: slots.count - 1))
                }
            }
        }
    }

    @inlinable
    static func readPairs<First: FixedWidthInteger & UnsignedInteger, Second: FixedWidthInteger & UnsignedInteger, Reader: GroupIdsReader>(
        _ first: ColumnBuffer<First>, _ second: ColumnBuffer<Second>, slots: [Int32], width: Int, _ reader: Reader) -> Reader.Result {
        first.withUnsafeBufferPointer { first in
            second.withUnsafeBufferPointer { second in
                slots.withUnsafeBufferPointer { slots in
                    guard let a = first.baseAddress, let b = second.baseAddress else { return reader.read(StoredGroupIds(base: nil)) }
                    return reader.read(PairGroupIds(first: a, second: b, slots: slots.baseAddress!, width: width))
                }
            }
        }
    }
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
