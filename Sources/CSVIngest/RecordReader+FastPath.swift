/// The fast path of the record reader: plain records read by the vectorised tokenizer, in place.
///
/// It runs whenever libcsv stands between records, and stops at the first record it does not
/// read exactly as libcsv would (`FastTokenizer`); libcsv reads that record, and the fast path
/// goes on from the next record start libcsv leaves it at. Lines, blank lines, records and
/// checkpoints are counted as libcsv's reading counts them, so the two are one reader.
extension RecordReader {
    /// Why the fast path stopped.
    enum FastStop {
        /// At `end`, having read everything before it.
        case end
        /// At the first record start at or past the soft limit (more to read).
        case softLimit
        /// At the first byte of a record it hands to libcsv.
        case handOver
        /// At the first byte of a record that `end` cuts short.
        case cutRecord
    }

    /// Reads plain records from `position` up to `end`, stopping at the first record start at or
    /// past `softLimit`; `position`, the line count and the other counts are left where it stopped.
    func readFast(upTo end: Int, softLimit: Int) -> FastStop {
        let base = text.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let textCount = text.count
        let tokenizer = FastTokenizer(delimiter: delimiterByte, maxFieldBytes: maxFieldBytes)
        let tabIsSpace = delimiterByte != 0x09
        var recordStart = position
        var fieldStart = position
        var fields = 0
        var line = currentLine
        var blockStart = position
        // The first byte at or after `position` that the fast path does not handle.
        var firstSpecial = Int.max
        var lastCheckpoint = checkpoints.last?.offset ?? 0
        var stop = FastStop.end
        let batching = batchHandler != nil
        defer {
            handBatchOver(base: base)
            position = recordStart
            currentLine = line
            recordFirstLine = line
            anchor = (recordStart, line)
            lastTerminatorWasCR = false
        }

        /// Whether libcsv reads the field's bytes as they stand: not too long, no space or tab
        /// at either end (libcsv trims those).
        @inline(__always) func plain(_ start: Int, _ end: Int) -> Bool {
            let length = end - start
            if length > maxFieldBytes { return false }
            if length == 0 { return true }
            let first = base[start], last = base[end - 1]
            if first == 0x20 || last == 0x20 { return false }
            return !(tabIsSpace && (first == 0x09 || last == 0x09))
        }

        /// Hands the record from `recordStart` to `lineEnd` to the handler, as a view into the text
        /// (or adds it to the batch, handing the batch over first when the record cannot join it).
        @inline(__always) func deliver(endingAt lineEnd: Int) {
            setFieldEnd(fields, to: lineEnd - recordStart)
            if batching {
                if !batch.accepts(fields: fields + 1) { handBatchOver(base: base) }
                batch.append(start: recordStart, line: line, fieldEnds: fieldEnds, fields: fields + 1)
                recordCount += 1
                fastRecords += 1
                return
            }
            let view = RecordView(base: base + recordStart, ends: UnsafePointer(fieldEnds), gap: 1,
                                  fieldCount: fields + 1, firstLine: line, lastLine: line)
            recordCount += 1
            fastRecords += 1
            handler(view)
        }

        blocks: while blockStart < end {
            if recordStart >= softLimit, recordStart > position {
                stop = .softLimit
                break blocks
            }
            let available = end - blockStart
            let masks = available >= 64 ? tokenizer.classify(base + blockStart)
                                        : tokenizer.classifyScalar(base + blockStart, count: available)
            if masks.special != 0, firstSpecial == .max {
                var special = masks.special
                while special != 0 {
                    let at = blockStart + special.trailingZeroBitCount
                    // A CR right before an LF ends the line: read.
                    if !(base[at] == 0x0D && at + 1 < textCount && base[at + 1] == 0x0A) {
                        firstSpecial = at
                        break
                    }
                    special &= special - 1
                }
            }
            var events = masks.separators | masks.lineFeeds
            while events != 0 {
                let bit = events.trailingZeroBitCount
                let at = blockStart + bit
                if at >= firstSpecial {
                    stop = .handOver
                    break blocks
                }
                if masks.lineFeeds & (1 << UInt64(bit)) == 0 {
                    guard plain(fieldStart, at) else {
                        stop = .handOver
                        break blocks
                    }
                    setFieldEnd(fields, to: at - recordStart)
                    fields += 1
                    fieldStart = at + 1
                } else {
                    var lineEnd = at
                    if lineEnd > fieldStart, base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    if fields == 0, lineEnd == recordStart {
                        blankLines += 1
                    } else {
                        guard plain(fieldStart, lineEnd) else {
                            stop = .handOver
                            break blocks
                        }
                        deliver(endingAt: lineEnd)
                    }
                    line += 1
                    recordStart = at + 1
                    fieldStart = recordStart
                    fields = 0
                    if recordStart - lastCheckpoint >= 1 << 20 {
                        lastCheckpoint = recordStart
                        checkpoints.append(LineCheckpoint(offset: recordStart, line: line))
                    }
                }
                events &= events - 1
            }
            blockStart += 64
        }
        if stop == .end, recordStart < end {
            // The text's last record, without a line break: read it as libcsv's finish would.
            guard end == textCount, firstSpecial >= end, plain(fieldStart, end) else { return .cutRecord }
            deliver(endingAt: end)
            recordStart = end
        }
        return stop
    }
}
