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

    /// The byte offset at which each line starts (index 0 is line 1), plus the end offset.
    static func lineStarts(in bytes: UnsafeRawBufferPointer) -> [Int] {
        var starts = [0]
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == 0x0A {
                starts.append(index + 1)
            } else if byte == 0x0D {
                if index + 1 < count, bytes[index + 1] == 0x0A { index += 1 }
                starts.append(index + 1)
            }
            index += 1
        }
        if starts.last != count { starts.append(count) }
        return starts
    }
}

extension LineIndex {
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
