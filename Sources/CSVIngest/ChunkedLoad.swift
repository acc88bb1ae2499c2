import Kernels
import Columnar
import Synchronization

/// The parallel load: the text after the header cut into chunks at record boundaries, one
/// libcsv parser and one set of column builders per chunk, each on its own core, then the
/// chunks' columns appended in file order.
///
/// Boundaries are guessed by quote parity, never by searching for a raw line break (which may
/// lie inside a quoted field): the quotes before a cut point are counted (in parallel, per
/// stretch), and from the cut point the scan goes on, toggling at each quote, to the first line
/// break outside quotes. The guess is then checked, not trusted: a quote read as text inside an
/// unquoted field (`5"3`) or a malformed record set aside flips the parity that the guess
/// counted. A chunk that starts at a true record boundary reads exactly what a serial parse
/// reads there; if it also ends at a record boundary, the next chunk starts at a true one. The
/// first chunk that does not end at a boundary is read again serially from its start, on into
/// the following chunks, until the serial reader stands between records exactly at a later
/// chunk's start; from there the parallel chunks are right again. So the table, the rejected
/// rows and every error are the ones a single serial parse gives.
enum ChunkedLoad {
    /// What a chunk left behind.
    private final class ChunkResult: @unchecked Sendable {
        var state: LoadState?
        var linesEnded = 0
        var tally = ReadTally()
        var failure: RecordReader.Failure?
        /// False when a chunk that is not the last did not end exactly at a record's end.
        var endedCleanly = true
    }

    /// A stretch of records read by one reader, in file order.
    private struct Part {
        var state: LoadState
        var linesEnded: Int
        var failure: RecordReader.Failure?
        /// Where its text starts in the file's.
        var origin: Int
    }

    /// Progress summed over the chunks, reported under a lock.
    private final class ProgressSum: Sendable {
        let done = Mutex<Int>(0)
    }

