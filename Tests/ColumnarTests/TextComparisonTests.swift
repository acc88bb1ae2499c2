import Testing
@testable import Columnar

/// `TextDictionary.sameBytes` (loads that overlap by length class) against its byte-by-byte twin,
/// and the dictionary built on it telling apart strings that differ in one byte anywhere.
@Suite struct TextComparisonTests {
    /// Every length from 0 to 80 (past the 64 that go to `memcmp`), the two sides equal, then
    /// different in each single byte in turn: the expected answer is known by construction.
    @Test func everyLengthAndEveryDifferingByte() {
        for count in 0...80 {
            let left: [UInt8] = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ count) }
            // Read from inside bigger buffers at odd offsets, so the loads are unaligned and the
            // bytes around the compared ones differ.
            var a = [UInt8](repeating: 0xAA, count: count + 9)
            var b = [UInt8](repeating: 0x55, count: count + 7)
            a.replaceSubrange(3..<(3 + count), with: left)
            b.replaceSubrange(5..<(5 + count), with: left)
            let same = a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in
                (TextDictionary.sameBytes(pa.baseAddress! + 3, pb.baseAddress! + 5, count),
                 TextDictionary.sameBytesScalar(pa.baseAddress! + 3, pb.baseAddress! + 5, count))
            } }
            #expect(same == (true, true), "length \(count), equal")
            for position in 0..<count {
                var changed = b
                changed[5 + position] ^= 0x01
                let answer = a.withUnsafeBytes { pa in changed.withUnsafeBytes { pb in
                    (TextDictionary.sameBytes(pa.baseAddress! + 3, pb.baseAddress! + 5, count),
                     TextDictionary.sameBytesScalar(pa.baseAddress! + 3, pb.baseAddress! + 5, count))
                } }
                #expect(answer == (false, false), "length \(count), byte \(position) differs")
            }
        }
    }

    /// Strings of one length that differ only in their first, a middle or their last byte get
    /// codes of their own, in order of first appearance, and each is found again by its code.
    @Test func stringsThatDifferInOneByteKeepTheirOwnCodes() {
        for count in [1, 2, 3, 5, 8, 9, 15, 16, 17, 31, 32, 33, 48, 63, 64, 65] {
            let base = String(repeating: "x", count: count)
            var variants = [base]
            for position in Set([0, count / 2, count - 1]).sorted() {
                var bytes = Array(base.utf8)
                bytes[position] = UInt8(ascii: "y")
                variants.append(String(decoding: bytes, as: UTF8.self))
            }
            var dictionary = TextDictionary()
            let codes = variants.map { dictionary.code(for: $0) }
            #expect(codes == (0..<variants.count).map(UInt32.init), "length \(count)")
            #expect(variants.map { dictionary.code(for: $0) } == codes, "length \(count), second pass")
            #expect(dictionary.count == variants.count)
        }
    }
}
