import CLibCSV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// One parsed record: its fields' bytes and the physical lines it spans.
///
/// The bytes live in the reader's scratch buffer and are valid only during the handler call.
public struct RecordView {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let ends: UnsafePointer<Int>
    /// Bytes between one field's end and the next one's start: 0 when the fields were copied
    /// back to back (libcsv's path), 1 when they are read in place in the text (the fast path,
    /// where a separator stands between them).
    @usableFromInline let gap: Int
    public let fieldCount: Int
    /// First physical line of the record (1-based, relative to the start of the parsed bytes).
    public let firstLine: Int
    /// Last physical line of the record (greater than `firstLine` when a quoted field holds line breaks).
    public let lastLine: Int

    /// The bytes of field `index`.
    @inlinable
    public func field(_ index: Int) -> UnsafeRawBufferPointer {
        let start = index == 0 ? 0 : ends[index - 1] + gap
        return UnsafeRawBufferPointer(start: base + start, count: ends[index] - start)
    }

    /// The text of field `index` (slow path: headers, messages).
    public func string(_ index: Int) -> String {
        String(decoding: field(index), as: UTF8.self)
    }

    /// The text of every field (slow path: the header).
    public var strings: [String] { (0..<fieldCount).map(string) }
}

/// Wraps a libcsv parser so that the program knows lines and fields exactly.
///
/// libcsv reports fields and row ends but no positions. With `CSV_REPALL_NL` it reports every
/// unquoted CR and LF, so the reader counts physical lines itself: a row end, a blank line, or
/// the LF half of a CRLF (an LF reported with no field since a CR). Line breaks inside quoted
/// fields are counted from the field's bytes, once the input has shown a quote (before that no
/// field can hold one, and the scan is skipped). Unquoted fields lose their surrounding spaces
/// and tabs (libcsv's default, kept on purpose: a stray space must not split a unit in two);
/// quoted fields are kept verbatim. Lines holding nothing but spaces are blank lines. Blank
/// lines are skipped and counted.
///
/// Quotes, decided explicitly (README, "How files are read"):
/// - A quote inside a field that did not start with one (`违反"三项制度"`, `5"3`) is text, as
///   DuckDB, Python and Excel read it, and counted (`textQuotes`). libcsv's strict mode stops
///   there; the reader feeds that one quote through non-strict mode and goes on. Excel's text
///   formula `="0012"` is read as its text, `0012`, and counted (`excelFormulas`).
/// - Quoting that changes where fields end is an error: text after a closing quote, a quote
///   that never closes, a quoted field longer than `maxFieldBytes`. Without recovery the reader
///   throws, naming the line and field where the quoted field opened and the line where the
///   parser gave up. With recovery (`--rejects`) the record is set aside, from its first line
///   to the line on which the bad quote opened, and reading resumes on the next line
///   (`RecordReader+Recovery.swift`).
///
/// A reader reads one text (`begin`), in as many calls to `parse(upTo:)` as the caller likes,
/// then `finish()`.
public final class RecordReader {
    public typealias Handler = (RecordView) -> Void
    /// Told of each record set aside under recovery.
    public typealias MalformedHandler = (Malformed) -> Void

