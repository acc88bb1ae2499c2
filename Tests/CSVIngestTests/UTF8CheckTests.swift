@testable import CSVIngest
import CSIMDBits
import Foundation
import Columnar
import Testing

/// The sixteen-at-a-time UTF-8 check against its scalar twin and against the standard library's
/// own validation, at the lengths around a block and on random text with rare bad bytes.
struct UTF8CheckTests {
    /// The longest prefix that is valid UTF-8 (the first invalid offset when shorter than the
    /// input), and whether it holds a character of three or four bytes — worked out with
    /// `String(validating:as:)`, independently of both checks.
    private func reference(_ bytes: [UInt8]) -> EncodingDetector.UTF8Check {
        var valid = bytes.count
        while valid > 0, String(validating: bytes[..<valid], as: UTF8.self) == nil { valid -= 1 }
        let prefix = String(decoding: bytes[..<valid], as: UTF8.self)
        return EncodingDetector.UTF8Check(firstInvalidOffset: valid == bytes.count ? nil : valid,
                                          hasMultibyteBeforeInvalid: prefix.unicodeScalars.contains { $0.value >= 0x800 })
    }

    /// The check as the loader runs it (with AVX2 first where the processor has it), and its
    /// scalar twin; the portable SIMD kernel is held to the same answer and the same quote count.
    private func checks(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation)
        -> (simd: EncodingDetector.UTF8Check, scalar: EncodingDetector.UTF8Check) {
        bytes.withUnsafeBytes { raw in
            var quotes = 0, portableQuotes = 0
            let simd = EncodingDetector.checkUTF8(raw, quotes: &quotes)
            let portable = EncodingDetector.checkUTF8Portable(raw, quotes: &portableQuotes)
            #expect(portable == simd, "portable twin", sourceLocation: sourceLocation)
            #expect(quotes == portableQuotes && quotes == bytes.count(where: { $0 == 0x22 }), "quote marks", sourceLocation: sourceLocation)
            return (simd, EncodingDetector.checkUTF8Scalar(raw))
        }
    }

    /// The AVX2 check says how far a valid text is valid: up to the start of its last whole
    /// 32-byte block, with the quote marks and three-byte leads before that.
    @Test func wideCheckCoversAllButTheLastBlock() throws {
        try #require(EncodingDetector.hasWideCheck, "no AVX2 here: nothing to check")
        // 333 × "执法" (6 bytes each) and a quote mark every 37th: 2,009 bytes... built below.
        var text: [UInt8] = []
        for index in 0..<333 { text += Array("执法".utf8); if index % 37 == 0 { text.append(0x22) } }
        #expect(text.count == 1998 + 9)
        var quotes = 0
        var multibyte: Int32 = 0
        let valid = text.withUnsafeBufferPointer { pingcha_utf8_valid_prefix($0.baseAddress!, $0.count, &quotes, &multibyte) }
        // 2,007 bytes hold 62 whole blocks (1,984 bytes); the last of them starts at 1,952.
        #expect(valid == 1952)
        #expect(quotes == text[..<1952].count(where: { $0 == 0x22 }))
        #expect(multibyte == 1)
        // A fault at 1,000 (block 31, from 992): valid up to the block before it, 960.
        text[1000] = 0xFF
        let cut = text.withUnsafeBufferPointer { pingcha_utf8_valid_prefix($0.baseAddress!, $0.count, &quotes, &multibyte) }
        #expect(cut == 960)
        #expect(quotes == text[..<960].count(where: { $0 == 0x22 }))
    }

    /// Every pair of bytes, written across the edge between two 32-byte blocks (and one byte on
    /// either side) of a valid text: the AVX2 check with its finish against the scalar twin.
    @Test func everyBytePairAcrossABlockEdge() {
        var generator = SplitMix64(seed: 11)
        let base = randomText(length: 160, badOneIn: 0, using: &generator) + Array("\"ok\"".utf8)
        // The pairs land inside characters of the base text too: that is part of what is checked.
        // A fault in the block from 96 leaves the text before 64 to the AVX2 check; one in the
        // block from 64, the text before 32.
        for position in [63, 95, 96] {
            for first in 0...255 {
                var mismatches = 0
                for second in 0...255 {
                    var bytes = base
                    bytes[position] = UInt8(first)
                    bytes[position + 1] = UInt8(second)
                    let result = bytes.withUnsafeBytes { raw in
                        var quotes = 0
                        return (EncodingDetector.checkUTF8(raw, quotes: &quotes), quotes)
                    }
                    let scalar = bytes.withUnsafeBytes { EncodingDetector.checkUTF8Scalar($0) }
                    if result.0 != scalar || result.1 != bytes.count(where: { $0 == 0x22 }) { mismatches += 1 }
                }
                #expect(mismatches == 0, "position \(position), first byte \(first)")
            }
        }
    }

