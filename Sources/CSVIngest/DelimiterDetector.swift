/// Decides which byte separates fields: comma, tab, semicolon or pipe, from the first records.
///
/// The first 64 KiB are cut into records at line breaks outside quotes (a quote toggles, as in
/// the chunk plan), and each candidate's separators outside quotes are counted per record. The
/// candidate that splits most records (four in five at least) into the same number of fields,
/// and into the most fields, wins; ties go to the order comma, tab, semicolon, pipe. A file in
/// which no candidate does (one column, say) keeps the encoding's default.
public enum DelimiterDetector {
    /// The separators tried, in the order ties are decided.
    public static let candidates: [UInt8] = [0x2C, 0x09, 0x3B, 0x7C]

    /// The separator of `text` (decoded to UTF-8), else `fallback`.
    public static func detect(_ text: UnsafeRawBufferPointer, fallback: UInt8) -> UInt8 {
        let sampleEnd = min(text.count, 1 << 16)
        var counts = [[Int]](repeating: [], count: candidates.count)
        var current = [Int](repeating: 0, count: candidates.count)
        var quoted = false
        var recordHasText = false
        var index = 0
        while index < sampleEnd, counts[0].count < 100 {
            let byte = text[index]
            if byte == 0x22 {
                quoted.toggle()
                recordHasText = true
            } else if !quoted, byte == 0x0A || byte == 0x0D {
                if recordHasText {
                    for candidate in candidates.indices { counts[candidate].append(current[candidate]) }
                }
                current = [Int](repeating: 0, count: candidates.count)
                recordHasText = false
            } else if !quoted, let candidate = candidates.firstIndex(of: byte) {
                current[candidate] += 1
                recordHasText = true
            } else if byte != 0x20 {
                recordHasText = true
            }
            index += 1
        }
        // A last record is whole only when the sample is the whole text.
        if sampleEnd == text.count, recordHasText {
            for candidate in candidates.indices { counts[candidate].append(current[candidate]) }
        }
        var best: (candidate: Int, separators: Int)?
        for candidate in candidates.indices {
            guard let (separators, records) = mode(counts[candidate]), separators > 0,
                  records * 5 >= counts[candidate].count * 4 else { continue }
            if best == nil || separators > best!.separators { best = (candidate, separators) }
        }
        return best.map { candidates[$0.candidate] } ?? fallback
    }

    /// The most common value and how often it occurs (the smaller value on a tie).
    private static func mode(_ values: [Int]) -> (value: Int, count: Int)? {
        var tally: [Int: Int] = [:]
        for value in values { tally[value, default: 0] += 1 }
        return tally.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }.map { ($0.key, $0.value) }
    }

    /// The separator's name for people.
    public static func name(of delimiter: UInt8) -> (zh: String, en: String) {
        switch delimiter {
        case 0x2C: return ("逗号", "comma")
        case 0x09: return ("制表符", "tab")
        case 0x3B: return ("分号", "semicolon")
        case 0x7C: return ("竖线", "pipe")
        default: return ("「\(Character(Unicode.Scalar(delimiter)))」", "'\(Character(Unicode.Scalar(delimiter)))'")
        }
    }

    /// Reads a user's `--delimiter` value: `,` `comma` `tab` `\t` `;` `semicolon` `|` `pipe`, or any one ASCII character.
    public static func parse(userValue: String) -> UInt8? {
        switch userValue.lowercased() {
        case "comma", "逗号": return 0x2C
        case "tab", "\\t", "\t", "制表符": return 0x09
        case "semicolon", "分号": return 0x3B
        case "pipe", "竖线": return 0x7C
        default:
            guard userValue.utf8.count == 1, let byte = userValue.utf8.first, byte >= 0x20, byte < 0x7F,
                  byte != 0x22, byte != 0x20 else { return nil }
            return byte
        }
    }
}