    /// Loads `text` in `chunkCount` chunks on `width` threads into `state`, whose header is
    /// read here (`parsed` is told each stretch of `text` once it has been parsed); nil when the
    /// file is better loaded serially (no data after the header, or a header the probe cannot
    /// read). With `guessQuotes` and no census, whether each cut point lies inside quotes is
    /// guessed from the quotes after it (`guessInsideQuotes`) instead of counted from the start.
    /// `census`, when given, holds the quote marks of `text` (taken while it was checked
    /// as UTF-8), and the chunk plan reads the quote parity from it instead of counting again.
    ///
    /// - Returns: the state with every row, what the readers counted, and the number of parts
    ///   read (chunks read in parallel, plus stretches read again serially).
    /// - Throws: `PingchaError` for the file's first error, at the line a serial load names.
    static func load(text: UnsafeRawBufferPointer, state: LoadState, delimiter: UInt8, chunkCount: Int, width: Int,
                     census: QuoteCensus? = nil, guessQuotes: Bool = false, progress: (@Sendable (Int, Int) -> Void)?,
                     parsed: ((Range<Int>) -> Void)? = nil) throws -> (state: LoadState, tally: ReadTally, chunks: Int)? {
        guard let header = readHeader(text, delimiter: delimiter, maxFieldBytes: state.options.maxFieldBytes),
              header.end < text.count else { return nil }
        state.readHeader(fields: header.fields, line: header.firstLine)
        if let error = state.firstError { throw error }

        let starts = boundaries(in: text, from: header.end, chunkCount: chunkCount, width: width, census: census,
                                guessQuotes: guessQuotes ? delimiter : nil, counted: parsed, scanLimit: state.options.maxFieldBytes)
        let results = (0..<(starts.count - 1)).map { _ in ChunkResult() }
        // The rows each chunk's builders reserve, from one sample of the text after the header.
        let density = LineIndex.lineDensity(of: UnsafeRawBufferPointer(rebasing: text[header.end...]))
        // The first chunk's builders take the others' rows at the end (`LoadState.absorb`).
        let loadRows = LineIndex.estimatedLines(inBytes: text.count - header.end, density: density)
        let sum = ProgressSum()
        let total = text.count
        progress?(header.end, total)
        sum.done.withLock { $0 += header.end }
        ConcurrentTasks(results.count, width: width).run { index in
            let result = results[index]
            let chunkState = LoadState(chunkOf: state,
                                       expectedRows: LineIndex.estimatedLines(inBytes: starts[index + 1] - starts[index], density: density),
                                       roomForRows: index == 0 ? loadRows : 0)
            result.state = chunkState
            let reader = chunkState.makeReader(delimiter: delimiter)
            reader.begin(UnsafeRawBufferPointer(rebasing: text[starts[index]..<starts[index + 1]]))
            var reported = 0
            do throws(RecordReader.Failure) {
                try reader.parse(upTo: starts[index + 1] - starts[index]) { done in
                    parsed?((starts[index] + reported)..<(starts[index] + done))
                    let step = done - reported
                    reported = done
                    guard let progress else { return }
                    sum.done.withLock { value in
                        value += step
                        progress(value, total)
                    }
                }
                // A chunk that is not the last must end between records; its last record
                // belongs to the serial reading that follows if not.
                if index == results.count - 1 { try reader.finish() } else { result.endedCleanly = reader.atRecordBoundary }
            } catch {
                result.failure = error
            }
            result.linesEnded = reader.linesEnded
            result.tally = chunkState.adopt(reader)
        }

        // In file order: parallel chunks while each starts at a true boundary, serial stretches between.
        var parts: [Part] = []
        var tally = header.tally
        tally.blankLines = header.firstLine - 1
        var index = 0
        while index < results.count {
            let result = results[index]
            guard let chunkState = result.state else { return nil }
            if result.endedCleanly || result.failure != nil {
                parts.append(Part(state: chunkState, linesEnded: result.linesEnded, failure: result.failure, origin: starts[index]))
                tally += result.tally
                if result.failure != nil { break }   // only without recovery: the load stops here
                index += 1
                continue
            }
            // The chunks read again give their memory back first.
            result.state = nil
            let (part, next, partTally) = readSerially(text: text, starts: starts, from: index, parent: state, delimiter: delimiter,
                                                       density: density, loadRows: loadRows, parsed: parsed) { results[$0].state = nil }
            parts.append(part)
            tally += partTally
            if part.failure != nil { break }
            index = next
        }

        var shifts: [Int] = []
        var linesBefore = header.lastLine
        for part in parts {
            if let error = part.state.firstError(after: part.failure, shift: linesBefore) { throw error }
            shifts.append(linesBefore)
            linesBefore += part.linesEnded
        }
        state.absorb(parts.map(\.state), lineShifts: shifts, offsetShifts: parts.map(\.origin), width: width)
        return (state, tally, parts.count)
    }

    /// Reads serially from chunk `first`'s start until the reader stands between records exactly
    /// at a later chunk's start (returned as `next`), or to the end of the text.
    private static func readSerially(text: UnsafeRawBufferPointer, starts: [Int], from first: Int, parent: LoadState,
                                     delimiter: UInt8, density: LineIndex.LineDensity, loadRows: Int, parsed: ((Range<Int>) -> Void)?,
                                     passed: (Int) -> Void) -> (part: Part, next: Int, tally: ReadTally) {
        let origin = starts[first]
        // Room for the first chunk's rows (the whole load's from the first chunk, as the parallel
        // reading's); a reading that goes on past it grows as it must.
        let state = LoadState(chunkOf: parent, expectedRows: LineIndex.estimatedLines(inBytes: starts[first + 1] - origin, density: density),
                              roomForRows: first == 0 ? loadRows : 0)
        let reader = state.makeReader(delimiter: delimiter)
        reader.begin(UnsafeRawBufferPointer(rebasing: text[origin...]))
        var next = first + 1
        var failure: RecordReader.Failure?
        // The pages read again are given back as they are read, as the chunks' were.
        var reported = 0
        let release = { (done: Int) in
            parsed?((origin + reported)..<(origin + done))
            reported = done
        }
        do throws(RecordReader.Failure) {
            while next < starts.count - 1 {
                try reader.parse(upTo: starts[next] - origin, progress: release)
                if reader.position == starts[next] - origin, reader.atRecordBoundary { break }
                passed(next)
                next += 1
            }
            if next == starts.count - 1 {
                try reader.parse(upTo: text.count - origin, progress: release)
                try reader.finish()
            }
        } catch {
            failure = error
        }
        let tally = state.adopt(reader)
        return (Part(state: state, linesEnded: reader.linesEnded, failure: failure, origin: origin), next, tally)
    }