    @Test func handWorkedOffsets() {
        let cases: [([UInt8], Int?, Bool)] = [
            // 2 ASCII + 30 × 汉 (90 bytes), then E0 80 80 (overlong) at 92.
            (Array("ab".utf8) + Array(String(repeating: "汉", count: 30).utf8) + [0xE0, 0x80, 0x80, 0x41], 92, true),
            // 70 ASCII, then a lead byte cut off by the end.
            (Array(String(repeating: "x", count: 70).utf8) + [0xE4, 0xB8], 70, false),
            // Two-byte characters only (é) do not count as multi-byte text; then a lone continuation byte.
            (Array(String(repeating: "é", count: 40).utf8) + [0x80] + Array(String(repeating: "y", count: 20).utf8), 80, false),
            // A surrogate (ED A0 80) after 64 ASCII and one 汉 (3 bytes).
            (Array(String(repeating: "z", count: 64).utf8) + Array("汉".utf8) + [0xED, 0xA0, 0x80] + Array(String(repeating: "w", count: 30).utf8), 67, true),
            // Valid to the end: U+10FFFF (F4 8F BF BF) and U+0800 (E0 A0 80) around 16-byte edges.
            (Array(String(repeating: "q", count: 14).utf8) + [0xF4, 0x8F, 0xBF, 0xBF] + Array(String(repeating: "r", count: 13).utf8)
                + [0xE0, 0xA0, 0x80] + Array(String(repeating: "s", count: 40).utf8), nil, true),
            // A four-byte character cut short (F0 9F 98, then ASCII) at 40, with no four-byte character before it.
            (Array(String(repeating: "k", count: 40).utf8) + [0xF0, 0x9F, 0x98] + Array(String(repeating: "k", count: 40).utf8), 40, false),
            // 20 ASCII, 10 × 汉, then 60 ASCII bytes (blocks with nothing multi-byte), then FF at 110.
            (Array(String(repeating: "m", count: 20).utf8) + Array(String(repeating: "汉", count: 10).utf8)
                + Array(String(repeating: "m", count: 60).utf8) + [0xFF] + Array(String(repeating: "m", count: 20).utf8), 110, true),
            // Above U+10FFFF (F4 90 80 80) at 50.
            (Array(String(repeating: "t", count: 50).utf8) + [0xF4, 0x90, 0x80, 0x80] + Array(String(repeating: "u", count: 30).utf8), 50, false),
        ]
        for (index, (bytes, offset, multibyte)) in cases.enumerated() {
            let (simd, scalar) = checks(bytes)
            let expected = EncodingDetector.UTF8Check(firstInvalidOffset: offset, hasMultibyteBeforeInvalid: multibyte)
            #expect(simd == expected, Comment(rawValue: "case \(index)"))
            #expect(scalar == expected, Comment(rawValue: "case \(index), scalar"))
        }
    }

    /// Text pieces, valid and not: the bad ones are rare, so that long valid runs cross many blocks.
    private static let validPieces: [[UInt8]] = [
        Array("a".utf8), Array(",".utf8), Array("7".utf8), Array("\n".utf8), Array("汉".utf8), Array("执法".utf8),
        Array("é".utf8), Array("😀".utf8), [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80],
        [0xF4, 0x8F, 0xBF, 0xBF], [0xC2, 0x80], [0xDF, 0xBF],
    ]
    private static let invalidPieces: [[UInt8]] = [
        [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x9F, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xE4, 0xB8], [0xE4], [0xF0, 0x9F, 0x98], [0xC3, 0x41],
    ]

    private func randomText(length: Int, badOneIn: Int, using generator: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < length {
            if badOneIn > 0, Int.random(in: 0..<badOneIn, using: &generator) == 0 {
                bytes += Self.invalidPieces.randomElement(using: &generator)!
            } else {
                bytes += Self.validPieces.randomElement(using: &generator)!
            }
        }
        return Array(bytes.prefix(length)) // may cut the last character: a truncated end
    }

