import Kernels
import Columnar
import Crypto
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads a CSV export into a typed table.
public enum CSVLoader {
    /// Reads, decodes, parses and types the file at `path`.
    ///
    /// - Throws: `PingchaError`: .missingInput when the file cannot be read; .data for an empty
    ///   file, an unknown encoding, a quoting error, missing required columns, or (unless
    ///   `collectRejects`) the first bad row, always with file, line and column.
    public static func load(path: String, options: LoadOptions = LoadOptions()) throws -> LoadedTable {
        guard let cache = options.cache else { return try loadFromCSV(path: path, options: options) }
        // A load without value rules is the load with them whenever no cell breaks one: it shares
        // that entry then, and has one of its own only for a file whose cells do break them.
        var ruled = options
        ruled.valueRules = true
        let entries = [cache.entry(for: path, options: ruled)] + (options.valueRules ? [] : [cache.entry(for: path, options: options)])
        ColumnCache.waitForWrites(of: entries.compactMap { $0?.file })
        for entry in entries.compactMap({ $0 }) {
            if let cached = cache.lookup(path: path, entry: entry.file, columns: options.columns,
                                         mayBeMissing: options.columnsMayBeMissing, rowLines: options.rowLines) {
                return cached
            }
        }
        // The entry keeps the columns asked for now and those its earlier load was asked for, so
        // the first run costs a little more than a run without the cache, not a load of every column.
        var fullOptions = options
        if let wanted = options.columns, let previous = entries.first!.flatMap({ cache.requestedColumns(entry: $0.file) }) {
            fullOptions.columns = previous.map { earlier in earlier + wanted.filter { !earlier.contains($0) } }
        }
        let loaded = try loadFromCSV(path: path, options: fullOptions)
        // The entry records only names of the file's columns: a later load that asks for these
        // too must not keep every column for a name the file lacks.
        let requested = options.columnsMayBeMissing
            ? fullOptions.columns?.filter { name in loaded.table.columns.contains { $0.answers(to: name) } } : fullOptions.columns
        if let entry = loaded.ruleBreaches == 0 ? entries.first! : entries.last! {
            cache.store(loaded, requested: requested, entry: entry.file, csvPath: entry.csvPath)
        }
        return loaded
    }

    static func loadFromCSV(path: String, options: LoadOptions) throws -> LoadedTable {
        let file = try MappedFile(path: path)
        let raw = file.bytes
        if raw.isEmpty {
            throw PingchaError.emptyFile(path)
        }
        if let kind = WorkbookLoader.kind(of: path, firstBytes: UnsafeRawBufferPointer(rebasing: raw.prefix(8))) {
            return try WorkbookLoader.load(path: path, kind: kind, sha256: sha256Hex(raw), options: options)
        }
        let width = max(1, options.threads ?? ConcurrentTasks.processorCount)
        // Pages of the mapping are given back once checked, hashed and parsed (they are read
        // again from the page cache if needed), so the load's memory is its columns, not the file.
        let rawAddress = UInt(bitPattern: raw.baseAddress)
        let release = { (range: Range<Int>) in MappedFile.release(mappingAt: rawAddress, range) }
        // (Chunk sizes set for tests take this path for small files too.)
        if options.encoding == nil, raw.count >= LoadOptions.minimumParallelBytes || options.chunkBytes != nil, width > 1,
           let loaded = try loadAsUTF8(path: path, raw: raw, options: options, width: width, release: release) {
            return loaded
        }
        // Hash the file on the other core while this one decodes and parses it. The hash reads
        // the file into a buffer of its own rather than through the mapping: every page the
        // mapping shows is mapped and given back again by each pass that reads it, which cost this
        // pass more than the copy.
        let hashing = Hashing(path: path, raw: raw, checkingUTF8From: nil)
        defer { _ = hashing.finish() }

        // The quote marks of the text to parse, counted while it is checked as UTF-8, for the chunk plan.
        var census: QuoteCensus?
        let encoding = try options.encoding ?? EncodingDetector.detect(raw, path: path, width: width, checked: release,
                                                                       source: .init(path: path, offset: 0), census: &census)
        let bodyOffset = min(encoding.byteOrderMarkLength, raw.count)
        let body = UnsafeRawBufferPointer(rebasing: raw[bodyOffset...])
        let releaseBody = shifted(release, by: bodyOffset)
        var converted: [UInt8]?
        switch encoding {
        case .utf8, .utf8BOM:
            // Detection checks a file without a byte-order mark; a named encoding, or the mark,
            // is taken at its word only for the text after it, checked here.
            if options.encoding != nil || encoding == .utf8BOM {
                let (check, counted) = EncodingDetector.checkUTF8Counting(body, width: width, checked: releaseBody,
                                                                          source: .init(path: path, offset: bodyOffset))
                if let bad = check.firstInvalidOffset {
                    let line = LineIndex.lineNumber(ofOffset: bad, in: body)
                    // The mark was found, not named; or the encoding was named.
                    throw options.encoding == nil ? PingchaError.notUTF8AfterMark(path, line: line) : PingchaError.notUTF8(path, line: line)
                }
                census = counted
            }
        case .xlsx, .xls:
            break  // a workbook is read by its cells (above), never as text
        case .gb18030, .utf16LE, .utf16BE:
            do {
                converted = try Transcoder.convert(body, from: encoding)
            } catch let failure as Transcoder.ConversionFailure {
                throw PingchaError.cannotDecode(path, as: encoding, line: LineIndex.lineNumber(ofOffset: failure.offset, in: body))
            }
        }
        if let converted {
            // The converted text is the process's own memory: nothing to give back.
            return try converted.withUnsafeBytes {
                try parse($0, path: path, options: options, encoding: encoding, width: width, census: nil, parsed: nil) { hashing.finish().hex }
            }
        }
        return try parse(body, path: path, options: options, encoding: encoding, width: width, census: census, parsed: releaseBody) {
            hashing.finish().hex
        }
    }