    /// The header record: its fields and lines, the offset just past it, and what its reading
    /// counted (quotes read as text in the header count as in a serial load).
    static func readHeader(_ text: UnsafeRawBufferPointer, delimiter: UInt8, maxFieldBytes: Int)
        -> (fields: [String], firstLine: Int, lastLine: Int, end: Int, tally: ReadTally)? {
        var found: (fields: [String], firstLine: Int, lastLine: Int)?
        let reader = RecordReader(delimiter: delimiter, maxFieldBytes: maxFieldBytes) { record in
            if found == nil {
                found = (record.strings, record.firstLine, record.lastLine)
            }
        }
        reader.begin(text)
        var offset = 0
        let block = 1 << 12
        while found == nil, offset < text.count {
            let end = min(text.count, offset + block)
            do {
                try reader.parse(upTo: end)
            } catch {
                // An error after the header is the chunks' to find; one inside it, the serial parse's.
                if found == nil { return nil }
            }
            offset = end
        }
        guard let found, let end = LineIndex.offset(afterLines: found.lastLine, in: text) else { return nil }
        // The probe read past the header; the header's own counts come from reading it alone.
        let alone = RecordReader(delimiter: delimiter, maxFieldBytes: maxFieldBytes) { _ in }
        do {
            try alone.parse(UnsafeRawBufferPointer(rebasing: text[..<end]))
            try alone.finish()
        } catch {
            return nil
        }
        var tally = ReadTally()
        tally += alone
        tally.blankLines = 0
        return (found.fields, found.firstLine, found.lastLine, end, tally)
    }

    /// Chunk starts: `start`, then about every `(count - start) / chunkCount` bytes the first
    /// offset after a line break outside quotes, then `text.count`. The quotes before each cut
    /// point come from `census` when there is one, else they are counted here (`counted` is told
    /// each stretch once it has been read). A scan that finds no line break outside quotes
    /// within `scanLimit` bytes (the longest field a load accepts) has been misled by a quote
    /// read as text or a malformed record, and cuts at the next line break instead: the cuts are
    /// guesses that the load checks, and a good guess only saves a serial reading.
    static func boundaries(in text: UnsafeRawBufferPointer, from start: Int, chunkCount: Int, width: Int,
                           census: QuoteCensus? = nil, guessQuotes delimiter: UInt8? = nil, counted: ((Range<Int>) -> Void)? = nil,
                           scanLimit: Int = .max) -> [Int] {
        let length = text.count - start
        let pieces = max(1, min(chunkCount, length))
        let cuts = (0...pieces).map { start + Int((Int64(length) * Int64($0)) / Int64(pieces)) }
        if census == nil, let delimiter {
            var result = [start]
            for piece in 1..<pieces {
                let boundary = cuts[piece] < result.last!
                    ? recordStart(in: text, from: result.last!, insideQuotes: false, scanLimit: scanLimit)
                    : recordStart(in: text, from: cuts[piece], insideQuotes: guessInsideQuotes(in: text, at: cuts[piece], delimiter: delimiter),
                                  scanLimit: scanLimit)
                if boundary > result.last!, boundary < text.count { result.append(boundary) }
            }
            result.append(text.count)
            return result
        }
        // Quotes in each stretch between cut points: from the census, or counted in parallel.
        let quoteCounts = UnsafeMutableBufferPointer<Int>.allocate(capacity: pieces)
        defer { quoteCounts.deallocate() }
        if let census {
            for piece in 0..<pieces { quoteCounts[piece] = census.quotes(in: cuts[piece]..<cuts[piece + 1], of: text) }
        } else {
            ConcurrentTasks(pieces, width: width).run { piece in
                var total = 0
                var offset = cuts[piece]
                while offset < cuts[piece + 1] {
                    let end = min(cuts[piece + 1], offset + (8 << 20))
                    total += ByteCount.occurrences(of: EncodingDetector.quoteMark, in: UnsafeRawBufferPointer(rebasing: text[offset..<end]))
                    counted?(offset..<end)
                    offset = end
                }
                quoteCounts[piece] = total
            }
        }
        var result = [start]
        var quotesBefore = 0
        for piece in 1..<pieces {
            quotesBefore += quoteCounts[piece - 1]
            // A scan that ran past this cut point already ended at a record start.
            let boundary = cuts[piece] < result.last!
                ? recordStart(in: text, from: result.last!, insideQuotes: false, scanLimit: scanLimit)
                : recordStart(in: text, from: cuts[piece], insideQuotes: quotesBefore & 1 == 1, scanLimit: scanLimit)
            if boundary > result.last!, boundary < text.count { result.append(boundary) }
        }
        result.append(text.count)
        return result
    }

