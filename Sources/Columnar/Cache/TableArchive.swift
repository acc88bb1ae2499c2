import CMappedFiles
import Kernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A table written as its raw column buffers, for the column cache: each column in a section of
/// its own with its own checksum, so that a command reads and checks only the columns it needs.
///
/// Layout: "PCCACHE4"; one section per column (its buffers), then a section of per-row line
/// numbers; then the directory: u64 metadata length + metadata, u64 row count, u64 column count,
/// per column its name, aliases, type, validity flag and section (offset, length, checksum), and
/// the lines' section; then the trailer: u64 directory offset, u64 file size, u64 checksum of the
/// directory. Strings and buffers are u64-length-prefixed and padded to 8 bytes. The file is
/// written as a stream (never held whole in memory). Reading checks the size, the directory's
/// checksum, and each section it reads against its checksum, and every length against the bytes
/// left, so a damaged or truncated file is refused (nil), never trusted.
public enum TableArchive {
    static let magic: [UInt8] = Array("PCCACHE4".utf8)

    /// Where a section lies and what it sums to.
    struct Section {
        var offset: Int
        var length: Int
        var checksum: UInt64
    }

    /// Writes `table`, an opaque `metadata` blob and per-row `lines` to `path` (through a
    /// temporary file and a rename, so a reader never sees half a file).
    ///
    /// - Returns: false when the file cannot be written.
    @discardableResult
    public static func write(_ table: Table, metadata: [UInt8], lines: [Int32], to path: String) -> Bool {
        let temporary = path + ".tmp-\(getpid())"
        guard var writer = ArchiveWriter(path: temporary) else { return false }
        writer.bytes(magic)
        var sections: [Section] = []
        var types: [UInt64] = []
        for column in table.columns {
            writer.startSection()
            // Held narrow where the values allow (`NarrowColumn`), on this one core.
            if let narrow = column.narrow ?? NarrowColumn.narrowed(column.storage, width: 1) {
                types.append(narrowTypeCode(narrow.values))
                switch narrow.values {
                case .codes8(let codes): writer.buffer(codes)
                case .codes16(let codes): writer.buffer(codes)
                case .offsets8(let base, let offsets): writer.u64(UInt64(bitPattern: base)); writer.buffer(offsets)
                case .offsets16(let base, let offsets): writer.u64(UInt64(bitPattern: base)); writer.buffer(offsets)
                case .offsets32(let base, let offsets): writer.u64(UInt64(bitPattern: base)); writer.buffer(offsets)
                case .hundredths(let values): writer.buffer(values)
                }
                if let dictionary = narrow.dictionary {
                    let parts = dictionary.rawParts
                    writer.buffer(parts.arena)
                    writer.buffer(parts.offsets)
                }
                if let validity = column.validity { writer.buffer(validity.rawWords) }
                sections.append(writer.endSection())
                continue
            }
            types.append(typeCode(column.storage))
            switch column.storage {
            case .int64(let values): writer.buffer(values)
            case .float64(let values): writer.buffer(values)
            case .date(let values): writer.buffer(values)
            case .timestamp(let values): writer.buffer(values)
            case .bool(let values): writer.buffer(values.map { $0 ? UInt8(1) : 0 })
            case .text(let codes, let dictionary):
                writer.buffer(codes)
                // The strings only: the hash table is rebuilt if a reader ever inserts or looks up.
                let parts = dictionary.rawParts
                writer.buffer(parts.arena)
                writer.buffer(parts.offsets)
            }
            if let validity = column.validity { writer.buffer(validity.rawWords) }
            sections.append(writer.endSection())
        }
        writer.startSection()
        // Lines that follow one another (no blank line, no record across lines) are written as
        // the first one alone: a tenth of a 10M-row entry less to write and to read.
        if lines.count > 1, isConsecutive(lines) {
            writer.buffer([lines[0]])
        } else {
            writer.buffer(lines)
        }
        let linesSection = writer.endSection()

        writer.startSection()
        writer.blob(metadata)
        writer.u64(UInt64(table.rowCount))
        writer.u64(UInt64(table.columns.count))
        for (index, column) in table.columns.enumerated() {
            writer.blob(Array(column.name.utf8))
            writer.u64(UInt64(column.aliases.count))
            for alias in column.aliases { writer.blob(Array(alias.utf8)) }
            writer.u64(types[index])
            writer.u64(column.validity == nil ? 0 : 1)
            writer.section(sections[index])
        }
        writer.section(linesSection)
        let directory = writer.endSection()
        writer.u64(UInt64(directory.offset))
        writer.u64(UInt64(writer.written + 16))
        writer.u64(directory.checksum)
        guard writer.finish(), rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

    /// Whether each line is the one after the line before it.
    static func isConsecutive(_ lines: [Int32]) -> Bool {
        lines.withUnsafeBufferPointer { buffer in
            var step: Int32 = 0
            var mismatch = false
            for index in 1..<buffer.count {
                step = buffer[index] &- buffer[index - 1]
                mismatch = mismatch || step != 1
            }
            return !mismatch
        }
    }

    private static func typeCode(_ storage: ColumnStorage) -> UInt64 {
        switch storage {
        case .int64: return 0
        case .float64: return 1
        case .date: return 2
        case .bool: return 3
        case .text: return 4
        case .timestamp: return 5
        }
    }

    /// The type codes of narrow columns: 6 and 7 text as 8- and 16-bit codes, 8 to 10 whole
    /// numbers as 8-, 16- and 32-bit offsets, 11 numbers as hundredths.
    private static func narrowTypeCode(_ values: NarrowValues) -> UInt64 {
        switch values {
        case .codes8: return 6
        case .codes16: return 7
        case .offsets8: return 8
        case .offsets16: return 9
        case .offsets32: return 10
        case .hundredths: return 11
        }
    }

    /// One column as the directory describes it.
    struct Entry {
        var name: String
        var aliases: [String]
        var type: UInt64
        var hasValidity: Bool
        var section: Section
    }

    /// The directory of a file, read and checked.
    struct Directory {
        var metadata: [UInt8]
        var rowCount: Int
        var columns: [Entry]
        var lines: Section
    }

    /// Maps `path` and hands `body` the file's bytes and its directory, once the recorded size
    /// matches the file's and the directory matches its checksum.
    static func withDirectory<T>(of path: String, _ body: (UnsafeRawBufferPointer, Directory, ArchiveMapping) -> T?) -> T? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size >= 32 else { return nil }
        let size = Int(status.st_size)
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else { return nil }
        // Unmapped when the last column read in place from it is gone.
        let mapping = ArchiveMapping(address: address, size: size, path: path)
        let bytes = UnsafeRawBufferPointer(start: address, count: size)
        guard Array(bytes[0..<8]) == magic,
              UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: size - 16, as: UInt64.self)) == UInt64(size) else { return nil }
        let directoryOffset = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: size - 24, as: UInt64.self))
        guard directoryOffset >= 8, directoryOffset <= UInt64(size - 24) else { return nil }
        let directoryBytes = UnsafeRawBufferPointer(rebasing: bytes[Int(directoryOffset)..<(size - 24)])
        var checksum = ArchiveChecksum()
        checksum.update(directoryBytes)
        guard checksum.value == UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: size - 8, as: UInt64.self)),
              let directory = decodeDirectory(directoryBytes, sectionsEnd: Int(directoryOffset)) else { return nil }
        return body(bytes, directory, mapping)
    }

    private static func decodeDirectory(_ bytes: UnsafeRawBufferPointer, sectionsEnd: Int) -> Directory? {
        var reader = ArchiveReader(bytes: bytes)
        guard let metadata = reader.blob(), let rows = reader.u64(), let columnCount = reader.u64(),
              rows < UInt64(Int.max / 16), columnCount < 100_000 else { return nil }
        var columns: [Entry] = []
        for _ in 0..<columnCount {
            guard let name = reader.blob(), let aliasCount = reader.u64(), aliasCount < 1000 else { return nil }
            var aliases: [String] = []
            for _ in 0..<aliasCount {
                guard let alias = reader.blob() else { return nil }
                aliases.append(String(decoding: alias, as: UTF8.self))
            }
            guard let type = reader.u64(), type <= 11, let validity = reader.u64(), validity <= 1,
                  let section = reader.section(within: sectionsEnd) else { return nil }
            columns.append(Entry(name: String(decoding: name, as: UTF8.self), aliases: aliases, type: type,
                                 hasValidity: validity == 1, section: section))
        }
        guard let lines = reader.section(within: sectionsEnd), reader.atEnd else { return nil }
        return Directory(metadata: metadata, rowCount: Int(rows), columns: columns, lines: lines)
    }

    private static func slice(_ section: Section, of bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[section.offset..<(section.offset + section.length)])
    }

    /// The section's bytes when they match its checksum.
    private static func verified(_ section: Section, in bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        let slice = slice(section, of: bytes)
        var checksum = ArchiveChecksum()
        checksum.update(slice)
        return checksum.value == section.checksum ? slice : nil
    }

    /// The metadata blob of a file written by `write`, without building its columns; with
    /// `verify` every section's checksum is checked too.
    public static func metadata(path: String, verify: Bool) -> [UInt8]? {
        withDirectory(of: path) { bytes, directory, _ in
            if verify {
                for section in directory.columns.map(\.section) + [directory.lines] where verified(section, in: bytes) == nil {
                    return nil
                }
            }
            return directory.metadata
        }
    }

    /// Reads a file written by `write`: every column, or only those `columns` names (by header
    /// or alias, ASCII case ignored) — all of them when one of the names is not there, unless
    /// `missingKeepsAll` is false (such names are then passed over). With
    /// `lines` false the row lines are neither checked nor read, and come back empty. `admit`
    /// sees the metadata and every column's name and aliases before any column is read, and
    /// refuses the file by returning false.
    ///
    /// - Returns: nil when the file is missing, truncated, damaged or of another version, or refused.
    public static func read(path: String, columns wanted: [String]? = nil, missingKeepsAll: Bool = true, lines readLines: Bool = true,
                            admit: ((_ metadata: [UInt8], _ columns: [(name: String, aliases: [String])]) -> Bool)? = nil)
        -> (table: Table, metadata: [UInt8], lines: [Int32])? {
        withDirectory(of: path) { bytes, directory, mapping in
            if let admit, !admit(directory.metadata, directory.columns.map { ($0.name, $0.aliases) }) { return nil }
            let rowCount = directory.rowCount
            let kept = Column.indexes(named: wanted, among: directory.columns.map { ($0.name, $0.aliases) },
                                      missingKeepsAll: missingKeepsAll)
            // Each section is summed as it is read, and refused when the sum is not its own; the
            // columns are read on every core, each by one task. Their values stay in the mapped
            // file (no copy): the columns keep the mapping alive.
            var decoded = [Column?](repeating: nil, count: kept.count)
            decoded.withUnsafeMutableBufferPointer { decoded in
                ConcurrentTasks(kept.count).run { index in
                    let entry = directory.columns[kept[index]]
                    var reader = ArchiveReader(bytes: slice(entry.section, of: bytes), mapping: mapping)
                    guard let column = decodeColumn(entry, &reader, rowCount: rowCount),
                          reader.checksum.value == entry.section.checksum else { return }
                    decoded[index] = column
                }
            }
            let columns = decoded.compactMap { $0 }
            guard columns.count == kept.count else { return nil }
            guard readLines else { return (Table(columns: columns, rowCount: rowCount), directory.metadata, []) }
            var reader = ArchiveReader(bytes: slice(directory.lines, of: bytes))
            guard var lines: [Int32] = reader.buffer(), reader.atEnd, reader.checksum.value == directory.lines.checksum else { return nil }
            if lines.count == 1, rowCount > 1 {
                let first = lines[0]
                guard Int(first) <= Int(Int32.max) - rowCount else { return nil }
                lines = (0..<Int32(rowCount)).map { first + $0 }
            }
            guard lines.count == rowCount else { return nil }
            return (Table(columns: columns, rowCount: rowCount), directory.metadata, lines)
        }
    }

    /// The column in `reader`'s section; the caller checks the section's sum once it is read.
    private static func decodeColumn(_ entry: Entry, _ reader: inout ArchiveReader, rowCount: Int) -> Column? {
        if entry.type >= 6 { return decodeNarrowColumn(entry, &reader, rowCount: rowCount) }
        let storage: ColumnStorage
        switch entry.type {
        case 0: guard let values: ColumnBuffer<Int64> = reader.mappedBuffer(), values.count == rowCount else { return nil }; storage = .int64(values)
        case 1: guard let values: ColumnBuffer<Double> = reader.mappedBuffer(), values.count == rowCount else { return nil }; storage = .float64(values)
        case 2: guard let values: ColumnBuffer<Int32> = reader.mappedBuffer(), values.count == rowCount else { return nil }; storage = .date(values)
        case 3: guard let values: [UInt8] = reader.buffer(), values.count == rowCount else { return nil }; storage = .bool(values.map { $0 != 0 })
        case 5: guard let values: ColumnBuffer<Int64> = reader.mappedBuffer(), values.count == rowCount else { return nil }; storage = .timestamp(values)
        default:
            guard let (codes, largest) = reader.mappedCodes(), codes.count == rowCount,
                  let arena: ColumnBuffer<UInt8> = reader.mappedBuffer(), let offsets: ColumnBuffer<Int> = reader.mappedBuffer(),
                  let dictionary = TextDictionary(arena: arena, offsets: offsets) else { return nil }
            // A column of empty cells only has an empty dictionary: its codes are all 0, and
            // every row must then be null (checked below).
            guard codes.count == 0 || largest < max(UInt32(dictionary.count), 1) else { return nil }
            storage = .text(codes: codes, dictionary: dictionary)
        }
        var validity: Bitmap?
        if entry.hasValidity {
            guard let words: [UInt64] = reader.buffer(), let bitmap = Bitmap(words: words, count: rowCount) else { return nil }
            validity = bitmap
        }
        guard reader.atEnd else { return nil }
        if case .text(_, let dictionary) = storage, dictionary.count == 0, rowCount > 0, (validity?.setCount ?? 1) != 0 { return nil }
        return Column(name: entry.name, aliases: entry.aliases, storage: storage, validity: validity)
    }

    /// A narrow column (`narrowTypeCode`), its values read in place; codes are checked to stand
    /// for strings of the dictionary, as wide ones are.
    private static func decodeNarrowColumn(_ entry: Entry, _ reader: inout ArchiveReader, rowCount: Int) -> Column? {
        let values: NarrowValues
        switch entry.type {
        case 6: guard let codes: ColumnBuffer<UInt8> = reader.mappedBuffer(), codes.count == rowCount else { return nil }; values = .codes8(codes)
        case 7: guard let codes: ColumnBuffer<UInt16> = reader.mappedBuffer(), codes.count == rowCount else { return nil }; values = .codes16(codes)
        case 8, 9, 10:
            guard let base = reader.u64().map({ Int64(bitPattern: $0) }) else { return nil }
            switch entry.type {
            case 8: guard let offsets: ColumnBuffer<UInt8> = reader.mappedBuffer(), offsets.count == rowCount else { return nil }; values = .offsets8(base: base, offsets)
            case 9: guard let offsets: ColumnBuffer<UInt16> = reader.mappedBuffer(), offsets.count == rowCount else { return nil }; values = .offsets16(base: base, offsets)
            default: guard let offsets: ColumnBuffer<UInt32> = reader.mappedBuffer(), offsets.count == rowCount else { return nil }; values = .offsets32(base: base, offsets)
            }
        default: guard let hundredths: ColumnBuffer<Int16> = reader.mappedBuffer(), hundredths.count == rowCount else { return nil }; values = .hundredths(hundredths)
        }
        var dictionary: TextDictionary?
        if entry.type <= 7 {
            guard let arena: ColumnBuffer<UInt8> = reader.mappedBuffer(), let offsets: ColumnBuffer<Int> = reader.mappedBuffer(),
                  let strings = TextDictionary(arena: arena, offsets: offsets) else { return nil }
            // Every code names a string (a column of empty cells only: code 0, every row null, below).
            let limit = max(strings.count, 1)
            switch values {
            case .codes8(let codes) where limit < 1 << 8: guard Int(largest(codes)) < limit else { return nil }
            case .codes16(let codes) where limit < 1 << 16: guard Int(largest(codes)) < limit else { return nil }
            default: break
            }
            dictionary = strings
        }
        var validity: Bitmap?
        if entry.hasValidity {
            guard let words: [UInt64] = reader.buffer(), let bitmap = Bitmap(words: words, count: rowCount) else { return nil }
            validity = bitmap
        }
        guard reader.atEnd else { return nil }
        if let dictionary, dictionary.count == 0, rowCount > 0, (validity?.setCount ?? 1) != 0 { return nil }
        return Column(name: entry.name, aliases: entry.aliases, narrow: NarrowColumn(values: values, dictionary: dictionary), validity: validity)
    }

    /// The largest of `values` (0 for none): a plain loop, which the compiler vectorises (its
    /// SIMD64 spelling ran lane by lane, twenty times slower).
    @inline(__always)
    static func largest<T: FixedWidthInteger & UnsignedInteger>(_ values: ColumnBuffer<T>) -> T {
        values.withUnsafeBufferPointer { buffer in
            var result: T = 0
            for value in buffer { result = max(result, value) }
            return result
        }
    }
}

