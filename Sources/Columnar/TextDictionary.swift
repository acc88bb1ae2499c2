import Kernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The distinct strings of a text column, stored once in a byte arena, each with a dense code.
///
/// Codes are assigned in order of first appearance. Lookups hash the raw UTF-8 bytes, so
/// building a column from parser callbacks never allocates a `String` per field.
public struct TextDictionary: @unchecked Sendable {
    @usableFromInline var arena: [UInt8] = []
    @usableFromInline var offsets: [Int] = [0]
    @usableFromInline var hashes: [UInt64] = []
    /// Open-addressing table of codes; -1 marks an empty slot.
    @usableFromInline var slots: [Int32] = [Int32](repeating: -1, count: 16)
    /// Whether `hashes` and `slots` are built. A dictionary read back from the column cache has
    /// only its strings until something inserts into it or looks many strings up
    /// (`ensureIndexed`): a query ordering by an id column never pays for its hash table.
    @usableFromInline var indexed = true
    /// The strings of a dictionary read in place from the column cache (then `arena` and
    /// `offsets` are empty); copied into them when something inserts a new string.
    @usableFromInline var frozen: FrozenStrings?
    /// `frozen`'s buffers (empty when there are none), read without retaining their owners on
    /// every access: `frozen` keeps them alive, and nothing changes them (hence `@unchecked`).
    @usableFromInline var frozenArena = UnsafeRawBufferPointer(start: nil, count: 0)
    @usableFromInline var frozenOffsets = UnsafeBufferPointer<Int>(start: nil, count: 0)
    @usableFromInline var isFrozen = false

    /// A byte arena and each string's end offset after a leading 0, not to be changed.
    @usableFromInline struct FrozenStrings: Sendable {
        @usableFromInline let arena: ColumnBuffer<UInt8>
        @usableFromInline let offsets: ColumnBuffer<Int>
    }

    public init() {}

    /// Creates a dictionary holding `strings` in order (duplicates keep their first code).
    public init<S: Sequence>(_ strings: S) where S.Element == String {
        for string in strings { _ = code(for: string) }
    }

    /// The number of distinct strings.
    @inlinable
    public var count: Int { (isFrozen ? frozenOffsets.count : offsets.count) - 1 }

    /// Total UTF-8 bytes held.
    public var byteCount: Int { isFrozen ? frozenArena.count : arena.count }

    /// Where the bytes of `code` start and end in the arena.
    @inlinable @inline(__always)
    func bounds(of code: Int) -> (start: Int, end: Int) {
        if isFrozen {
            precondition(code >= 0 && code + 1 < frozenOffsets.count, "code out of range")
            return (frozenOffsets[code], frozenOffsets[code + 1])
        }
        return (offsets[code], offsets[code + 1])
    }

