import Kernels
import CMemoryHints

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
    /// Open-addressing table (linear probing): each slot holds a code + 1 in its low 32 bits and
    /// the high 32 bits of the string's hash above them; 0 marks an empty slot. A probe compares
    /// the hash bits in the slot itself, so passing over another string's slot reads no other
    /// memory (with millions of distinct ids, every extra read is a cache miss).
    @usableFromInline var slots: [UInt64] = [UInt64](repeating: 0, count: 16)
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
        code(for: bytes, hash: Self.hash(bytes))
    }

    /// The code of the bytes, inserting them when new, given their `hash(_:)` (a merge of
    /// dictionaries has it already: `storedHash(of:)`).
    @inlinable
    public mutating func code(for bytes: UnsafeRawBufferPointer, hash: UInt64) -> UInt32 {
        if !indexed { ensureIndexed() }
        // The probe of `probe(_:hash:isSame:)`, written out: on this path (every cell of every
        // text column of a load) the shared one, through its closure, cost 4% of a cold load.
        let mask = slots.count - 1
        let tag = hash & Self.tagMask
        var slot = Int(truncatingIfNeeded: hash) & mask
        while case let entry = slots[slot], entry != 0 {
            if entry & Self.tagMask == tag, equals(code: Int(truncatingIfNeeded: entry & ~Self.tagMask) - 1, bytes) {
                return UInt32(truncatingIfNeeded: entry & ~Self.tagMask) - 1
            }
            slot = (slot + 1) & mask
        }
        if isFrozen { thaw() }
        let newCode = count
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        hashes.append(hash)
        slots[slot] = tag | UInt64(newCode + 1)
        if count * 2 > slots.count { grow() }
        return UInt32(newCode)
    }

    /// Asks for the table slot where a string of this `hash(_:)` is looked for first, without
    /// waiting for it (a hint: `code(for:hash:)` of the string soon after finds it in cache).
    @inlinable @inline(__always)
    public func prefetchSlot(hash: UInt64) {
        slots.withUnsafeBufferPointer { slots in
            pingcha_prefetch(slots.baseAddress! + (Int(truncatingIfNeeded: hash) & (slots.count - 1)))
        }
    }

    /// Linear probing from `hash`'s slot: the code of the first string whose slot holds the
    /// hash's high bits and that `isSame`, or none and the empty slot where the probe stopped.
    @inlinable @inline(__always)
    static func probe(_ slots: UnsafeBufferPointer<UInt64>, hash: UInt64, isSame: (Int) -> Bool) -> (code: Int?, slot: Int) {
        let mask = slots.count - 1
        let tag = hash & tagMask
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return (nil, slot) }
            if entry & tagMask == tag {
                let existing = Int(truncatingIfNeeded: entry & ~tagMask) - 1
                if isSame(existing) { return (existing, slot) }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The bits of a hash kept in a slot beside the code.
    @usableFromInline static let tagMask: UInt64 = 0xFFFF_FFFF_0000_0000

    /// The `hash(_:)` of a code's string as the dictionary stored it; nil when it has no index
    /// (read back from the column cache and not looked up since).
    @inlinable
    public func storedHash(of code: UInt32) -> UInt64? {
        indexed ? hashes[Int(code)] : nil
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
        return slots.withUnsafeBufferPointer { slots in Self.probe(slots, hash: hash) { equals(code: $0, raw) } }.code.map { UInt32($0) }
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
        compareBytes(a, b) < 0
    }

    /// Byte-wise order of two strings (UTF-8 bytes: code-point order), shorter prefix first:
    /// -1, 0 or 1. When both have eight bytes, those are compared first as one big-endian word
    /// (ids mostly differ there); the rest with one `memcmp`.
    @inline(__always)
    public static func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        if a.count >= 8, b.count >= 8 {
            let x = UInt64(bigEndian: a.loadUnaligned(as: UInt64.self)), y = UInt64(bigEndian: b.loadUnaligned(as: UInt64.self))
            if x != y { return x < y ? -1 : 1 }
        }
        let common = min(a.count, b.count)
        if common > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let result = memcmpBytes(pa, pb, common)
            if result != 0 { return result < 0 ? -1 : 1 }
        }
        return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
    }

    @inlinable @inline(__always)
    func equals(code: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let (start, end) = bounds(of: code)
        guard end - start == bytes.count else { return false }
        if bytes.count == 0 { return true }
        return withArena { raw in Self.sameBytes(raw.baseAddress! + start, bytes.baseAddress!, bytes.count) }
    }

    /// Whether `count` bytes at `a` and `b` are equal. Up to 64 bytes without a loop: two loads
    /// of each side that overlap as the length needs (the first and the last 1, 2, 4, 8 or 16
    /// bytes, and for 33 to 64 bytes the two middle blocks of 16), so the only branch is on the
    /// length's size class, which stays the same from row to row of a column. A field of a
    /// low-cardinality column is compared once per row; the byte loop this replaced mispredicted
    /// its exits on every length. Longer strings go to `memcmp`. `sameBytesScalar` is its twin.
    @inlinable @inline(__always)
    static func sameBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        @inline(__always) func differ<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            a.loadUnaligned(fromByteOffset: offset, as: T.self) ^ b.loadUnaligned(fromByteOffset: offset, as: T.self)
        }
        @inline(__always) func differ16(_ offset: Int) -> SIMD16<UInt8> {
            a.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self) ^ b.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
        }
        if count >= 16 {
            guard count <= 64 else { return memcmpBytes(a, b, count) == 0 }
            var difference = differ16(0) | differ16(count - 16)
            if count > 32 { difference |= differ16(16) | differ16(count - 32) }
            let words = unsafeBitCast(difference, to: SIMD2<UInt64>.self)
            return words[0] | words[1] == 0
        }
        if count >= 8 { return differ(0, UInt64.self) | differ(count - 8, UInt64.self) == 0 }
        if count >= 4 { return differ(0, UInt32.self) | differ(count - 4, UInt32.self) == 0 }
        if count >= 2 { return differ(0, UInt16.self) | differ(count - 2, UInt16.self) == 0 }
        return count == 0 || differ(0, UInt8.self) == 0
    }

    /// `sameBytes`'s twin, one byte at a time (the tests hold the two to each other).
    static func sameBytesScalar(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        (0..<count).allSatisfy { a.load(fromByteOffset: $0, as: UInt8.self) == b.load(fromByteOffset: $0, as: UInt8.self) }
    }

    /// Room for `strings` strings of `bytes` bytes in all in the arrays that hold them, the hash
    /// table left to grow as it fills (a guess too high costs address space, not memory).
    public mutating func reserveStorage(strings: Int, bytes: Int) {
        thaw()
        arena.reserveCapacity(bytes)
        offsets.reserveCapacity(strings + 1)
        hashes.reserveCapacity(strings)
    }

    /// A hash table big enough for `strings` strings, made now (the strings placed once) rather
    /// than doubled again and again as they come: for a column of millions of ids each doubling
    /// places every string so far once more. Nothing changes when the table is that big already.
    public mutating func reserveTable(strings: Int) {
        guard indexed else { return }
        var size = slots.count
        while strings * 2 > size { size *= 2 }
        if size > slots.count { rehash(size: size) }
    }

    /// Each string's `hash(_:)`, in code order: the ones kept when there is one per string (an
    /// indexed dictionary, or one whose table a merge dropped), else worked out from the strings.
    func stringHashes() -> [UInt64] {
        if hashes.count == count { return hashes }
        let ranges = ConcurrentTasks.evenRanges(of: count, pieces: count >= 1 << 14 ? ConcurrentTasks.processorCount * 2 : 1)
        return withArena { raw in
            [UInt64](unsafeUninitializedCapacity: count) { hashed, initialized in
                ConcurrentTasks(ranges.count).run { piece in
                    for code in ranges[piece] {
                        let (start, end) = bounds(of: code)
                        hashed[code] = Self.hash(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                    }
                }
                initialized = count
            }
        }
    }

    /// Builds the hash table of a dictionary read back with its strings only.
    public mutating func ensureIndexed() {
        guard !indexed else { return }
        hashes = stringHashes()
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
        var newSlots = MemoryAdvice.array(repeating: UInt64(0), count: newSize)
        newSlots.withUnsafeMutableBufferPointer { newSlots in
            hashes.withUnsafeBufferPointer { hashes in Self.place(hashes, codes: 0..<hashes.count, in: newSlots) }
        }
        slots = newSlots
    }

    /// Puts codes `codes` (whose hashes are `hashes[code]`, all distinct strings absent from the
    /// table) in the empty slots of `slots`. The slot of the string `prefetchDistance` ahead is
    /// asked for before each one is placed: with millions of strings every slot is a cache miss,
    /// and this way several are in flight at once instead of one after another.
    private static func place(_ hashes: UnsafeBufferPointer<UInt64>, codes: Range<Int>, in slots: UnsafeMutableBufferPointer<UInt64>) {
        let mask = slots.count - 1
        for code in codes {
            if code + prefetchDistance < codes.upperBound {
                pingcha_prefetch(slots.baseAddress! + (Int(truncatingIfNeeded: hashes[code + prefetchDistance]) & mask))
            }
            let hash = hashes[code]
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = (hash & tagMask) | UInt64(code + 1)
        }
    }

    /// The strings from which `absorb(_:keepIndex:)` may leave a dictionary without its table.
    public static let unindexedMinimum = 1 << 16

    /// How many strings ahead a batched pass asks for its slot.
    private static let prefetchDistance = 16

    /// Adds the strings of `other` that this dictionary lacks, in `other`'s code order (so that
    /// codes stay in order of first appearance when `other` holds the rows after this one's), and
    /// returns each of `other`'s codes translated to this dictionary's.
    ///
    /// The same as `code(for:)` of each string in turn, done in two passes: `other`'s strings
    /// are looked up on every core (reading only), then the new ones are appended and placed in
    /// the table with their slots fetched ahead. A merge of two halves of a column of ten
    /// million distinct ids was one cache miss after another, on one core.
    ///
    /// With `keepIndex` false the hash table of a big dictionary (`unindexedMinimum` strings or
    /// more) is dropped instead of extended, and rebuilt from the kept hashes only if something
    /// later inserts or looks many strings up (`ensureIndexed`): the last merge of a load's
    /// chunks, since most queries over a column of ids never look one up.
    public mutating func absorb(_ other: TextDictionary, keepIndex: Bool = true) -> [UInt32] {
        let otherCount = other.count
        guard otherCount > 0 else { return [] }
        ensureIndexed()
        thaw()
        let otherHashes = other.stringHashes()
        let missing = UInt32.max
        var translation = codes(of: other, hashes: otherHashes)
        // The new strings, appended in order; then their slots, in a table big enough for all.
        let first = count
        var newBytes = 0
        var added = 0
        for code in 0..<otherCount where translation[code] == missing {
            let (start, end) = other.bounds(of: code)
            newBytes += end - start
            added += 1
        }
        guard added > 0 else { return translation }
        arena.reserveCapacity(arena.count + newBytes)
        offsets.reserveCapacity(offsets.count + added)
        hashes.reserveCapacity(hashes.count + added)
        other.withArena { raw in
            for code in 0..<otherCount where translation[code] == missing {
                let (start, end) = other.bounds(of: code)
                translation[code] = UInt32(count)
                arena.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                offsets.append(arena.count)
                hashes.append(otherHashes[code])
            }
        }
        var size = slots.count
        while count * 2 > size { size *= 2 }
        if !keepIndex, count >= Self.unindexedMinimum {
            slots = []
            indexed = false
        } else if size > slots.count {
            rehash(size: size)
        } else {
            slots.withUnsafeMutableBufferPointer { slots in
                hashes.withUnsafeBufferPointer { hashes in Self.place(hashes, codes: first..<hashes.count, in: slots) }
            }
        }
        return translation
    }

    /// Each of `other`'s strings' code here, in `other`'s code order (`UInt32.max`: a string this
    /// dictionary lacks), looked up on every core, each slot fetched ahead. The dictionary must be
    /// indexed.
    public func codes(of other: TextDictionary) -> [UInt32] {
        codes(of: other, hashes: other.stringHashes())
    }

    /// `codes(of:)` given `other`'s `stringHashes()`.
    private func codes(of other: TextDictionary, hashes otherHashes: [UInt64]) -> [UInt32] {
        precondition(indexed, "codes(of:) needs an indexed dictionary")
        let otherCount = other.count
        var translation = [UInt32](repeating: .max, count: otherCount)
        let pieces = otherCount >= 1 << 14 ? ConcurrentTasks.processorCount * 4 : 1
        let ranges = ConcurrentTasks.evenRanges(of: otherCount, pieces: pieces)
        slots.withUnsafeBufferPointer { slots in
            otherHashes.withUnsafeBufferPointer { hashes in
                translation.withUnsafeMutableBufferPointer { translation in
                    ConcurrentTasks(ranges.count).run { piece in
                        let mask = slots.count - 1
                        let range = ranges[piece]
                        for code in range {
                            if code + Self.prefetchDistance < range.upperBound {
                                pingcha_prefetch(slots.baseAddress! + (Int(truncatingIfNeeded: hashes[code + Self.prefetchDistance]) & mask))
                            }
                            let existing = other.withBytes(at: UInt32(code)) { bytes in
                                Self.probe(slots, hash: hashes[code]) { self.equals(code: $0, bytes) }.code
                            }
                            if let existing { translation[code] = UInt32(existing) }
                        }
                    }
                }
            }
        }
        return translation
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
