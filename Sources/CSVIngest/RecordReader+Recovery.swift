import Columnar

/// What the reader does with quoting that changes where fields end: name where the quoted
/// field opened and where the parser gave up, and, under recovery, set the record aside and
/// read on.
///
/// The rule (README, "Bad rows"): a malformed record runs from its first line to the line on
/// which its bad quote opened; reading resumes at the start of the next line. So a stray quote
/// typed into a free-text field costs that one record, and the lines it would have swallowed
/// are read as the records they are.
extension RecordReader {
    /// A record set aside under recovery.
    public struct Malformed: Sendable, Equatable {
        public var firstLine: Int
        public var lastLine: Int
        public var failure: Failure
    }

    /// Throws `failure` (without recovery), or sets the record in progress aside and moves the
    /// reader to the start of the line after the one where the bad field opened. `offset` is
    /// where the parser gave up.
    func setAside(_ failure: Failure, detectedAt offset: Int) throws(Failure) {
        var failure = failure
        let located = locate(offset, resumeAfterLine: failure.line)
        // An over-long field is noticed at the end of a block, wherever blocks happen to end:
        // no line to name there.
        if case .fieldTooLong = failure.kind {} else { failure.gaveUpLine = located.line }
        guard recover else { throw failure }
        malformedHandler?(Malformed(firstLine: recordFirstLine, lastLine: failure.line, failure: failure))
        restart(atLine: failure.line + 1, offset: located.resume)
    }

    /// The line of byte `offset`, and the offset at which line `line + 1` starts (the text's
    /// end when there is none), counted from the anchor.
    func locate(_ offset: Int, resumeAfterLine line: Int) -> (line: Int, resume: Int) {
        precondition(anchor.line <= line && anchor.offset <= offset, "recovery before the anchor")
        // Count from the latest checkpoint that is not past the bad field's line, when it is
        // nearer than the anchor (a checkpoint may stand inside its line: only breaks are counted).
        if let nearer = checkpoints.last(where: { $0.line <= line && $0.offset <= offset }), nearer.offset > anchor.offset {
            anchor = (nearer.offset, nearer.line)
        }
        let bytes = text
        let count = bytes.count
        var lineNumber = anchor.line
        var index = anchor.offset
        var resume: Int?
        var lineOfOffset: Int?
        while index < count {
            if index >= offset, lineOfOffset == nil { lineOfOffset = lineNumber }
            if lineOfOffset != nil, resume != nil { break }
            // Skip eight bytes at a time while none can be a line break (all ≥ 0x0E).
            if index + 8 <= count, index + 8 <= offset || lineOfOffset != nil {
                let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
                if (((word & low7) &+ 0x7272_7272_7272_7272) | word) & ~low7 == ~low7 {
                    index += 8
                    continue
                }
            }
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                if byte == 0x0D, index + 1 < count, bytes[index + 1] == 0x0A {
                    if index + 1 >= offset, lineOfOffset == nil { lineOfOffset = lineNumber }
                    index += 1
                }
                lineNumber += 1
                if lineNumber == line + 1, resume == nil { resume = index + 1 }
            }
            index += 1
        }
        return (lineOfOffset ?? lineNumber, resume ?? count)
    }

    /// A quoting or size error at a line and field.
    public struct Failure: Error, Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// A closing quote followed by text (`"abc"def`), or an inner quote not written twice.
            case textAfterClosingQuote
            case unterminatedQuote
            case fieldTooLong(Int)
            case outOfMemory
        }

        public var kind: Kind
        /// The line on which the field at fault opened.
        public var line: Int
        /// The field at fault, counting from 1 (nil: the record as a whole).
        public var field: Int?
        /// The line on which the parser gave up, when known.
        public var gaveUpLine: Int?

        public init(kind: Kind, line: Int, field: Int?, gaveUpLine: Int? = nil) {
            (self.kind, self.line, self.field, self.gaveUpLine) = (kind, line, field, gaveUpLine)
        }

        /// Adds `lines` to the lines it names (a chunk's lines are counted from its first byte).
        public mutating func shift(by lines: Int) {
            line += lines
            if let gaveUp = gaveUpLine { gaveUpLine = gaveUp + lines }
        }

        public var message: LocalizedText {
            let later = gaveUpLine.flatMap { $0 > line ? $0 : nil }
            switch kind {
            case .textAfterClosingQuote:
                if let later {
                    return LocalizedText(
                        zh: "引号没有正确结束：这里开始的带引号字段一直读到第 \(later) 行，那里的引号之后还有文字。多半是这一行少写或多写了一个引号。",
                        en: "a quote that does not end properly: the quoted field starting here runs on to line \(later), where its closing quote is followed by text. Most likely this line has a quote too many or too few.")
                }
                return LocalizedText(
                    zh: "引号用法不对：引号结束后还有文字，或字段内部的引号没有写两遍。含引号的字段应整体加引号，内部引号写两遍（\"\"）。",
                    en: "misplaced quote: text after a closing quote, or a quote inside a quoted field not written twice. Quote the whole field and double any quote inside it (\"\").")
            case .unterminatedQuote:
                let end = later.map { LocalizedText(zh: "直到第 \($0) 行（文件末尾）", en: "up to line \($0) (the end of the file)") }
                    ?? LocalizedText(zh: "直到文件末尾", en: "up to the end of the file")
                return LocalizedText(
                    zh: "引号没有闭合：这里开始的带引号字段\(end.zh)都没有结束引号。",
                    en: "unterminated quote: the quoted field starting here has no closing quote \(end.en).")
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
