import CSIMDBits

extension EncodingDetector {
    /// Validates UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF), sixteen bytes at a time.
    ///
    /// Each byte is checked against the three before it (read by overlapping loads): it must be a
    /// continuation byte exactly when a lead byte before it asks for one, the lead bytes C0, C1 and
    /// F5–FF never occur, and the byte after E0, ED, F0 and F4 keeps to its narrower range. When a
    /// block fails, and for the last bytes, `checkUTF8Scalar` takes over from the start of the
    /// block before (backed up to a character's first byte); every character before that point
    /// lies in blocks that passed, so the offset and the multi-byte flag are the scalar twin's.
    ///
    /// - Complexity: O(n), one pass.
    public static func checkUTF8(_ bytes: UnsafeRawBufferPointer) -> UTF8Check {
        var quotes = 0
        return checkUTF8(bytes, quotes: &quotes)
    }

    /// `checkUTF8(_:)`, counting the quote marks (") of `bytes` into `quotes` on the way (the
    /// chunk plan's census). The count is exact whatever the outcome of the check.
    ///
    /// Where the processor has AVX2 the text is first checked 32 bytes at a time by
    /// `pingcha_utf8_valid_prefix` (C: its byte shuffles have no Swift spelling), which says how
    /// far it is valid; this kernel finishes from the first byte of the character there, and
    /// finds the exact offset of a fault. `checkUTF8Portable` is the same without it (its twin).
    static func checkUTF8(_ bytes: UnsafeRawBufferPointer, quotes: inout Int) -> UTF8Check {
        guard hasWideCheck, bytes.count >= 64, let base = bytes.baseAddress else {
            return checkUTF8Portable(bytes, quotes: &quotes)
        }
        var wideQuotes = 0
        var wideMultibyte: Int32 = 0
        var start = pingcha_utf8_valid_prefix(base.assumingMemoryBound(to: UInt8.self), bytes.count, &wideQuotes, &wideMultibyte)
        guard start > 0 else { return checkUTF8Portable(bytes, quotes: &quotes) }
        // Back to the first byte of the character holding `start`: the bytes passed over are
        // continuation bytes, never quote marks, so nothing is counted twice.
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        quotes += wideQuotes
        var rest = checkUTF8Portable(UnsafeRawBufferPointer(rebasing: bytes[start...]), quotes: &quotes)
        rest.firstInvalidOffset = rest.firstInvalidOffset.map { $0 + start }
        rest.hasMultibyteBeforeInvalid = rest.hasMultibyteBeforeInvalid || wideMultibyte != 0
        return rest
    }

    /// Whether `checkUTF8(_:quotes:)` checks with AVX2 on this processor.
    static let hasWideCheck = pingcha_utf8_has_wide_check() != 0