    @Test func matchesScalarTwinAndReference() {
        var generator = SplitMix64(seed: 20261121)
        for length in [0, 1, 15, 16, 17, 18, 19, 20, 31, 32, 33, 63, 64, 65, 66, 67, 79, 80, 81, 127, 128, 129, 1000] {
            for badOneIn in [0, 40, 300, 2000] {
                for _ in 0..<25 {
                    let bytes = randomText(length: length, badOneIn: badOneIn, using: &generator)
                    let (simd, scalar) = checks(bytes)
                    let expected = reference(bytes)
                    #expect(scalar == expected, Comment(rawValue: "scalar, length \(length): \(bytes)"))
                    #expect(simd == expected, Comment(rawValue: "simd, length \(length): \(bytes)"))
                }
            }
        }
    }

    /// Every single-byte change of a valid text at every position near block edges.
    @Test func everyBadByteAtEveryPosition() {
        var generator = SplitMix64(seed: 7)
        let base = randomText(length: 96, badOneIn: 0, using: &generator)
        for position in 0..<base.count {
            for replacement: UInt8 in [0x80, 0xBF, 0xC0, 0xC2, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF, 0x41] {
                var bytes = base
                bytes[position] = replacement
                let (simd, scalar) = checks(bytes)
                #expect(simd == scalar, Comment(rawValue: "position \(position), byte \(replacement)"))
                #expect(simd == reference(bytes), Comment(rawValue: "position \(position), byte \(replacement), reference"))
            }
        }
    }

    /// The quote marks counted on the way (the chunk plan's census) are the plain count, piece
    /// by piece and before any offset, whether the text is valid or not.
    @Test func quoteCensusCountsEveryQuote() {
        var generator = SplitMix64(seed: 5)
        for length in [0, 1, 15, 16, 17, 63, 64, 65, 1000, 3 << 20] {
            for badOneIn in [0, 300] {
                var bytes = randomText(length: length, badOneIn: badOneIn, using: &generator)
                for index in bytes.indices where bytes[index] == UInt8(ascii: "a") && Bool.random(using: &generator) {
                    bytes[index] = UInt8(ascii: "\"")
                }
                let quotes = bytes.reduce(0) { $0 + ($1 == 0x22 ? 1 : 0) }
                var counted = 0
                _ = bytes.withUnsafeBytes { EncodingDetector.checkUTF8($0, quotes: &counted) }
                #expect(counted == quotes, Comment(rawValue: "length \(length), bad 1 in \(badOneIn)"))
                for width in [1, 2, 3] {
                    bytes.withUnsafeBytes { text in
                        let census = EncodingDetector.checkUTF8Counting(text, width: width).census
                        #expect(census.bounds.first == 0 && census.bounds.last == length && census.bounds.count == census.counts.count + 1)
                        for piece in census.counts.indices {
                            let inPiece = bytes[census.bounds[piece]..<census.bounds[piece + 1]].reduce(0) { $0 + ($1 == 0x22 ? 1 : 0) }
                            #expect(census.counts[piece] == inPiece, Comment(rawValue: "length \(length), width \(width), piece \(piece)"))
                        }
                        let offsets = [0, length / 3, min(length, length / 2 + 1), length] + census.bounds
                        for offset in offsets {
                            let before = bytes[..<offset].reduce(0) { $0 + ($1 == 0x22 ? 1 : 0) }
                            #expect(census.quotes(in: 0..<offset, of: text) == before, Comment(rawValue: "length \(length), offset \(offset)"))
                        }
                        // Offsets just inside the first and last pieces: most of a piece, counted
                        // as the piece's count less the short rest (a chunk plan's first range,
                        // after the header), and the short rest itself.
                        for edge in [1, census.bounds[1] - 1, length - 2] where edge > 0 && edge < length {
                            for (from, to) in [(0, edge), (edge, length)] {
                                let inside = bytes[from..<to].reduce(0) { $0 + ($1 == 0x22 ? 1 : 0) }
                                #expect(census.quotes(in: from..<to, of: text) == inside, Comment(rawValue: "length \(length), \(from)..<\(to)"))
                            }
                        }
                        for from in offsets {
                            for to in offsets where to >= from {
                                let inside = bytes[from..<to].reduce(0) { $0 + ($1 == 0x22 ? 1 : 0) }
                                #expect(census.quotes(in: from..<to, of: text) == inside, Comment(rawValue: "length \(length), \(from)..<\(to)"))
                            }
                        }
                    }
                }
            }
        }
    }

