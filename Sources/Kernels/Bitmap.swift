/// A packed bit per row; in a column's validity a set bit means "has a value".
public struct Bitmap: Sendable, Equatable {
    @usableFromInline var words: [UInt64]
    public private(set) var count: Int

    /// Creates a bitmap of `count` bits, all set to `value`.
    public init(count: Int, value: Bool) {
        self.count = count
        let wordCount = (count + 63) >> 6
        words = [UInt64](repeating: value ? ~0 : 0, count: wordCount)
        if value { clearTail() }
    }

    /// A bitmap of `count` bits from packed words (the column cache); nil when they do not fit.
    public init?(words: [UInt64], count: Int) {
        guard count >= 0, words.count == (count + 63) >> 6 else { return nil }
        self.words = words
        self.count = count
    }

    /// The packed words, for the column cache.
    public var rawWords: [UInt64] { words }

    /// `body` with the words of `bitmap` (nil: no bitmap, every row valid) as a raw pointer,
    /// for loops that test rows with `isSet(_:_:)`.
    @inlinable
    public static func withWords<R>(of bitmap: Bitmap?, _ body: (UnsafePointer<UInt64>?) -> R) -> R {
        guard let bitmap else { return body(nil) }
        return bitmap.words.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    /// Whether bit `row` is set in a bitmap's words.
    @inlinable @inline(__always)
    public static func isSet(_ words: UnsafePointer<UInt64>, _ row: Int) -> Bool {
        words[row &>> 6] & (1 &<< UInt64(row & 63)) != 0
    }

    /// Creates an empty bitmap to append to.
    public init() {
        words = []
        count = 0
    }

    @inlinable
    public subscript(index: Int) -> Bool {
        get {
            assert(index >= 0 && index < count)
            return words[index >> 6] & (1 << UInt64(index & 63)) != 0
        }
        set {
            assert(index >= 0 && index < count)
            if newValue {
                words[index >> 6] |= 1 << UInt64(index & 63)
            } else {
                words[index >> 6] &= ~(1 << UInt64(index & 63))
            }
        }
    }

    /// Makes room for `bits` bits in all, so appending up to there never reallocates.
    public mutating func reserveCapacity(_ bits: Int) {
        words.reserveCapacity((bits + 63) >> 6)
    }

    /// Appends one bit.
    public mutating func append(_ value: Bool) {
        if count & 63 == 0 { words.append(0) }
        if value { words[count >> 6] |= 1 << UInt64(count & 63) }
        count += 1
    }

    /// Appends the low `bitCount` bits of `bits` (at most 64), the lowest first: `append(_:)` of
    /// each in turn, a word at a time.
    public mutating func append(bits: UInt64, count bitCount: Int) {
        precondition(bitCount >= 0 && bitCount <= 64, "at most a word of bits")
        guard bitCount > 0 else { return }
        let kept = bitCount == 64 ? bits : bits & ((1 << UInt64(bitCount)) - 1)
        let shift = count & 63
        if shift == 0 {
            words.append(kept)
        } else {
            words[words.count - 1] |= kept << UInt64(shift)
            if shift + bitCount > 64 { words.append(kept >> UInt64(64 - shift)) }
        }
        count += bitCount
    }

    /// Appends every bit of `other`.
    public mutating func append(contentsOf other: Bitmap) {
        guard other.count > 0 else { return }
        let shift = UInt64(count & 63)
        if shift == 0 {
            words.append(contentsOf: other.words)
        } else {
            words.reserveCapacity((count + other.count + 63) >> 6)
            for word in other.words {
                words[words.count - 1] |= word << shift
                words.append(word >> (64 - shift))
            }
        }
        count += other.count
        words.removeLast(words.count - ((count + 63) >> 6))
    }

    /// The number of set bits.
    public var setCount: Int {
        words.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    /// Whether every bit is set.
    public var allSet: Bool { setCount == count }

    private mutating func clearTail() {
        let tailBits = count & 63
        if tailBits != 0, !words.isEmpty {
            words[words.count - 1] &= (1 << UInt64(tailBits)) - 1
        }
    }
}