    /// `checkUTF8(_:quotes:)` with Swift's SIMD types alone (sixteen bytes at a time, as
    /// described above), on every processor.
    static func checkUTF8Portable(_ bytes: UnsafeRawBufferPointer, quotes: inout Int) -> UTF8Check {
        let count = bytes.count
        // The first bytes up to a character's start at 16 or just after go to the scalar check, so
        // that every block's three bytes before it lie inside the text.
        guard count >= 64, var start = (16...19).first(where: { bytes[$0] & 0xC0 != 0x80 }) else {
            quotes += ByteCount.occurrences(of: quoteMark, in: bytes)
            return checkUTF8Scalar(bytes)
        }
        let head = checkUTF8Scalar(UnsafeRawBufferPointer(rebasing: bytes[..<start]))
        quotes += ByteCount.occurrences(of: quoteMark, in: UnsafeRawBufferPointer(rebasing: bytes[..<start]))
        if head.firstInvalidOffset != nil {
            quotes += ByteCount.occurrences(of: quoteMark, in: UnsafeRawBufferPointer(rebasing: bytes[start...]))
            return head
        }
        typealias Block = SIMD16<UInt8>
        // Lanes set where a block that passed, except the last of them, held a byte ≥ 0xE0 (the
        // lead of a three- or four-byte character); the same for the last one.
        var multibyteBefore = Block(repeating: head.hasMultibyteBeforeInvalid ? 0xFF : 0)
        var multibyteLast = Block(repeating: 0)
        // Quote marks per lane of the blocks that passed (each match subtracts 0xFF, adding one),
        // emptied into `quotes` before a lane can wrap.
        var quoteLanes = Block(repeating: 0)
        var blocksInLanes = 0
        var index = start
        while index + 16 <= count {
            let current = bytes.loadUnaligned(fromByteOffset: index, as: Block.self)
            let bad = badBytes(current,
                               back1: bytes.loadUnaligned(fromByteOffset: index - 1, as: Block.self),
                               back2: bytes.loadUnaligned(fromByteOffset: index - 2, as: Block.self),
                               back3: bytes.loadUnaligned(fromByteOffset: index - 3, as: Block.self))
            if anySet(bad) { break }
            multibyteBefore |= multibyteLast
            multibyteLast = lanes(current .>= Block(repeating: 0xE0))
            quoteLanes &-= lanes(current .== Block(repeating: quoteMark))
            blocksInLanes += 1
            if blocksInLanes == 255 {
                quotes += laneSum(quoteLanes)
                quoteLanes = Block(repeating: 0)
                blocksInLanes = 0
            }
            start = index
            index += 16
        }
        // Blocks from `index` on were not counted.
        quotes += laneSum(quoteLanes) + ByteCount.occurrences(of: quoteMark, in: UnsafeRawBufferPointer(rebasing: bytes[index...]))
        // `start` is the last passed block's start (or the head's end, when none passed).
        while bytes[start] & 0xC0 == 0x80 { start -= 1 }
        var rest = checkUTF8Scalar(UnsafeRawBufferPointer(rebasing: bytes[start...]))
        rest.firstInvalidOffset = rest.firstInvalidOffset.map { $0 + start }
        // A character begun before `start` and ending after it is valid (its bytes passed), so
        // counting its lead here as well as in the scalar pass changes nothing.
        rest.hasMultibyteBeforeInvalid = rest.hasMultibyteBeforeInvalid || anySet(multibyteBefore)
        return rest
    }

    /// Lanes of 0xFF where a byte of `current` breaks UTF-8, given the three bytes before each
    /// (`back1`…`back3`). Every operand is a vector (`.==` with a scalar is compiled lane by lane),
    /// and masks are turned into bytes at once and combined as integers, for the same reason.
    @inline(__always)
    static func badBytes(_ current: SIMD16<UInt8>, back1: SIMD16<UInt8>, back2: SIMD16<UInt8>, back3: SIMD16<UInt8>) -> SIMD16<UInt8> {
        typealias Block = SIMD16<UInt8>
        let isContinuation = lanes(current & Block(repeating: 0xC0) .== Block(repeating: 0x80))
        let needsContinuation = lanes(back1 .>= Block(repeating: 0xC0)) | lanes(back2 .>= Block(repeating: 0xE0))
            | lanes(back3 .>= Block(repeating: 0xF0))
        var bad = isContinuation ^ needsContinuation
        bad |= lanes(current & Block(repeating: 0xFE) .== Block(repeating: 0xC0)) | lanes(current .>= Block(repeating: 0xF5))
        bad |= lanes(back1 .== Block(repeating: 0xE0)) & lanes(current .< Block(repeating: 0xA0))
        bad |= lanes(back1 .== Block(repeating: 0xED)) & lanes(current .> Block(repeating: 0x9F))
        bad |= lanes(back1 .== Block(repeating: 0xF0)) & lanes(current .< Block(repeating: 0x90))
        bad |= lanes(back1 .== Block(repeating: 0xF4)) & lanes(current .> Block(repeating: 0x8F))
        return bad
    }

    @inline(__always)
    static func lanes(_ mask: SIMDMask<SIMD16<Int8>>) -> SIMD16<UInt8> {
        unsafeBitCast(mask, to: SIMD16<UInt8>.self)
    }

    static let quoteMark: UInt8 = 0x22

    /// The sum of the sixteen byte lanes.
    @inline(__always)
    static func laneSum(_ lanes: SIMD16<UInt8>) -> Int {
        var total = 0
        for lane in 0..<16 { total += Int(lanes[lane]) }
        return total
    }

    /// Whether any lane is not zero, read as two 64-bit words.
    @inline(__always)
    static func anySet(_ lanes: SIMD16<UInt8>) -> Bool {
        let words = unsafeBitCast(lanes, to: SIMD2<UInt64>.self)
        return words[0] | words[1] != 0
    }
}
