import Kernels

extension TextDictionary {
    /// The dictionary's strings as stored: the byte arena and each string's end offset after a
    /// leading 0 (what the column cache and Arrow write).
    public var rawParts: (arena: ColumnBuffer<UInt8>, offsets: ColumnBuffer<Int>) {
        if let frozen { return (frozen.arena, frozen.offsets) }
        return (ColumnBuffer(arena), ColumnBuffer(offsets))
    }

    /// A dictionary of the strings in `arena` cut at `offsets` (as `rawParts` gives them), each
    /// string's code its position; its hash table is built when first needed (`ensureIndexed`).
    ///
    /// The buffers are kept as they are (read in place when they lie in a mapped file) until
    /// something inserts a string.
    ///
    /// - Returns: nil when the buffers do not fit together (a damaged cache file).
    public init?(arena: ColumnBuffer<UInt8>, offsets: ColumnBuffer<Int>) {
        guard offsets.first == 0, offsets.last == arena.count, offsets.count <= Int(UInt32.max) else { return nil }
        let ordered = offsets.withUnsafeBufferPointer { offsets in
            var previous = 0
            for offset in offsets {
                if offset < previous { return false }
                previous = offset
            }
            return true
        }
        guard ordered else { return nil }
        self.init()
        self.arena = []
        self.offsets = []
        frozen = FrozenStrings(arena: arena, offsets: offsets)
        frozenArena = UnsafeRawBufferPointer(arena.buffer)
        frozenOffsets = offsets.buffer
        isFrozen = true
        hashes = []
        slots = []
        indexed = false
    }
}
