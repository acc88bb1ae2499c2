/// A fast 64-bit checksum over a byte stream, to tell a damaged or truncated cache file from a
/// good one (not a cryptographic hash: nothing here defends against a forger).
///
/// Four independent multiply–rotate lanes over 32-byte blocks keep the multiplier busy; the tail
/// is folded in byte by byte. Feeding the same bytes in any split gives the same value.
public struct ArchiveChecksum {
    @usableFromInline var lanes: (UInt64, UInt64, UInt64, UInt64) = (0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F, 0x1656_67B1_9E37_79F9, 0x85EB_CA77_C2B2_AE63)
    @usableFromInline var pending: [UInt8] = []
    @usableFromInline var length: UInt64 = 0

    public init() {}

    @inlinable @inline(__always)
    static func mix(_ lane: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (lane ^ word) &* 0x9FB2_1C65_1E98_DF25
        return (mixed << 31) | (mixed >> 33)
    }

    /// The four words of the 32-byte block at `base`.
    @inlinable @inline(__always)
    static func words(at base: UnsafeRawPointer) -> (UInt64, UInt64, UInt64, UInt64) {
        (base.loadUnaligned(fromByteOffset: 0, as: UInt64.self), base.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
         base.loadUnaligned(fromByteOffset: 16, as: UInt64.self), base.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }

    /// One 32-byte block into the lanes.
    @inlinable @inline(__always)
    mutating func block(_ words: (UInt64, UInt64, UInt64, UInt64)) {
        lanes.0 = Self.mix(lanes.0, words.0)
        lanes.1 = Self.mix(lanes.1, words.1)
        lanes.2 = Self.mix(lanes.2, words.2)
        lanes.3 = Self.mix(lanes.3, words.3)
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let start = bytes.baseAddress, bytes.count > 0 else { return }
        length &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(32 - pending.count, bytes.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(start: start, count: take))
            offset = take
            if pending.count == 32 {
                pending.withUnsafeBytes { block(Self.words(at: $0.baseAddress!)) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        while bytes.count - offset >= 32 {
            block(Self.words(at: start + offset))
            offset += 32
        }
        if offset < bytes.count {
            pending.append(contentsOf: UnsafeRawBufferPointer(start: start + offset, count: bytes.count - offset))
        }
    }

    /// `update(bytes)` while copying them to `destination` (`bytes.count` bytes, not
    /// overlapping): one pass over the bytes instead of a sum and then a copy.
    public mutating func update(_ bytes: UnsafeRawBufferPointer, copyingTo destination: UnsafeMutableRawPointer) {
        guard let start = bytes.baseAddress, bytes.count > 0 else { return }
        var offset = 0
        if !pending.isEmpty {
            // Complete the pending block first (it empties it, or takes every byte).
            offset = min(32 - pending.count, bytes.count)
            destination.copyMemory(from: start, byteCount: offset)
            update(UnsafeRawBufferPointer(start: start, count: offset))
        }
        let blocksEnd = offset + (bytes.count - offset) / 32 * 32
        length &+= UInt64(blocksEnd - offset)
        while offset < blocksEnd {
            let source = start + offset, target = destination + offset
            let words = Self.words(at: source)
            block(words)
            target.storeBytes(of: words.0, toByteOffset: 0, as: UInt64.self)
            target.storeBytes(of: words.1, toByteOffset: 8, as: UInt64.self)
            target.storeBytes(of: words.2, toByteOffset: 16, as: UInt64.self)
            target.storeBytes(of: words.3, toByteOffset: 24, as: UInt64.self)
            offset += 32
        }
        if offset < bytes.count {
            (destination + offset).copyMemory(from: start + offset, byteCount: bytes.count - offset)
            update(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
        }
    }

    /// `update(bytes)` while finding the largest of the UInt32 values `bytes` holds (native byte
    /// order, from its first byte): one pass over a column's codes instead of a sum and then a scan.
    public mutating func update(_ bytes: UnsafeRawBufferPointer, largestUInt32 largest: inout UInt32) {
        guard let start = bytes.baseAddress, bytes.count > 0 else { return }
        precondition(bytes.count % 4 == 0, "whole UInt32 values")
        @inline(__always) func scanLargest(_ from: Int, _ to: Int) {
            var at = from
            while at < to {
                largest = max(largest, (start + at).loadUnaligned(as: UInt32.self))
                at += 4
            }
        }
        // The pending block is completed first; the blocks after it start on a whole value only
        // when that took a multiple of four bytes (it always does for sections of 8-byte words).
        let head = pending.isEmpty ? 0 : min(32 - pending.count, bytes.count)
        guard head % 4 == 0 else {
            update(bytes)
            scanLargest(0, bytes.count)
            return
        }
        scanLargest(0, head)
        update(UnsafeRawBufferPointer(start: start, count: head))
        var offset = head
        let blocksEnd = offset + (bytes.count - offset) / 32 * 32
        length &+= UInt64(blocksEnd - offset)
        var lanes = SIMD8<UInt32>(repeating: largest)
        while offset < blocksEnd {
            block(Self.words(at: start + offset))
            lanes = pointwiseMax(lanes, (start + offset).loadUnaligned(as: SIMD8<UInt32>.self))
            offset += 32
        }
        largest = lanes.max()
        scanLargest(offset, bytes.count)
        if offset < bytes.count { update(UnsafeRawBufferPointer(rebasing: bytes[offset...])) }
    }

    public var value: UInt64 {
        var result = lanes.0 ^ (lanes.1 &* 3) ^ (lanes.2 &* 5) ^ (lanes.3 &* 7) ^ length
        for byte in pending { result = Self.mix(result, UInt64(byte)) }
        result ^= result >> 29
        result &*= 0xBF58_476D_1CE4_E5B9
        return result ^ (result >> 32)
    }
}
