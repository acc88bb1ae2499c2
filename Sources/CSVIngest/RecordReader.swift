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
    public let fieldCount: Int
    /// First physical line of the record (1-based, relative to the start of the parsed bytes).
    public let firstLine: Int
    /// Last physical line of the record (greater than `firstLine` when a quoted field holds line breaks).
    public let lastLine: Int

    /// The bytes of field `index`.
    @inlinable
    public func field(_ index: Int) -> UnsafeRawBufferPointer {
        let start = index == 0 ? 0 : ends[index - 1]
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
/// lines are skipped and counted. Strict mode makes a quote inside an unquoted field, text
/// after a closing quote and an unterminated quote errors, and a cap on field size stops one
/// stray quote from swallowing the rest of a file.
public final class RecordReader {
    public typealias Handler = (RecordView) -> Void

    private let parser: UnsafeMutablePointer<csv_parser>
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity: Int
    private var scratchLength = 0
    private var fieldEnds: UnsafeMutablePointer<Int>
    private var fieldEndsCapacity: Int
    private var fieldCount = 0

    /// The physical line the next unread byte is on.
    private(set) var currentLine = 1
    private var recordFirstLine = 1
    private var lastTerminatorWasCR = false
    /// Physical lines ended so far (by a line break outside quotes or inside a quoted field).
    var linesEnded: Int { currentLine - 1 }
    /// Lines that held no field (empty or spaces only).
    public private(set) var blankLines = 0
    /// Records delivered to the handler.
    public private(set) var recordCount = 0

    /// Whether a quote has been fed to the parser: until then no field can hold a line break
    /// (only a quoted field can), and fields are not scanned for them.
    private var quoteSeen = false

    private let maxFieldBytes: Int
    private let handler: Handler
    /// Set by a callback; libcsv cannot be stopped from inside one.
    private var oversizedFieldLine: Int?

    /// Creates a reader.
    ///
    /// - Parameters:
    ///   - delimiter: the field separator byte (comma, or tab for UTF-16 exports).
    ///   - maxFieldBytes: the longest field accepted.
    ///   - handler: called once per non-blank record, in order.
    public init(delimiter: UInt8 = 0x2C, maxFieldBytes: Int = 1 << 20, handler: @escaping Handler) {
        parser = .allocate(capacity: 1)
        precondition(csv_init(parser, UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)) == 0, "libcsv could not initialise")
        csv_set_delim(parser, delimiter)
        scratchCapacity = 4096
        scratch = .allocate(capacity: scratchCapacity)
        fieldEndsCapacity = 64
        fieldEnds = .allocate(capacity: fieldEndsCapacity)
        self.maxFieldBytes = maxFieldBytes
        self.handler = handler
    }

    deinit {
        csv_free(parser)
        parser.deallocate()
        scratch.deallocate()
        fieldEnds.deallocate()
    }

    /// Parses `bytes`, which continue whatever was parsed before.
    ///
    /// - Parameter progress: called after each block with the bytes of `bytes` consumed so far.
    /// - Throws: `RecordReader.Failure` with the line and field of a quoting error or oversized field.
    public func parse(_ bytes: UnsafeRawBufferPointer, progress: ((Int) -> Void)? = nil) throws(Failure) {
        guard let base = bytes.baseAddress else { return }
        let context = Unmanaged.passUnretained(self).toOpaque()
        let blockSize = 1 << 20
        var offset = 0
        while offset < bytes.count {
            let length = min(blockSize, bytes.count - offset)
            if !quoteSeen { quoteSeen = memchr(base + offset, 0x22, length) != nil }
            let consumed = csv_parse(parser, base + offset, length, readerFieldCallback, readerRecordCallback, context)
            try checkOversized()
            if consumed != length {
                let errorOffset = offset + consumed
                let line = LineIndex.lineNumber(ofOffset: errorOffset, in: bytes)
                if csv_error(parser) == CSV_EPARSE {
                    throw Failure(kind: .strayQuote, line: line, field: fieldCount + 1)
                }
                throw Failure(kind: .outOfMemory, line: line, field: fieldCount + 1)
            }
            offset += length
            progress?(offset)
        }
    }

    /// Ends the input: delivers a last record without a line break, and rejects an open quote.
    public func finish() throws(Failure) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        let openFieldLine = currentLine
        let status = csv_fini(parser, readerFieldCallback, readerRecordCallback, context)
        try checkOversized()
        // csv_fini returns -1 and sets the status to CSV_EPARSE for an open quote.
        if status != 0 {
            if csv_error(parser) == CSV_EPARSE {
                throw Failure(kind: .unterminatedQuote, line: openFieldLine, field: fieldCount + 1)
            }
            throw Failure(kind: .outOfMemory, line: openFieldLine, field: fieldCount + 1)
        }
    }

    private func checkOversized() throws(Failure) {
        if let line = oversizedFieldLine {
            throw Failure(kind: .fieldTooLong(maxFieldBytes), line: line, field: fieldCount + 1)
        }
        if parser.pointee.entry_pos > maxFieldBytes {
            throw Failure(kind: .fieldTooLong(maxFieldBytes), line: currentLine, field: fieldCount + 1)
        }
    }

    fileprivate func appendField(_ data: UnsafeMutableRawPointer?, _ length: Int) {
        if length > maxFieldBytes, oversizedFieldLine == nil { oversizedFieldLine = currentLine }
        if scratchLength + length > scratchCapacity {
            var newCapacity = scratchCapacity * 2
            while scratchLength + length > newCapacity { newCapacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: scratch, count: scratchLength)
            scratch.deallocate()
            scratch = grown
            scratchCapacity = newCapacity
        }
        if length > 0, let data {
            let source = data.assumingMemoryBound(to: UInt8.self)
            (scratch + scratchLength).update(from: source, count: length)
            if quoteSeen { currentLine += Self.lineBreaks(in: source, count: length) }
        }
        scratchLength += length
        if fieldCount == fieldEndsCapacity {
            let grown = UnsafeMutablePointer<Int>.allocate(capacity: fieldEndsCapacity * 2)
            grown.update(from: fieldEnds, count: fieldCount)
            fieldEnds.deallocate()
            fieldEnds = grown
            fieldEndsCapacity *= 2
        }
        fieldEnds[fieldCount] = scratchLength
        fieldCount += 1
    }

    fileprivate func endRecord(_ terminator: Int32) {
        if fieldCount == 0 {
            // The LF of a CRLF whose CR ended the previous row or blank line.
            if terminator == 0x0A, lastTerminatorWasCR {
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
            base: UnsafePointer(scratch), ends: UnsafePointer(fieldEnds), fieldCount: fieldCount,
            firstLine: recordFirstLine, lastLine: currentLine)
        recordCount += 1
        handler(view)
        scratchLength = 0
        fieldCount = 0
        if terminator >= 0 { currentLine += 1 }
        lastTerminatorWasCR = terminator == 0x0D
        recordFirstLine = currentLine
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

    /// A quoting or size error at a line and field.
    public struct Failure: Error, Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case strayQuote
            case unterminatedQuote
            case fieldTooLong(Int)
            case outOfMemory
        }

        public var kind: Kind
        public var line: Int
        public var field: Int

        public var message: LocalizedText {
            switch kind {
            case .strayQuote:
                return LocalizedText(
                    zh: "引号用法不对：字段中间出现了引号，或引号结束后还有文字。含引号的字段应整体加引号，内部引号写两遍（\"\"）。",
                    en: "misplaced quote: a quote inside a field that does not start with one, or text after a closing quote. Quote the whole field and double any quote inside it (\"\").")
            case .unterminatedQuote:
                return LocalizedText(
                    zh: "引号没有闭合：从这里开始的带引号字段直到文件末尾都没有结束引号。",
                    en: "unterminated quote: the quoted field starting here never closes before the end of the file.")
            case .fieldTooLong(let limit):
                return LocalizedText(
                    zh: "字段超过 \(limit) 字节，多半是从这里开始的引号没有闭合，吞掉了后面的内容（可用 --max-field-bytes 放宽）。",
                    en: "a field longer than \(limit) bytes: most likely a quote opened here never closes and swallows what follows (raise the limit with --max-field-bytes).")
            case .outOfMemory:
                return LocalizedText(zh: "解析时内存不足。", en: "out of memory while parsing.")
            }
        }
    }
}

private let readerFieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { data, length, context in
    // The guaranteed reference: the reader outlives the parse, so no retain and release per field.
    Unmanaged<RecordReader>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.appendField(data, length) }
}

private let readerRecordCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { terminator, context in
    Unmanaged<RecordReader>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.endRecord(terminator) }
}
