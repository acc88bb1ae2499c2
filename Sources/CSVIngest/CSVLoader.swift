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
        // Hash the file on the other core while this one decodes and parses it. The hash reads
        // the file into a buffer of its own rather than through the mapping: every page the
        // mapping shows is mapped and given back again by each pass that reads it, which cost this
        // pass more than the copy.
        let digestBox = DigestBox()
        let hashing = DispatchGroup()
        let rawAddress = UInt(bitPattern: raw.baseAddress)
        let rawCount = raw.count
        DispatchQueue.global().async(group: hashing) {
            let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: rawAddress), count: rawCount)
            digestBox.hex = CSVLoader.sha256Hex(readingFile: path, as: bytes)
        }
        defer { hashing.wait() }

        let width = max(1, options.threads ?? ConcurrentTasks.processorCount)
        // Pages of the mapping are given back once checked, hashed and parsed (they are read
        // again from the page cache if needed), so the load's memory is its columns, not the file.
        let release = { (range: Range<Int>) in MappedFile.release(mappingAt: rawAddress, range) }
        // The quote marks of the text to parse, counted while it is checked as UTF-8, for the chunk plan.
        var census: QuoteCensus?
        let encoding = try options.encoding ?? EncodingDetector.detect(raw, path: path, width: width, checked: release,
                                                                       source: .init(path: path, offset: 0), census: &census)
        let bodyOffset = min(encoding.byteOrderMarkLength, raw.count)
        let body = UnsafeRawBufferPointer(rebasing: raw[bodyOffset...])
        let releaseBody = { (range: Range<Int>) in release((range.lowerBound + bodyOffset)..<(range.upperBound + bodyOffset)) }
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

        let parse = { (text: UnsafeRawBufferPointer, census: QuoteCensus?, parsed: ((Range<Int>) -> Void)?) throws -> LoadedTable in
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
                   chunkCount: chunkCount, width: width, census: census, progress: options.progress, parsed: parsed) {
                hashing.wait()
                return state.finish(encoding: encoding, delimiter: delimiter, sha256: digestBox.hex, tally: tally,
                                    text: text, chunks: chunks)
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
            hashing.wait()
            let tally = state.adopt(reader)
            return state.finish(encoding: encoding, delimiter: delimiter, sha256: digestBox.hex, tally: tally, text: text)
        }
        if let converted {
            // The converted text is the process's own memory: nothing to give back.
            return try converted.withUnsafeBytes { try parse($0, nil, nil) }
        }
        return try parse(body, census, releaseBody)
    }

    /// `sha256Hex(_:)` of `mapped`, the mapping of the file at `path`, its bytes read with
    /// `pread` into one small buffer (the one in the processor's cache the digest reads) instead
    /// of through the mapping. Whatever the file cannot give (it cannot be opened again, or it is
    /// shorter now) is read from the mapping, so the digest is always of `mapped`'s bytes.
    static func sha256Hex(readingFile path: String, as mapped: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256()
        var offset = 0
        let descriptor = open(path, O_RDONLY)
        if descriptor >= 0 {
            defer { close(descriptor) }
            let block = 256 << 10
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: block, alignment: 4096)
            defer { buffer.deallocate() }
            while offset < mapped.count {
                let wanted = min(block, mapped.count - offset)
                let read = pread(descriptor, buffer.baseAddress, wanted, off_t(offset))
                guard read > 0 else { break }
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<read]))
                offset += read
            }
        }
        if offset < mapped.count {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: mapped[offset...]))
        }
        return hasher.finalize().hexEncodedString()
    }

    /// Lower-case hex SHA-256 of bytes.
    public static func sha256Hex(_ bytes: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256()
        hasher.update(bufferPointer: bytes)
        return hasher.finalize().hexEncodedString()
    }
}

/// Carries the digest back from the hashing thread; written once before the group is left.
private final class DigestBox: @unchecked Sendable {
    var hex = ""
}