    /// Calls `body` with the arena's bytes.
    @inlinable @inline(__always)
    func withArena<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if isFrozen { return try body(frozenArena) }  // `self` (its `frozen`) lives through the call
        return try arena.withUnsafeBytes(body)
    }

    /// Copies frozen strings into the growable arena, before an insert.
    @usableFromInline
    mutating func thaw() {
        guard let strings = frozen else { return }
        arena = strings.arena.elements
        offsets = strings.offsets.elements
        frozen = nil
        isFrozen = false
        frozenArena = UnsafeRawBufferPointer(start: nil, count: 0)
        frozenOffsets = UnsafeBufferPointer(start: nil, count: 0)
    }

    /// The code of the bytes, inserting them when new.
    @inlinable
    public mutating func code(for bytes: UnsafeRawBufferPointer) -> UInt32 {
        if !indexed { ensureIndexed() }
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let existing = slots[slot]
            if existing < 0 { break }
            if hashes[Int(existing)] == hash, equals(code: Int(existing), bytes) {
                return UInt32(existing)
            }
            slot = (slot + 1) & mask
        }
        if isFrozen { thaw() }
        let newCode = count
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        hashes.append(hash)
        slots[slot] = Int32(newCode)
        if count * 2 > slots.count { grow() }
        return UInt32(newCode)
    }

    /// The code of a Swift string, inserting it when new.
    public mutating func code(for string: String) -> UInt32 {
        var copy = string
        return copy.withUTF8 { code(for: UnsafeRawBufferPointer($0)) }
    }

    /// The code of a string when present. On a dictionary without its index this scans the
    /// strings: call `ensureIndexed` first for many lookups.
    public func lookup(_ string: String) -> UInt32? {
        var copy = string
        return copy.withUTF8 { lookup(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The code of these UTF-8 bytes when present (`lookup(_:)` without a `String`).
    public func lookup(bytes raw: UnsafeRawBufferPointer) -> UInt32? {
        guard indexed else { return (0..<count).first { equals(code: $0, raw) }.map(UInt32.init) }
        let hash = Self.hash(raw)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let existing = slots[slot]
            if existing < 0 { return nil }
            if hashes[Int(existing)] == hash, equals(code: Int(existing), raw) {
                return UInt32(existing)
            }
            slot = (slot + 1) & mask
        }
    }

    /// The string of a code.
    public func string(at code: UInt32) -> String {
        let (start, end) = bounds(of: Int(code))
        return withArena { raw in
            String(decoding: UnsafeRawBufferPointer(rebasing: raw[start..<end]), as: UTF8.self)
        }
    }

    /// Calls `body` with the UTF-8 bytes of a code.
    @inlinable
    public func withBytes<R>(at code: UInt32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let (start, end) = bounds(of: Int(code))
        return try withArena { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
        }
    }

    /// Every string, in code order.
    public var strings: [String] { (0..<count).map { string(at: UInt32($0)) } }

    /// For each code, its position when the strings are sorted by UTF-8 bytes (code-point order).
    public func sortRanks() -> [UInt32] {
        let order = sortedCodes()
        var ranks = [UInt32](repeating: 0, count: count)
        for (rank, code) in order.enumerated() { ranks[Int(code)] = UInt32(rank) }
        return ranks
    }

    /// The codes sorted by their strings' UTF-8 bytes.
    public func sortedCodes() -> [UInt32] {
        var order = (0..<UInt32(count)).map { $0 }
        withArena { raw in
            order.sort { left, right in
                let (aStart, aEnd) = bounds(of: Int(left)), (bStart, bEnd) = bounds(of: Int(right))
                return Self.lexicographicallyPrecedes(UnsafeRawBufferPointer(rebasing: raw[aStart..<aEnd]),
                                                      UnsafeRawBufferPointer(rebasing: raw[bStart..<bEnd]))
            }
        }
        return order
    }

    /// Whether the string of code `a` comes before that of code `b` in UTF-8 byte order.
    public func precedes(_ a: UInt32, _ b: UInt32) -> Bool {
        let (aStart, aEnd) = bounds(of: Int(a)), (bStart, bEnd) = bounds(of: Int(b))
        return withArena { raw in
            Self.lexicographicallyPrecedes(UnsafeRawBufferPointer(rebasing: raw[aStart..<aEnd]),
                                           UnsafeRawBufferPointer(rebasing: raw[bStart..<bEnd]))
        }
    }

    /// Byte-wise comparison, shorter prefix first.
    public static func lexicographicallyPrecedes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let common = min(a.count, b.count)
        if common > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let result = memcmpBytes(pa, pb, common)
            if result != 0 { return result < 0 }
        }
        return a.count < b.count
    }

    @usableFromInline
    func equals(code: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let (start, end) = bounds(of: code)
        guard end - start == bytes.count else { return false }
        if bytes.count == 0 { return true }
        return withArena { raw in
            memcmpBytes(raw.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    /// Makes room for `strings` distinct strings of `bytes` UTF-8 bytes in all, so inserting up
    /// to there never reallocates (a merge of chunks knows both).
    public mutating func reserveCapacity(strings: Int, bytes: Int) {
        ensureIndexed()
        thaw()
        arena.reserveCapacity(bytes)
        offsets.reserveCapacity(strings + 1)
        hashes.reserveCapacity(strings)
        var size = slots.count
        while strings * 2 > size { size *= 2 }
        if size > slots.count { rehash(size: size) }
    }

    /// Builds the hash table of a dictionary read back with its strings only.
    public mutating func ensureIndexed() {
        guard !indexed else { return }
        hashes = withArena { raw in
            (0..<count).map { code in
                let (start, end) = bounds(of: code)
                return Self.hash(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
            }
        }
        var size = 16
        while count * 2 > size { size *= 2 }
        indexed = true
        rehash(size: size)
    }

    @usableFromInline
    mutating func grow() {
        rehash(size: slots.count * 2)
    }

    private mutating func rehash(size newSize: Int) {
        var newSlots = [Int32](repeating: -1, count: newSize)
        let mask = newSize - 1
        for code in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[code]) & mask
            while newSlots[slot] >= 0 { slot = (slot + 1) & mask }
            newSlots[slot] = Int32(code)
        }
        slots = newSlots
    }

    /// A 64-bit hash of bytes, eight at a time, mixed with a multiply-xorshift finaliser.
    @inlinable
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            index += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while index < count {
            tail |= UInt64(bytes[index]) << shift
            shift += 8
            index += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        h = h &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        return h
    }
}

@usableFromInline
func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Int32 {
    memcmp(a, b, count)
}
