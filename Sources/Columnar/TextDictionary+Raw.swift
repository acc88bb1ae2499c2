extension TextDictionary {
    /// The dictionary's four internal buffers, for the column cache to write as they are.
    public var rawParts: (arena: [UInt8], offsets: [Int], hashes: [UInt64], slots: [Int32]) {
        (arena, offsets, hashes, slots)
    }

    /// Rebuilds a dictionary from buffers written by `rawParts`, without re-hashing its strings.
    ///
    /// - Returns: nil when the buffers do not fit together (a damaged cache file).
    public init?(arena: [UInt8], offsets: [Int], hashes: [UInt64], slots: [Int32]) {
        guard offsets.first == 0, offsets.last == arena.count, hashes.count == offsets.count - 1,
              slots.count >= 16, slots.count & (slots.count - 1) == 0,
              slots.allSatisfy({ $0 >= -1 && Int($0) < hashes.count }) else { return nil }
        self.init()
        self.arena = arena
        self.offsets = offsets
        self.hashes = hashes
        self.slots = slots
    }
}