    let parser: UnsafeMutablePointer<csv_parser>
    @exclusivity(unchecked) private var scratch: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var scratchCapacity: Int
    @exclusivity(unchecked) private var scratchLength = 0
    @exclusivity(unchecked) var fieldEnds: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) var fieldEndsCapacity: Int
    /// Fields of the record in progress.
    @exclusivity(unchecked) private(set) var fieldCount = 0

    /// The text being read and how far the parser has been fed.
    @exclusivity(unchecked) var text = UnsafeRawBufferPointer(start: nil, count: 0)
    @exclusivity(unchecked) public internal(set) var position = 0
    /// The furthest the parser has been fed: progress never goes back, though a recovery
    /// rewinds `position` to the line after a bad quote.
    @exclusivity(unchecked) private var furthest = 0
    /// A place whose line is known (a line start, or a checkpoint inside a line): where the line
    /// arithmetic for an error starts.
    @exclusivity(unchecked) var anchor = (offset: 0, line: 1)
    /// Places in the text whose line is known, in order: where the text of a rejected record is
    /// found again without counting lines from the start of the file.
    @exclusivity(unchecked) public internal(set) var checkpoints: [LineCheckpoint] = []

    /// The physical line the next unread byte is on.
    @exclusivity(unchecked) var currentLine = 1
    @exclusivity(unchecked) var recordFirstLine = 1
    @exclusivity(unchecked) var lastTerminatorWasCR = false
    /// Physical lines ended so far (by a line break outside quotes or inside a quoted field).
    var linesEnded: Int { currentLine - 1 }
    /// Lines that held no field (empty or spaces only).
    @exclusivity(unchecked) public internal(set) var blankLines = 0
    /// Records delivered to the handler.
    @exclusivity(unchecked) public internal(set) var recordCount = 0
    /// Records read by the fast path (the rest by libcsv).
    @exclusivity(unchecked) public internal(set) var fastRecords = 0
    /// Fields read with a quote in them as text (a quote inside a field that did not start with one).
    @exclusivity(unchecked) public private(set) var textQuotes = 0
    /// Excel text formulas (`="0012"`) read as their text.
    @exclusivity(unchecked) public private(set) var excelFormulas = 0
    /// Whether the field in progress has had a quote read as text.
    @exclusivity(unchecked) private var textQuoteInField = false
    /// Set when the text fed last ended with a lone CR followed by spaces and an LF: libcsv
    /// skips the spaces unseen, and the LF it reports next ends a line of its own, not a CRLF.
    @exclusivity(unchecked) private var spacedLineEnd = false

    /// Whether a quote has been fed to the parser: until then no field can hold a line break
    /// (only a quoted field can), and fields are not scanned for them.
    @exclusivity(unchecked) private var quoteSeen = false

    let maxFieldBytes: Int
    let recover: Bool
    /// Whether plain records are read by the vectorised tokenizer (`FastTokenizer`), libcsv
    /// reading only those it hands over; off, libcsv reads every record (`--parser libcsv`).
    let fastPath: Bool
    let handler: Handler
    /// When set, the fast path gathers its records into batches and hands each batch here
    /// instead of each record to `handler` (libcsv's records still go to `handler`, one by
    /// one, and every batch is handed over before the fast path stops, so the order holds).
    var batchHandler: ((RecordBatch) -> Void)?
    @exclusivity(unchecked) var batch = RecordBatchBuffer()
    let malformedHandler: MalformedHandler?
    /// A field that ended longer than `maxFieldBytes`: the line it opened on and its number.
    /// Set by a callback (libcsv cannot be stopped from inside one); until the parse call
    /// returns, the records after it are discarded, to be read again after it is set aside.
    @exclusivity(unchecked) private var oversizedField: (line: Int, field: Int)?

    static let strictOptions = UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)
    /// libcsv's parser states (libcsv.c): the ones the reader needs to tell apart.
    static let rowNotBegun: Int32 = 0
    static let fieldNotBegun: Int32 = 1
    static let fieldBegun: Int32 = 2

    /// Creates a reader.
    ///
    /// - Parameters:
    ///   - delimiter: the field separator byte.
    ///   - maxFieldBytes: the longest field accepted.
    ///   - recover: set malformed records aside (`malformed` is told) and read on, instead of throwing.
    ///   - fastPath: read plain records with the vectorised tokenizer, handing the rest to libcsv.
    ///   - handler: called once per non-blank record, in order.
    public init(delimiter: UInt8 = 0x2C, maxFieldBytes: Int = 1 << 20, recover: Bool = false, fastPath: Bool = false,
                malformed: MalformedHandler? = nil, handler: @escaping Handler) {
        self.fastPath = fastPath
        parser = .allocate(capacity: 1)
        precondition(csv_init(parser, Self.strictOptions) == 0, "libcsv could not initialise")
        csv_set_delim(parser, delimiter)
        scratchCapacity = 4096
        scratch = .allocate(capacity: scratchCapacity)
        fieldEndsCapacity = 64
        fieldEnds = .allocate(capacity: fieldEndsCapacity)
        self.maxFieldBytes = maxFieldBytes
        self.recover = recover
        self.malformedHandler = malformed
        self.handler = handler
    }

    deinit {
        csv_free(parser)
        parser.deallocate()
        scratch.deallocate()
        fieldEnds.deallocate()
        batch.deallocate()
    }

    /// Hands the records gathered (`batchHandler`) over, if any.
    func handBatchOver(base: UnsafePointer<UInt8>) {
        guard batch.count > 0, let batchHandler else { return }
        batchHandler(batch.batch(base: base))
        batch.removeAll()
    }

    /// Starts reading `text` from its first byte, which starts a line.
    public func begin(_ text: UnsafeRawBufferPointer) {
        self.text = text
        position = 0
        furthest = 0
        anchor = (0, currentLine)
    }

    /// Reads all of `text` (`begin`, then `parse(upTo:)` its end); `finish()` is still to be called.
    ///
    /// - Parameter progress: called after each block with the bytes of `text` consumed so far.
    public func parse(_ text: UnsafeRawBufferPointer, progress: ((Int) -> Void)? = nil) throws(Failure) {
        begin(text)
        try parse(upTo: text.count, progress: progress)
    }

    /// Feeds the parser the text from `position` up to `end`; `progress` is told each new
    /// furthest offset reached (never a smaller one).
    public func parse(upTo end: Int, progress: ((Int) -> Void)? = nil) throws(Failure) {
        guard let base = text.baseAddress else { return }
        let context = Unmanaged.passUnretained(self).toOpaque()
        let blockSize = 1 << 20
        while position < end {
            var length = min(blockSize, end - position)
            if fastPath, atRecordBoundary, !(lastTerminatorWasCR && text[position] == 0x0A) {
                let stop = readFast(upTo: end, softLimit: position + blockSize)
                if position > furthest {
                    furthest = position
                    progress?(position)
                }
                switch stop {
                case .end: continue
                case .softLimit: continue
                case .handOver:
                    // libcsv reads up to and with the next line feed, then the fast path again
                    // if that left it between records.
                    length = Self.throughLineFeed(base, from: position, within: end - position)
                case .cutRecord:
                    // A record that `end` cuts: libcsv holds it until the text goes on.
                    length = end - position
                }
            } else if fastPath {
                // libcsv is inside a record the fast path handed over (a quoted field across
                // lines, say): a line at a time, so that the fast path takes over again as soon
                // as libcsv stands between records.
                length = Self.throughLineFeed(base, from: position, within: length)
            }
            // Up to and including a CR that spaces and an LF follow, so that the LF is known for a line of its own.
            if let lone = Self.crBeforeSpacedLF(in: text, from: position, to: position + length) { length = lone + 1 - position }
            if !quoteSeen { quoteSeen = memchr(base + position, 0x22, length) != nil }
            let consumed = csv_parse(parser, base + position, length, readerFieldCallback, readerRecordCallback, context)
            if consumed == length, text[position + length - 1] == 0x0D,
               Self.crBeforeSpacedLF(in: text, from: position + length - 1, to: position + length) != nil {
                spacedLineEnd = true
            }
            position += consumed
            if oversizedField != nil || consumed == length {
                // An over-long field (ended, or still open) is set aside here, at a block's end.
                try checkOversized()
                noteCheckpoint()
                if position > furthest {
                    furthest = position
                    progress?(min(position, end))
                }
                continue
            }
            guard csv_error(parser) == CSV_EPARSE else {
                throw Failure(kind: .outOfMemory, line: currentLine, field: fieldCount + 1)
            }
            if parser.pointee.pstate == Self.fieldBegun, parser.pointee.quoted == 0 {
                readQuoteAsText(at: position)
                continue
            }
            // Text after a closing quote (or a lone quote after one and spaces): the field in
            // progress opened on the current line.
            try setAside(Failure(kind: .textAfterClosingQuote, line: currentLine, field: fieldCount + 1), detectedAt: position)
        }
    }

    /// Whether the parser stands between records (nothing of a record read yet).
    public var atRecordBoundary: Bool {
        parser.pointee.pstate == Self.rowNotBegun && fieldCount == 0 && parser.pointee.entry_pos == 0
    }

    /// Ends the input: delivers a last record without a line break, and rejects (or sets aside)
    /// a quote still open.
    public func finish() throws(Failure) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        while true {
            if parser.pointee.pstate == Self.fieldBegun, parser.pointee.quoted != 0 {
                try setAside(Failure(kind: .unterminatedQuote, line: currentLine, field: fieldCount + 1),
                             detectedAt: max(0, text.count - 1))
                try parse(upTo: text.count)
                continue
            }
            let status = csv_fini(parser, readerFieldCallback, readerRecordCallback, context)
            if oversizedField != nil {
                try checkOversized()
                try parse(upTo: text.count)
                continue
            }
            if status != 0 { throw Failure(kind: .outOfMemory, line: currentLine, field: fieldCount + 1) }
            return
        }
    }

    /// The quote at `offset` stands inside an unquoted field: libcsv's strict mode stopped on it.
    /// It is fed alone in non-strict mode, where libcsv keeps it as a character of the field.
    private func readQuoteAsText(at offset: Int) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        csv_set_opts(parser, UInt8(CSV_STRICT_FINI | CSV_REPALL_NL))
        parser.pointee.status = 0
        let fed = csv_parse(parser, text.baseAddress! + offset, 1, readerFieldCallback, readerRecordCallback, context)
        csv_set_opts(parser, Self.strictOptions)
        precondition(fed == 1, "libcsv did not take a quote in non-strict mode")
        textQuoteInField = true
        position = offset + 1
    }

    private func checkOversized() throws(Failure) {
        if let (line, field) = oversizedField {
            oversizedField = nil
            try setAside(Failure(kind: .fieldTooLong(maxFieldBytes), line: line, field: field), detectedAt: max(anchor.offset, position - 1))
        } else if parser.pointee.entry_pos > maxFieldBytes {
            try setAside(Failure(kind: .fieldTooLong(maxFieldBytes), line: currentLine, field: fieldCount + 1),
                         detectedAt: max(0, position - 1))
        }
    }

    /// Resets the parser and the record in progress, to read on from a line start.
    func restart(atLine line: Int, offset: Int) {
        csv_free(parser)
        precondition(csv_init(parser, Self.strictOptions) == 0, "libcsv could not initialise")
        csv_set_delim(parser, delimiterByte)
        scratchLength = 0
        fieldCount = 0
        textQuoteInField = false
        oversizedField = nil
        currentLine = line
        recordFirstLine = line
        lastTerminatorWasCR = false
        position = offset
        anchor = (offset, line)
        checkpoints.append(LineCheckpoint(offset: offset, line: line))
    }

    /// Records the line of `position` when it is known: outside any quoted field (whose line
    /// breaks are counted only when it ends), and not between the CR and LF of a line end.
    private func noteCheckpoint() {
        let state = parser.pointee.pstate
        guard oversizedField == nil, state == Self.rowNotBegun || state == Self.fieldNotBegun
                || (state == Self.fieldBegun && parser.pointee.quoted == 0),
              !(lastTerminatorWasCR && position < text.count && text[position] == 0x0A) else { return }
        if let last = checkpoints.last, position - last.offset < 1 << 20 { return }
        checkpoints.append(LineCheckpoint(offset: position, line: currentLine))
    }

    var delimiterByte: UInt8 { csv_get_delim(parser) }

    fileprivate func appendField(_ data: UnsafeMutableRawPointer?, _ fullLength: Int) {
        guard oversizedField == nil else { return }
        spacedLineEnd = false
        if fullLength > maxFieldBytes {
            oversizedField = (currentLine, fieldCount + 1)
            return
        }
        var source = data?.assumingMemoryBound(to: UInt8.self)
        var length = fullLength
        if textQuoteInField {
            textQuoteInField = false
            if let bytes = source, Self.isExcelTextFormula(bytes, length) {
                source = bytes + 2
                length -= 3
                excelFormulas += 1
            } else {
                textQuotes += 1
            }
        }
        if scratchLength + length > scratchCapacity {
            var newCapacity = scratchCapacity * 2
            while scratchLength + length > newCapacity { newCapacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: scratch, count: scratchLength)
            scratch.deallocate()
            scratch = grown
            scratchCapacity = newCapacity
        }
        if length > 0, let source {
            (scratch + scratchLength).update(from: source, count: length)
            if quoteSeen { currentLine += Self.lineBreaks(in: source, count: length) }
        }
        scratchLength += length
        setFieldEnd(fieldCount, to: scratchLength)
        fieldCount += 1
    }

    /// Sets the end of field `index` of the record in progress, making room when it is full.
    @inline(__always)
    func setFieldEnd(_ index: Int, to offset: Int) {
        if index == fieldEndsCapacity {
            let grown = UnsafeMutablePointer<Int>.allocate(capacity: fieldEndsCapacity * 2)
            grown.update(from: fieldEnds, count: index)
            fieldEnds.deallocate()
            fieldEnds = grown
            fieldEndsCapacity *= 2
        }
        fieldEnds[index] = offset
    }

    /// `="…"` with no other quote inside: how Excel keeps `0012` from becoming 12.
    private static func isExcelTextFormula(_ bytes: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        guard length >= 3, bytes[0] == 0x3D, bytes[1] == 0x22, bytes[length - 1] == 0x22 else { return false }
        return memchr(bytes + 2, 0x22, length - 3) == nil
    }

    fileprivate func endRecord(_ terminator: Int32) {
        guard oversizedField == nil else { return }
        let spaced = spacedLineEnd
        spacedLineEnd = false
        if fieldCount == 0 {
            // The LF of a CRLF whose CR ended the previous row or blank line (not one after a
            // CR and spaces, which ends a line of spaces).
            if terminator == 0x0A, lastTerminatorWasCR, !spaced {
                lastTerminatorWasCR = false
                return
            }
            if terminator >= 0 {
                blankLines += 1
                currentLine += 1
            }
            lastTerminatorWasCR = terminator == 0x0D
            recordFirstLine = currentLine
            return
        }
        let view = RecordView(
            base: UnsafePointer(scratch), ends: UnsafePointer(fieldEnds), gap: 0, fieldCount: fieldCount,
            firstLine: recordFirstLine, lastLine: currentLine)
        recordCount += 1
        handler(view)
        scratchLength = 0
        fieldCount = 0
        if terminator >= 0 { currentLine += 1 }
        lastTerminatorWasCR = terminator == 0x0D
        recordFirstLine = currentLine
    }

    /// The bytes from `offset` up to and with the first line feed among the next `limit` bytes
    /// (all `limit` when there is none).
    @inline(__always)
    static func throughLineFeed(_ base: UnsafeRawPointer, from offset: Int, within limit: Int) -> Int {
        memchr(base + offset, 0x0A, limit).map { base.distance(to: UnsafeRawPointer($0)) + 1 - offset } ?? limit
    }

    /// The first CR in `text[from..<to]` followed by one or more spaces or tabs and then an LF
    /// (a CRLF is passed over at once, so a CRLF file costs one `memchr` a line).
    static func crBeforeSpacedLF(in text: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        guard let base = text.baseAddress else { return nil }
        var index = from
        while index < to, let found = memchr(base + index, 0x0D, to - index) {
            let cr = base.distance(to: UnsafeRawPointer(found))
            var next = cr + 1
            while next < text.count, text[next] == 0x20 || text[next] == 0x09 { next += 1 }
            if next > cr + 1, next < text.count, text[next] == 0x0A { return cr }
            index = cr + 1
        }
        return nil
    }

    /// Line breaks inside a field: each LF, and each CR not followed by LF.
    private static func lineBreaks(in bytes: UnsafePointer<UInt8>, count: Int) -> Int {
        var breaks = 0
        var index = 0
        // Most fields hold no CR or LF: skip eight bytes at a time while no byte is below 0x0E.
        let raw = UnsafeRawPointer(bytes)
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let below: UInt64 = 0x7272_7272_7272_7272 // 0x7F - 0x0D: a byte ≤ 0x0D carries into bit 7 only when ≥ 0x0E
        while index + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            // Bit 7 of each byte set when the byte is ≥ 0x0E (or has its own bit 7 set).
            let large = ((word & low7) &+ below) | word
            if large & ~low7 != ~low7 { break }
            index += 8
        }
        while index < count {
            let byte = bytes[index]
            if byte == 0x0A {
                breaks += 1
            } else if byte == 0x0D, index + 1 >= count || bytes[index + 1] != 0x0A {
                breaks += 1
            }
            index += 1
        }
        return breaks
    }
}

private let readerFieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { data, length, context in
    // The guaranteed reference: the reader outlives the parse, so no retain and release per field.
    Unmanaged<RecordReader>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.appendField(data, length) }
}

private let readerRecordCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { terminator, context in
    Unmanaged<RecordReader>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.endRecord(terminator) }
}