/// Streams the archive to a file, checksumming every byte it writes.
struct ArchiveWriter {
    private let file: UnsafeMutablePointer<FILE>
    private var checksum = ArchiveChecksum()
    private var sectionStart = 0
    private(set) var written = 0
    private var failed = false

    init?(path: String) {
        guard let opened = fopen(path, "wb") else { return nil }
        file = opened
    }

    private mutating func raw(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        checksum.update(bytes)
        if fwrite(bytes.baseAddress, 1, bytes.count, file) != bytes.count { failed = true }
        written += bytes.count
    }

    mutating func bytes(_ data: [UInt8]) { data.withUnsafeBytes { raw($0) } }

    /// Starts summing a new section here.
    mutating func startSection() {
        checksum = ArchiveChecksum()
        sectionStart = written
    }

    /// The section written since `startSection`.
    func endSection() -> TableArchive.Section {
        TableArchive.Section(offset: sectionStart, length: written - sectionStart, checksum: checksum.value)
    }

    mutating func section(_ section: TableArchive.Section) {
        u64(UInt64(section.offset))
        u64(UInt64(section.length))
        u64(section.checksum)
    }

    mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { raw($0) }
    }

    private mutating func pad() {
        let zeros: (UInt64) = 0
        withUnsafeBytes(of: zeros) { raw(UnsafeRawBufferPointer(rebasing: $0[0..<((8 - written % 8) % 8)])) }
    }

    mutating func blob(_ data: [UInt8]) {
        u64(UInt64(data.count))
        bytes(data)
        pad()
    }

    mutating func buffer<T: BitwiseCopyable>(_ values: [T]) {
        buffer(ColumnBuffer(values))
    }

    mutating func buffer<T: BitwiseCopyable>(_ values: ColumnBuffer<T>) {
        u64(UInt64(values.count))
        values.withUnsafeBytes { raw($0) }
        pad()
    }

    /// Closes the file; false when anything failed.
    mutating func finish() -> Bool {
        fclose(file) == 0 && !failed
    }
}