    /// A big file that starts as UTF-8 (with or without a byte-order mark) is parsed as UTF-8 at
    /// once, without a pass that checks it first: the thread that hashes the file checks each
    /// block it reads as UTF-8, and the chunk plan guesses whether its cut points lie in quotes
    /// (`ChunkedLoad.guessInsideQuotes`) instead of counting the quotes before them. The answer
    /// stands only when the whole text was UTF-8; nil when it was not (the caller then reads the
    /// file as before, finding its encoding or the line where it stops being UTF-8). An error of
    /// the parse is thrown only for a text that was UTF-8 to its end: for any other, the
    /// encoding's error comes first, as in a load that checks before it parses.
    static func loadAsUTF8(path: String, raw: UnsafeRawBufferPointer, options: LoadOptions, width: Int,
                           release: @escaping (Range<Int>) -> Void) throws -> LoadedTable? {
        let marked = EncodingDetector.markedEncoding(raw)
        guard marked == nil || marked == .utf8BOM else { return nil }
        let encoding = marked ?? .utf8
        let bodyOffset = encoding.byteOrderMarkLength
        let body = UnsafeRawBufferPointer(rebasing: raw[bodyOffset...])
        // A file in another encoding shows it almost always in its first lines (the header's Chinese names).
        var head = min(body.count, 1 << 16)
        while head < body.count, head > 0, body[head] & 0xC0 == 0x80 { head -= 1 }
        guard EncodingDetector.checkUTF8(UnsafeRawBufferPointer(rebasing: body[..<head])).firstInvalidOffset == nil else { return nil }
        let hashing = Hashing(path: path, raw: raw, checkingUTF8From: bodyOffset)
        let releaseBody = shifted(release, by: bodyOffset)
        let loaded: LoadedTable
        do {
            loaded = try parse(body, path: path, options: options, encoding: encoding, width: width,
                               census: nil, guessQuotes: true, parsed: releaseBody) { hashing.finish().hex }
        } catch {
            guard let check = hashing.finish().utf8, check.firstInvalidOffset == nil else { return nil }
            throw error
        }
        guard let check = hashing.finish().utf8, check.firstInvalidOffset == nil else { return nil }
        return loaded
    }

    /// `release` for ranges of a text that starts `offset` bytes into the file (after a byte-order mark).
    private static func shifted(_ release: @escaping (Range<Int>) -> Void, by offset: Int) -> (Range<Int>) -> Void {
        { range in release((range.lowerBound + offset)..<(range.upperBound + offset)) }
    }

    /// Parses `text` (the file's, after any byte-order mark, or its conversion to UTF-8) into a
    /// table, in chunks on `width` threads when it is big enough. `sha256` gives the file's hash
    /// (waiting for it) once the rows are read.
    private static func parse(_ text: UnsafeRawBufferPointer, path: String, options: LoadOptions, encoding: SourceEncoding, width: Int,
                              census: QuoteCensus?, guessQuotes: Bool = false, parsed: ((Range<Int>) -> Void)?,
                              sha256: () -> String) throws -> LoadedTable {
        let delimiter = options.delimiter ?? DelimiterDetector.detect(text, fallback: encoding.defaultDelimiter)
        let chunkCount: Int
        if let chunkBytes = options.chunkBytes {
            chunkCount = max(1, (text.count + max(1, chunkBytes) - 1) / max(1, chunkBytes))
        } else {
            chunkCount = text.count >= LoadOptions.minimumParallelBytes ? width : 1
        }
        if chunkCount > 1, width > 1 || options.chunkBytes != nil,
           let (state, tally, chunks) = try ChunkedLoad.load(
               text: text, state: LoadState(path: path, options: options), delimiter: delimiter,
               chunkCount: chunkCount, width: width, census: census, guessQuotes: guessQuotes, progress: options.progress, parsed: parsed) {
            return state.finish(encoding: encoding, delimiter: delimiter, sha256: sha256(), tally: tally, text: text, chunks: chunks)
        }
        let state = LoadState(path: path, options: options,
                              expectedRows: LineIndex.estimatedLines(inBytes: text.count, sample: text))
        let reader = state.makeReader(delimiter: delimiter)
        var failure: RecordReader.Failure?
        do throws(RecordReader.Failure) {
            var reported = 0
            try reader.parse(text) { done in
                parsed?(reported..<done)
                reported = done
                options.progress?(done, text.count)
            }
            try reader.finish()
        } catch {
            failure = error
        }
        if let error = state.firstError(after: failure) { throw error }
        guard state.headers != nil else {
            throw PingchaError.onlyBlankLines(path)
        }
        let tally = state.adopt(reader)
        return state.finish(encoding: encoding, delimiter: delimiter, sha256: sha256(), tally: tally, text: text)
    }

