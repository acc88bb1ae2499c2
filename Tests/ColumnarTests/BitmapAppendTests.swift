import Kernels
import Columnar
import Testing

/// `Bitmap.append(bits:count:)` (a word of bits at once, the load's validity) against
/// `append(_:)` of each bit in turn.
struct BitmapAppendTests {
    @Test func wordsOfBitsAppendAsTheirBitsOneByOne() {
        var random = SplitMix64(seed: 41)
        for _ in 0..<50 {
            var byWords = Bitmap()
            var byBits = Bitmap()
            // Lengths 0 to 64 in a random order, so every shift meets every length.
            for _ in 0..<40 {
                let count = Int(random.next() % 65)
                let bits = random.next()
                byWords.append(bits: bits, count: count)
                for index in 0..<count { byBits.append(bits >> UInt64(index) & 1 == 1) }
            }
            #expect(byWords == byBits)
            #expect(byWords.count == byBits.count)
        }
    }

    /// Bits above `count` are left out: three set bits, one asked for.
    @Test func bitsAboveTheCountAreLeftOut() {
        var bitmap = Bitmap()
        bitmap.append(bits: 0b111, count: 1)
        bitmap.append(bits: 0, count: 2)
        #expect(bitmap.count == 3)
        #expect((0..<3).map { bitmap[$0] } == [true, false, false])
    }
}
