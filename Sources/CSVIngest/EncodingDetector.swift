import Kernels
import Columnar
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decides how an export's bytes are encoded, without being told.
///
/// Order of evidence: a byte-order mark; then whether the whole file is valid UTF-8; then
/// whether it decodes as GB18030. A file whose valid UTF-8 prefix already holds Chinese text
/// and then breaks is not GB18030 either: it switched encoding half-way, and the error names
/// the line where it did.
public enum EncodingDetector {
    /// The outcome of checking bytes as UTF-8.
    public struct UTF8Check: Sendable, Equatable {
        /// Offset of the first byte that is not valid UTF-8, if any.
        public var firstInvalidOffset: Int?
        /// Whether a multi-byte character occurs before that offset.
        public var hasMultibyteBeforeInvalid: Bool
    }

    /// Detects the encoding of `bytes`.
    ///
    /// - Throws: `PingchaError` (.data) when no supported encoding fits, naming the line.
    public static func detect(_ bytes: UnsafeRawBufferPointer, path: String, width: Int = 1,
                              checked: ((Range<Int>) -> Void)? = nil) throws -> SourceEncoding {
        var census: QuoteCensus?
        return try detect(bytes, path: path, width: width, checked: checked, census: &census)
    }

    /// `detect`, which also sets `census` to the quote marks of `bytes` when it checked them
    /// all as UTF-8 (a file without a byte-order mark; the loader checks the text after a mark).
    static func detect(_ bytes: UnsafeRawBufferPointer, path: String, width: Int, checked: ((Range<Int>) -> Void)?,
                       source: FileSource? = nil, census: inout QuoteCensus?) throws -> SourceEncoding {
        if let marked = markedEncoding(bytes) { return marked }
        let (check, counted) = checkUTF8Counting(bytes, width: width, checked: checked, source: source)
        census = counted
        guard let invalid = check.firstInvalidOffset else { return .utf8 }
        let invalidLine = LineIndex.lineNumber(ofOffset: invalid, in: bytes)
        if check.hasMultibyteBeforeInvalid {
            throw PingchaError.encodingSwitches(path, line: invalidLine)
        }
        if let bad = Transcoder.firstUndecodableOffset(bytes, from: .gb18030) {
            let badLine = LineIndex.lineNumber(ofOffset: bad, in: bytes)
            throw PingchaError.unknownEncoding(path, utf8Line: invalidLine, gb18030Line: badLine)
        }
        if let rare = GB18030Plausibility.firstRareOffsetIfImplausible(bytes) {
            let line = LineIndex.lineNumber(ofOffset: rare, in: bytes)
            throw PingchaError.implausibleEncoding(path, line: line)
        }
        return .gb18030
    }