    /// Whether the byte at `offset` seems to lie inside a quoted field, told by the first quote
    /// mark after it that tells: one followed by `delimiter`, a line break or the end closes a
    /// field (inside); one after `delimiter` or a line break opens one (outside); a doubled
    /// quote, or a quote inside unquoted text (`5"3`), tells nothing. With no quote that tells
    /// within `window` bytes: outside. A guess, checked as every cut is (the type's doc).
    static func guessInsideQuotes(in text: UnsafeRawBufferPointer, at offset: Int, delimiter: UInt8, window: Int = 1 << 16) -> Bool {
        let end = min(text.count, offset + window)
        @inline(__always) func endsField(_ byte: UInt8) -> Bool { byte == delimiter || byte == 0x0A || byte == 0x0D }
        var index = offset
        while index < end {
            guard text[index] == 0x22 else {
                index += 1
                continue
            }
            let next = index + 1 < text.count ? text[index + 1] : nil
            if next == 0x22 {
                index += 2
                continue
            }
            if next.map(endsField) ?? true { return true }
            if index == 0 || endsField(text[index - 1]) { return false }
            index += 1
        }
        return false
    }

    /// The offset just past the first line break outside quotes at or after `offset`
    /// (`text.count` when there is none); past `scanLimit` bytes without one, the offset just past
    /// the first line break at all.
    static func recordStart(in text: UnsafeRawBufferPointer, from offset: Int, insideQuotes: Bool, scanLimit: Int = .max,
                            quotes: Bool = true) -> Int {
        var quoted = insideQuotes
        var index = offset
        let count = text.count
        while index < count {
            if index - offset > scanLimit { return recordStart(in: text, from: offset, insideQuotes: false, scanLimit: .max, quotes: false) }
            let byte = text[index]
            if byte == 0x22, quotes {
                quoted.toggle()
            } else if !quoted, byte == 0x0A || byte == 0x0D {
                if byte == 0x0D, index + 1 < count, text[index + 1] == 0x0A { return index + 2 }
                return index + 1
            }
            index += 1
        }
        return count
    }
}

/// Counting one byte value, eight bytes at a time.
enum ByteCount {
    static func occurrences(of byte: UInt8, in bytes: UnsafeRawBufferPointer) -> Int {
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        var total = 0
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ pattern
            // A byte of `word` is zero exactly when its high bit ends up clear here.
            let nonZero = ((word & low7) &+ low7) | word
            total += (~nonZero & ~low7).nonzeroBitCount
            index += 8
        }
        while index < count {
            if bytes[index] == byte { total += 1 }
            index += 1
        }
        return total
    }
}
