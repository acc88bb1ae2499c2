/// Whether bytes that decode as GB18030 look like Chinese text in it.
///
/// Almost every byte string with high bytes decodes as GB18030 somehow, so decoding alone says
/// little: Latin-1 `ü` before a letter, or Big5, decode as rare characters. Chinese text in
/// GBK is mostly characters of GB2312, both bytes in 0xA1–0xFE; rarer characters (the GBK
/// extension, four-byte sequences) are a small share of any real export. The text is taken as
/// GB18030 when at most a fifth of its characters beyond ASCII are rare.
enum GB18030Plausibility {
    /// How much of the file is judged (its start).
    static let sampleBytes = 4 << 20

    /// The offset of the first rare character when the text is implausible; nil when plausible.
    static func firstRareOffsetIfImplausible(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let end = min(bytes.count, sampleBytes)
        var characters = 0
        var rare = 0
        var firstRare: Int?
        var index = 0
        while index < end {
            let lead = bytes[index]
            guard lead >= 0x81, lead <= 0xFE, index + 1 < end else {
                index += 1
                continue
            }
            let trail = bytes[index + 1]
            characters += 1
            var length = 2
            var common = lead >= 0xA1 && lead <= 0xF7 && trail >= 0xA1 && trail <= 0xFE
            if trail >= 0x30, trail <= 0x39 {
                length = 4
                common = false
            }
            if !common {
                rare += 1
                if firstRare == nil { firstRare = index }
            }
            index += length
        }
        return rare * 5 > characters ? firstRare : nil
    }
}