    /// The encoding a byte-order mark at the start of `bytes` names, if one is there.
    static func markedEncoding(_ bytes: UnsafeRawBufferPointer) -> SourceEncoding? {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return .utf8BOM }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { return .utf16LE }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { return .utf16BE }
        return nil
    }

    /// `checkUTF8` on up to `width` threads: the bytes are cut where a character starts (never
    /// before a continuation byte), each piece is checked on its own, and the first piece with an
    /// invalid byte decides, so the answer is the serial one.
    /// `checked` is told each stretch once it has been checked.
    public static func checkUTF8(_ bytes: UnsafeRawBufferPointer, width: Int, checked: ((Range<Int>) -> Void)? = nil) -> UTF8Check {
        checkUTF8Counting(bytes, width: width, checked: checked).check
    }

    /// Where a text's bytes can also be read with `pread`: its file, and the offset there of the
    /// text's first byte. A pass that reads them so leaves the text's mapping untouched: each pass
    /// through a mapping maps every page and gives it back again, which costs more than the copy.
    struct FileSource: Sendable {
        let path: String
        let offset: Int
    }

    /// `checkUTF8(_:width:checked:)` and the quote marks of each piece it checked. With a
    /// `source`, pieces of a text big enough to be cut are read from the file (`checked` is then
    /// told nothing: the mapping is not touched); the answer is the same.
    static func checkUTF8Counting(_ bytes: UnsafeRawBufferPointer, width: Int, checked: ((Range<Int>) -> Void)? = nil,
                                  source: FileSource? = nil) -> (check: UTF8Check, census: QuoteCensus) {
        // Pieces of at most 64 MiB, so that each read through the mapping is given back soon after it is checked.
        let pieceCount = bytes.count < (1 << 20) ? 1 : max(width * 4, bytes.count >> 26)
        if pieceCount == 1 {
            var quotes = 0
            let check = checkUTF8(bytes, quotes: &quotes)
            checked?(0..<bytes.count)
            return (check, QuoteCensus(bounds: [0, bytes.count], counts: [quotes]))
        }
        var cuts = (0...pieceCount).map { bytes.count / pieceCount * $0 }
        cuts[pieceCount] = bytes.count
        for index in 1..<pieceCount {
            while cuts[index] < bytes.count, bytes[cuts[index]] & 0xC0 == 0x80 { cuts[index] += 1 }
            cuts[index] = max(cuts[index], cuts[index - 1])
        }
        let results = UnsafeMutableBufferPointer<UTF8Check>.allocate(capacity: pieceCount)
        let quoteCounts = UnsafeMutableBufferPointer<Int>.allocate(capacity: pieceCount)
        defer {
            results.deallocate()
            quoteCounts.deallocate()
        }
        let descriptor = source.map { open($0.path, O_RDONLY) } ?? -1
        defer { if descriptor >= 0 { close(descriptor) } }
        ConcurrentTasks(pieceCount, width: width).run { piece in
            var quotes = 0
            let check: UTF8Check
            if let source, descriptor >= 0 {
                check = checkUTF8(reading: descriptor, at: source.offset, as: bytes, cuts[piece]..<cuts[piece + 1], quotes: &quotes)
            } else {
                var mapped = checkUTF8(UnsafeRawBufferPointer(rebasing: bytes[cuts[piece]..<cuts[piece + 1]]), quotes: &quotes)
                mapped.firstInvalidOffset = mapped.firstInvalidOffset.map { $0 + cuts[piece] }
                check = mapped
                checked?(cuts[piece]..<cuts[piece + 1])
            }
            results.baseAddress!.advanced(by: piece).initialize(to: check)
            quoteCounts[piece] = quotes
        }
        let census = QuoteCensus(bounds: cuts, counts: Array(quoteCounts))
        var sawMultibyte = false
        for check in results {
            sawMultibyte = sawMultibyte || check.hasMultibyteBeforeInvalid
            if let offset = check.firstInvalidOffset {
                return (UTF8Check(firstInvalidOffset: offset, hasMultibyteBeforeInvalid: sawMultibyte), census)
            }
        }
        return (UTF8Check(firstInvalidOffset: nil, hasMultibyteBeforeInvalid: sawMultibyte), census)
    }

    /// `checkUTF8(_:quotes:)` of `bytes[range]` (offsets in the answer are `bytes`'s), its bytes
    /// read from `descriptor` (where `bytes` starts at `offset`) block by block into one small
    /// buffer. Each block is checked up to the first byte of its last character, which is
    /// carried over to the next, so every block starts at a character as the pieces do and the
    /// answer is the one of the whole range. Past an invalid byte, or where the file gives fewer
    /// bytes than `bytes` holds, the rest is read from `bytes`.
    static func checkUTF8(reading descriptor: Int32, at offset: Int, as bytes: UnsafeRawBufferPointer, _ range: Range<Int>,
                          quotes: inout Int) -> UTF8Check {
        let block = 256 << 10
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: block, alignment: 64)
        defer { buffer.deallocate() }
        var sawMultibyte = false
        /// The offset in `bytes` of the buffer's first byte, and the bytes the buffer holds.
        var start = range.lowerBound
        var held = 0
        while start < range.upperBound {
            let wanted = min(block - held, range.upperBound - start - held)
            if wanted > 0 {
                let read = pread(descriptor, buffer.baseAddress! + held, wanted, off_t(offset + start + held))
                guard read > 0 else {
                    var rest = checkUTF8(UnsafeRawBufferPointer(rebasing: bytes[start..<range.upperBound]), quotes: &quotes)
                    rest.firstInvalidOffset = rest.firstInvalidOffset.map { $0 + start }
                    rest.hasMultibyteBeforeInvalid = rest.hasMultibyteBeforeInvalid || sawMultibyte
                    return rest
                }
                held += read
            }
            let cut = checkedEnd(of: UnsafeRawBufferPointer(buffer), from: 0, held: held, textEnds: start + held == range.upperBound)
            let check = checkUTF8(UnsafeRawBufferPointer(rebasing: buffer[..<cut]), quotes: &quotes)
            sawMultibyte = sawMultibyte || check.hasMultibyteBeforeInvalid
            if let bad = check.firstInvalidOffset {
                quotes += ByteCount.occurrences(of: quoteMark, in: UnsafeRawBufferPointer(rebasing: bytes[(start + cut)..<range.upperBound]))
                return UTF8Check(firstInvalidOffset: start + bad, hasMultibyteBeforeInvalid: sawMultibyte)
            }
            buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + cut, byteCount: held - cut)
            start += cut
            held -= cut
        }
        return UTF8Check(firstInvalidOffset: nil, hasMultibyteBeforeInvalid: sawMultibyte)
    }

    /// Where a block of a longer text, read into `buffer[..<held]` and checked from `from`, is
    /// checked up to: the first byte of its last character, which is carried over to the next
    /// block, so that every block starts at a character; `held` when the text ends with this
    /// block, or when the bytes after `from` are all continuation bytes (invalid wherever they
    /// stand). The block readers of the text (`checkUTF8(reading:…)`, the hash's
    /// `CSVLoader.sha256Hex(readingFile:as:checkingUTF8From:)`) share it.
    static func checkedEnd(of buffer: UnsafeRawBufferPointer, from: Int, held: Int, textEnds: Bool) -> Int {
        guard !textEnds else { return held }
        var cut = held - 1
        while cut > from, buffer[cut] & 0xC0 == 0x80 { cut -= 1 }
        return cut == from ? held : cut
    }

    /// Validates UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF), a character at a
    /// time: the scalar twin of `checkUTF8(_:)`, and its finish.
    public static func checkUTF8Scalar(_ bytes: UnsafeRawBufferPointer) -> UTF8Check {
        var index = 0
        let count = bytes.count
        var sawMultibyte = false
        while index < count {
            // Skip ASCII eight bytes at a time.
            while index + 8 <= count,
                  bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
            }
            guard index < count else { break }
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            let length: Int
            var lowerBound: UInt8 = 0x80, upperBound: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lowerBound = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upperBound = 0x9F
            case 0xF0: length = 4; lowerBound = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upperBound = 0x8F
            default: return UTF8Check(firstInvalidOffset: index, hasMultibyteBeforeInvalid: sawMultibyte)
            }
            guard index + length <= count else {
                return UTF8Check(firstInvalidOffset: index, hasMultibyteBeforeInvalid: sawMultibyte)
            }
            let second = bytes[index + 1]
            guard second >= lowerBound, second <= upperBound else {
                return UTF8Check(firstInvalidOffset: index, hasMultibyteBeforeInvalid: sawMultibyte)
            }
            for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 {
                return UTF8Check(firstInvalidOffset: index, hasMultibyteBeforeInvalid: sawMultibyte)
            }
            if length >= 3 { sawMultibyte = true }
            index += length
        }
        return UTF8Check(firstInvalidOffset: nil, hasMultibyteBeforeInvalid: sawMultibyte)
    }
}