    /// `sha256Hex(_:)` of `mapped`, the mapping of the file at `path`, its bytes read with
    /// `pread` into one small buffer (the one in the processor's cache the digest reads) instead
    /// of through the mapping. Whatever the file cannot give (it cannot be opened again, or it is
    /// shorter now) is read from the mapping, so the digest is always of `mapped`'s bytes.
    ///
    /// With `checkFrom`, the bytes from that offset on are checked as UTF-8 in the same pass, each
    /// block while the buffer holds it: a block is checked up to the first byte of its last
    /// character, which is carried over to the front of the buffer for the next, so the answer is
    /// `EncodingDetector.checkUTF8` of `mapped[checkFrom...]` (offsets from `checkFrom`). It is nil
    /// when not asked for, or when the file gave fewer bytes than `mapped` holds.
    static func sha256Hex(readingFile path: String, as mapped: UnsafeRawBufferPointer,
                          checkingUTF8From checkFrom: Int? = nil) -> (hex: String, utf8: EncodingDetector.UTF8Check?) {
        var hasher = SHA256()
        // The file's bytes before the buffer's first byte, and the bytes the buffer holds.
        var start = 0
        var held = 0
        var sawMultibyte = false
        var invalid: Int?
        var complete = false
        let descriptor = open(path, O_RDONLY)
        if descriptor >= 0 {
            defer { close(descriptor) }
            let block = 256 << 10
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: block, alignment: 4096)
            defer { buffer.deallocate() }
            complete = true
            while start + held < mapped.count {
                let wanted = min(block - held, mapped.count - start - held)
                let read = pread(descriptor, buffer.baseAddress! + held, wanted, off_t(start + held))
                guard read > 0 else {
                    complete = false
                    break
                }
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[held..<(held + read)]))
                held += read
                guard let checkFrom, invalid == nil else {
                    start += held
                    held = 0
                    continue
                }
                let from = max(0, min(held, checkFrom - start))
                let cut = EncodingDetector.checkedEnd(of: UnsafeRawBufferPointer(buffer), from: from, held: held,
                                                      textEnds: start + held == mapped.count)
                if cut > from {
                    let check = EncodingDetector.checkUTF8(UnsafeRawBufferPointer(rebasing: buffer[from..<cut]))
                    sawMultibyte = sawMultibyte || check.hasMultibyteBeforeInvalid
                    invalid = check.firstInvalidOffset.map { start + from + $0 - checkFrom }
                }
                buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + cut, byteCount: held - cut)
                start += cut
                held -= cut
            }
        }
        if start + held < mapped.count {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: mapped[(start + held)...]))
        }
        let hex = hasher.finalize().hexEncodedString()
        guard checkFrom != nil, complete else { return (hex, nil) }
        return (hex, EncodingDetector.UTF8Check(firstInvalidOffset: invalid, hasMultibyteBeforeInvalid: sawMultibyte))
    }

    /// Lower-case hex SHA-256 of bytes.
    public static func sha256Hex(_ bytes: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256()
        hasher.update(bufferPointer: bytes)
        return hasher.finalize().hexEncodedString()
    }
}

/// The file's SHA-256, taken on another thread while the load goes on (reading the file with
/// `pread`, not through the mapping), and with `checkingUTF8From` the check of the text from
/// there as UTF-8 on the way. `finish` waits for both (at once after the first call).
private final class Hashing: @unchecked Sendable {
    private let group = DispatchGroup()
    private var result: (hex: String, utf8: EncodingDetector.UTF8Check?) = ("", nil)

    init(path: String, raw: UnsafeRawBufferPointer, checkingUTF8From checkFrom: Int?) {
        let address = UInt(bitPattern: raw.baseAddress), count = raw.count
        DispatchQueue.global().async(group: group) {
            let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: address), count: count)
            self.result = CSVLoader.sha256Hex(readingFile: path, as: bytes, checkingUTF8From: checkFrom)
        }
    }

    /// The hex digest, and the check of the text as UTF-8 (nil when none was asked for, or the
    /// file gave fewer bytes than were mapped).
    func finish() -> (hex: String, utf8: EncodingDetector.UTF8Check?) {
        group.wait()
        return result
    }
}