/// Reads a file image, checking every length against what is left and summing every byte it
/// reads (`checksum`, the writer's sum once the whole section is read).
struct ArchiveReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0
    private(set) var checksum = ArchiveChecksum()
    /// The mapped file `bytes` lie in, for buffers read in place.
    let mapping: ArchiveMapping?

    init(bytes: UnsafeRawBufferPointer, mapping: ArchiveMapping? = nil) {
        self.bytes = bytes
        self.mapping = mapping
    }

    var atEnd: Bool { offset == bytes.count }

    mutating func take(_ count: Int) -> UnsafeRawBufferPointer? {
        guard let taken = skip(count) else { return nil }
        checksum.update(taken)
        return taken
    }

    /// The next `count` bytes, not summed.
    private mutating func skip(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, count <= bytes.count - offset else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }

    mutating func u64() -> UInt64? {
        take(8).map { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    private mutating func skipPadding() -> Bool {
        let padding = (8 - offset % 8) % 8
        return take(padding) != nil
    }

    mutating func blob() -> [UInt8]? {
        guard let count = u64(), count < UInt64(bytes.count), let data = take(Int(count)), skipPadding() else { return nil }
        return Array(data)
    }

    /// A section reference that lies inside the first `end` bytes of the file.
    mutating func section(within end: Int) -> TableArchive.Section? {
        guard let offset = u64(), let length = u64(), let checksum = u64(),
              offset <= UInt64(end), length <= UInt64(end) - offset else { return nil }
        return TableArchive.Section(offset: Int(offset), length: Int(length), checksum: checksum)
    }

    mutating func buffer<T: BitwiseCopyable>() -> [T]? {
        guard let count = u64(), count < UInt64(bytes.count) else { return nil }
        let stride = MemoryLayout<T>.stride
        guard let data = skip(Int(count) * stride) else { return nil }
        let values = [T](unsafeUninitializedCapacity: Int(count)) { buffer, initialized in
            if count > 0 {
                // Columns of millions of rows: huge pages, mapped at once (`MemoryAdvice`).
                MemoryAdvice.prepareForWriting(buffer)
                checksum.update(data, copyingTo: UnsafeMutableRawPointer(buffer.baseAddress!))
            }
            initialized = Int(count)
        }
        return skipPadding() ? values : nil
    }

    /// The next buffer read in place in the mapped file (summed, not copied), or copied out
    /// like `buffer()` when the reader has no mapping or the values are not aligned for `T`.
    mutating func mappedBuffer<T: BitwiseCopyable>() -> ColumnBuffer<T>? {
        mappedBuffer { checksum, data in checksum.update(data) }
    }

    /// `mappedBuffer()` of a text column's codes, and the largest of them: found as they are
    /// summed when they are read in place, by a scan of the copy otherwise.
    mutating func mappedCodes() -> (codes: ColumnBuffer<UInt32>, largest: UInt32)? {
        var largest: UInt32 = 0
        guard let codes: ColumnBuffer<UInt32> = mappedBuffer(summing: { checksum, data in
            checksum.update(data, largestUInt32: &largest)
        }) else { return nil }
        if !codes.isMapped { codes.withUnsafeBufferPointer { for code in $0 { largest = max(largest, code) } } }
        return (codes, largest)
    }

    /// `mappedBuffer()`, the values in place summed by `sum`.
    private mutating func mappedBuffer<T: BitwiseCopyable>(summing sum: (inout ArchiveChecksum, UnsafeRawBufferPointer) -> Void)
        -> ColumnBuffer<T>? {
        // The values start after their u64 count; files are written with 8-byte padding, so
        // only a file image not mapped at a page boundary is misaligned.
        guard let mapping, let base = bytes.baseAddress,
              UInt(bitPattern: base + offset + 8) % UInt(MemoryLayout<T>.alignment) == 0 else {
            return buffer().map(ColumnBuffer.init)
        }
        guard let count = u64(), count < UInt64(bytes.count),
              let data = skip(Int(count) * MemoryLayout<T>.stride) else { return nil }
        if count > 0 {
            mapping.prepareForReading(data)
            sum(&checksum, data)
        }
        guard skipPadding() else { return nil }
        guard count > 0, let start = data.baseAddress else { return ColumnBuffer([]) }
        let values = UnsafeMutableRawPointer(mutating: start).bindMemory(to: T.self, capacity: Int(count))
        return ColumnBuffer(start: values, count: Int(count), owner: mapping)
    }
}

/// A cache file mapped into memory, unmapped when the last column that reads it in place is gone.
final class ArchiveMapping: @unchecked Sendable {
    let address: UnsafeMutableRawPointer
    let size: Int
    /// The mapping's note (`pingcha_note_mapping`): a read past the end of the file, should
    /// another program truncate it, is then reported with its name instead of a crash.
    private let note: Int32

    init(address: UnsafeMutableRawPointer, size: Int, path: String) {
        self.address = address
        self.size = size
        note = pingcha_note_mapping(address, size, path)
    }

    /// Asks the kernel to map the pages of `bytes` now, in one call, instead of one fault per
    /// page as they are first read (Linux 5.14's `MADV_POPULATE_READ`; a hint elsewhere).
    func prepareForReading(_ bytes: UnsafeRawBufferPointer) {
        #if os(Linux)
        guard let start = bytes.baseAddress, bytes.count >= 1 << 20 else { return }
        let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
        let first = UInt(bitPattern: start) / page * page
        let end = UInt(bitPattern: start) + UInt(bytes.count)
        let populateRead: Int32 = 22  // MADV_POPULATE_READ
        _ = madvise(UnsafeMutableRawPointer(bitPattern: first), Int(end - first), populateRead)
        #endif
    }

    deinit {
        pingcha_forget_mapping(note)
        munmap(address, size)
    }
}
