/// Physical line arithmetic over raw bytes: LF, CRLF and a lone CR each end one line.
enum LineIndex {
    /// About how many lines `byteCount` bytes hold, judged by the line breaks in `sample`
    /// (`lineDensity(of:)`), with a twentieth to spare; 0 when the sample has none. Column
    /// builders reserve this much so a load does not grow them by doubling.
    static func estimatedLines(inBytes byteCount: Int, sample: UnsafeRawBufferPointer) -> Int {
        estimatedLines(inBytes: byteCount, density: lineDensity(of: sample))
    }

    /// `estimatedLines(inBytes:sample:)` from a density already measured.
    static func estimatedLines(inBytes byteCount: Int, density: LineDensity) -> Int {
        guard density.breaks > 0 else { return 0 }
        return Int(Double(byteCount) * Double(density.breaks) / Double(density.sampled) * 1.05) + 16
    }

    /// Line breaks in so many bytes.
    struct LineDensity: Sendable {
        var breaks: Int
        var sampled: Int
    }

    /// The line breaks (LF, or a CR not followed by LF) in the first 64 KiB of `sample`.
    static func lineDensity(of sample: UnsafeRawBufferPointer) -> LineDensity {
        let sampled = min(sample.count, 1 << 16)
        var breaks = 0
        for index in 0..<sampled {
            let byte = sample[index]
            if byte == 0x0A || (byte == 0x0D && (index + 1 == sampled || sample[index + 1] != 0x0A)) { breaks += 1 }
        }
        return LineDensity(breaks: breaks, sampled: sampled)
    }

    /// The 1-based line on which byte `offset` lies.
    static func lineNumber(ofOffset offset: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        var line = 1
        var index = 0
        let end = min(offset, bytes.count)
        while index < end {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
            } else if byte == 0x0D {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                    if index + 1 < end { index += 1 } else { break }
                }
                line += 1
            }
            index += 1
        }
        return line
    }
}

/// A place in a text whose physical line is known (`offset` is on line `line`).
public struct LineCheckpoint: Sendable, Equatable {
    public var offset: Int
    public var line: Int
}

extension LineIndex {
    /// The bytes of lines `first` through `last` (1-based), without the final line break; the
    /// count starts from the last checkpoint at or before line `first` (or the text's start),
    /// or from `hint` when that is nearer (the previous line found, for lines asked in order), so
    /// finding lines near the end of a large file, or many lines in turn, reads little. Nil past
    /// the text's end.
    static func lines(_ first: Int, through last: Int, in text: UnsafeRawBufferPointer, checkpoints: [LineCheckpoint],
                      hint: LineCheckpoint? = nil) -> Range<Int>? {
        // The last checkpoint on or before line `first`, by binary search.
        var low = 0, high = checkpoints.count
        while low < high {
            let middle = (low + high) / 2
            if checkpoints[middle].line <= first { low = middle + 1 } else { high = middle }
        }
        var from = low > 0 ? checkpoints[low - 1] : LineCheckpoint(offset: 0, line: 1)
        if let hint, hint.line <= first, hint.offset > from.offset { from = hint }
        let rest = UnsafeRawBufferPointer(rebasing: text[from.offset...])
        // The checkpoint may stand inside its line: count from it to the breaks that follow.
        guard var start = first == from.line ? lineStart(before: from.offset, in: text)
                : LineIndex.offset(afterLines: first - from.line, in: rest).map({ $0 + from.offset }) else { return nil }
        start = min(start, text.count)
        var end = LineIndex.offset(afterLines: last - first + 1, in: UnsafeRawBufferPointer(rebasing: text[start...])).map { $0 + start } ?? text.count
        while end > start, text[end - 1] == 0x0A || text[end - 1] == 0x0D { end -= 1 }
        return start..<end
    }

    /// The start of the line that holds `offset`.
    static func lineStart(before offset: Int, in text: UnsafeRawBufferPointer) -> Int {
        var index = min(offset, text.count)
        while index > 0, text[index - 1] != 0x0A, text[index - 1] != 0x0D { index -= 1 }
        return index
    }

    /// The offset just past the first `lines` physical line breaks; nil when there are fewer.
    static func offset(afterLines lines: Int, in bytes: UnsafeRawBufferPointer) -> Int? {
        if lines == 0 { return 0 }
        var seen = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                if byte == 0x0D, index + 1 < count, bytes[index + 1] == 0x0A { index += 1 }
                seen += 1
                if seen == lines { return index + 1 }
            }
            index += 1
        }
        return nil
    }
}