    /// Pieces read from the file block by block (`checkUTF8Counting` with a source: 256 KiB
    /// blocks, the last character of each carried to the next) give the answer and the census
    /// of the pieces read through the mapping, and the check is the scalar twin's: on valid text,
    /// on text with rare bad bytes, with a bad byte or a run of continuation bytes just at a
    /// block's edge, after a 3-byte mark (the file offset), and from a file shorter than the
    /// bytes (the rest read from them).
    @Test func piecesReadFromTheFileGiveTheMappedAnswer() throws {
        var generator = SplitMix64(seed: 29)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("utf8-pieces-\(getpid()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var texts: [(String, [UInt8])] = [
            ("valid", randomText(length: (3 << 20) + 17, badOneIn: 0, using: &generator)),
            ("rare bad bytes", randomText(length: 3 << 20, badOneIn: 200_000, using: &generator)),
        ]
        // 3 MiB on two threads: eight pieces of 384 KiB, each read in a 256 KiB block and the rest.
        let edge = (3 << 20) / 8 * 5 + (256 << 10)
        for (name, offset, bad) in [("bad byte at a block's edge", edge - 1, [UInt8(0xFF)]),
                                    ("continuation run across a block's edge", edge - 2, [UInt8](repeating: 0x80, count: 6)),
                                    ("lead byte cut by a block's edge", edge - 1, [UInt8(0xE4), 0xB8])] {
            var bytes = randomText(length: 3 << 20, badOneIn: 0, using: &generator)
            bytes.replaceSubrange(offset..<(offset + bad.count), with: bad)
            texts.append((name, bytes))
        }
        for index in texts.indices {
            for byte in texts[index].1.indices where texts[index].1[byte] == UInt8(ascii: "a") && byte % 3 == 0 {
                texts[index].1[byte] = 0x22
            }
        }
        for (name, bytes) in texts {
            #expect(bytes.contains(0x22))
            for (mark, fileBytes) in [(0, bytes), (3, [0xEF, 0xBB, 0xBF] + bytes), (0, Array(bytes.prefix(bytes.count / 2)))] {
                #expect(FileManager.default.createFile(atPath: path, contents: Data(fileBytes)))
                bytes.withUnsafeBytes { text in
                    let scalar = EncodingDetector.checkUTF8Scalar(text)
                    for width in [1, 2] {
                        let mapped = EncodingDetector.checkUTF8Counting(text, width: width)
                        let read = EncodingDetector.checkUTF8Counting(text, width: width, source: .init(path: path, offset: mark))
                        let comment = Comment(rawValue: "\(name), file of \(fileBytes.count) bytes, width \(width)")
                        #expect(mapped.check == scalar, comment)
                        #expect(read.check == scalar, comment)
                        #expect(read.census == mapped.census, comment)
                        #expect(read.census.counts.reduce(0, +) == bytes.reduce(0) { $0 + ($1 == 0x22 ? 1 : 0) }, comment)
                    }
                }
            }
        }
    }

    /// The parallel check (pieces cut at character starts) gives the serial answer.
    @Test func parallelPiecesGiveTheSerialAnswer() {
        var generator = SplitMix64(seed: 11)
        var bytes = randomText(length: 3 << 20, badOneIn: 0, using: &generator)
        let serialValid = bytes.withUnsafeBytes { EncodingDetector.checkUTF8Scalar($0) }
        #expect(serialValid.firstInvalidOffset == nil)
        bytes[(5 << 19) + 3] = 0xFF
        bytes[(5 << 19) + 901] = 0xC0
        let serial = bytes.withUnsafeBytes { EncodingDetector.checkUTF8Scalar($0) }
        #expect(serial.firstInvalidOffset != nil && serial.firstInvalidOffset! <= (5 << 19) + 3)
        for width in [1, 2, 3] {
            let parallel = bytes.withUnsafeBytes { EncodingDetector.checkUTF8($0, width: width) }
            #expect(parallel == serial, Comment(rawValue: "width \(width)"))
        }
    }
}