/// The quote marks (") of a text, counted piece by piece while it was checked as UTF-8, so that
/// the chunk plan can tell the quote parity at any offset without reading the whole text again.
struct QuoteCensus: Sendable, Equatable {
    /// Where the pieces start, ascending from 0, then the text's length.
    var bounds: [Int]
    /// The quote marks in each piece.
    var counts: [Int]

    /// The quote marks in `text[range]`: the pieces wholly inside it from the census, the parts
    /// of the pieces at its ends from the bytes, reading at most half of each such piece.
    /// `text` is the text the census was taken of.
    func quotes(in range: Range<Int>, of text: UnsafeRawBufferPointer) -> Int {
        precondition(bounds.last == text.count && range.lowerBound >= 0 && range.upperBound <= text.count, "a census of this text")
        guard !range.isEmpty else { return 0 }
        // The quotes of `piece` inside the range: its count when the range covers it whole; else
        // the part inside counted, or, when the part outside is the shorter (a chunk plan's range
        // starting after the header, inside the first piece), its count taken from the piece's.
        func inside(_ piece: Int) -> Int {
            let from = max(range.lowerBound, bounds[piece]), to = min(range.upperBound, bounds[piece + 1])
            if from == bounds[piece], to == bounds[piece + 1] { return counts[piece] }
            func count(_ part: Range<Int>) -> Int {
                ByteCount.occurrences(of: EncodingDetector.quoteMark, in: UnsafeRawBufferPointer(rebasing: text[part]))
            }
            guard (to - from) * 2 > bounds[piece + 1] - bounds[piece] else { return count(from..<to) }
            return counts[piece] - count(bounds[piece]..<from) - count(to..<bounds[piece + 1])
        }
        let first = piece(holding: range.lowerBound), last = piece(holding: range.upperBound - 1)
        return (first...last).reduce(0) { $0 + inside($1) }
    }

    /// The piece that holds the byte at `offset` (inside the text).
    private func piece(holding offset: Int) -> Int {
        var piece = 0
        while piece + 1 < counts.count, bounds[piece + 1] <= offset { piece += 1 }
        return piece
    }
}
