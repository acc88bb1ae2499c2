import CSIMDBits

/// The vectorised tokenizer: the fast path for records that need no quoting rule.
///
/// Sixty-four bytes at a time, Swift SIMD comparisons find the separators, the line feeds and
/// the bytes it does not handle (quotes and CRs); `CSIMDBits` turns each comparison into a bit
/// mask (Swift has no spelling for `pmovmskb`; a Swift-only mask is slower, see
/// `Benchmarks/README.md`). Fields are cut at the separators and records at the line feeds, and
/// each record goes to the handler as a view into the text itself: nothing is copied.
///
/// It hands over, never guesses. A record it does not read exactly as libcsv would stops it at
/// that record's first byte, and the caller gives the text from there to libcsv: a record with
/// a quote, a CR that does not end a CRLF, a field that starts or ends with a space or a tab
/// (libcsv trims those), a field longer than `maxFieldBytes`. Blank lines (nothing between two
/// line feeds) are counted, as libcsv's reader counts them.
struct FastTokenizer {
    let delimiter: UInt8
    let maxFieldBytes: Int

    /// The bit masks of one 64-byte block.
    struct Masks {
        var separators: UInt64
        var lineFeeds: UInt64
        var special: UInt64
    }

    @inline(__always)
    static func mask(_ lanes: SIMDMask<SIMD16<Int8>>) -> UInt64 {
        UInt64(pingcha_movemask16(SIMD16<UInt8>(repeating: 0).replacing(with: 0xFF, where: lanes)))
    }

    /// The masks of the 64 bytes at `pointer` (bit i for byte i).
    @inline(__always)
    func classify(_ pointer: UnsafeRawPointer) -> Masks {
        var masks = Masks(separators: 0, lineFeeds: 0, special: 0)
        for part in 0..<4 {
            let bytes = pointer.loadUnaligned(fromByteOffset: part * 16, as: SIMD16<UInt8>.self)
            let shift = UInt64(part * 16)
            masks.separators |= Self.mask(bytes .== SIMD16(repeating: delimiter)) << shift
            masks.lineFeeds |= Self.mask(bytes .== SIMD16(repeating: 0x0A)) << shift
            masks.special |= Self.mask((bytes .== SIMD16(repeating: 0x22)) .| (bytes .== SIMD16(repeating: 0x0D))) << shift
        }
        return masks
    }

    /// The scalar twin of `classify`: the same masks, a byte at a time (tests, and the text's
    /// last partial block).
    func classifyScalar(_ pointer: UnsafeRawPointer, count: Int = 64) -> Masks {
        var masks = Masks(separators: 0, lineFeeds: 0, special: 0)
        for index in 0..<count {
            let byte = pointer.load(fromByteOffset: index, as: UInt8.self)
            let bit = UInt64(1) << UInt64(index)
            if byte == delimiter { masks.separators |= bit }
            if byte == 0x0A { masks.lineFeeds |= bit }
            if byte == 0x22 || byte == 0x0D { masks.special |= bit }
        }
        return masks
    }
}
