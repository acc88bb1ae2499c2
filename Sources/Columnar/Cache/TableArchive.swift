#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A table written as its raw column buffers, for the column cache: a small header, every
/// buffer as it is in memory (8-byte aligned), and a checksum over the whole file at its end.
///
/// Layout: "PCCACHE1", u64 metadata length + metadata, u64 row count, u64 column count; per column
/// its name, aliases, type and buffers; u64 line-number buffer; u64 file size; u64 checksum of all
/// that comes before it. Strings and buffers are u64-length-prefixed and padded to 8 bytes. The
/// file is written as a stream (never held whole in memory). Reading checks the size and the
/// checksum first and every length against the bytes left, so a damaged or truncated file is
/// refused (nil), never trusted.
public enum TableArchive {
    static let magic: [UInt8] = Array("PCCACHE1".utf8)

    /// Writes `table`, an opaque `metadata` blob and per-row `lines` to `path` (through a
    /// temporary file and a rename, so a reader never sees half a file).
    ///
    /// - Returns: false when the file cannot be written.
    @discardableResult
    public static func write(_ table: Table, metadata: [UInt8], lines: [Int32], to path: String) -> Bool {
        let temporary = path + ".tmp-\(getpid())"
        guard var writer = ArchiveWriter(path: temporary) else { return false }
        writer.bytes(magic)
        writer.blob(metadata)
        writer.u64(UInt64(table.rowCount))
        writer.u64(UInt64(table.columns.count))
        for column in table.columns {
            writer.blob(Array(column.name.utf8))
            writer.u64(UInt64(column.aliases.count))
            for alias in column.aliases { writer.blob(Array(alias.utf8)) }
            switch column.storage {
            case .int64(let values): writer.u64(0); writer.buffer(values)
            case .float64(let values): writer.u64(1); writer.buffer(values)
            case .date(let values): writer.u64(2); writer.buffer(values)
            case .bool(let values): writer.u64(3); writer.buffer(values.map { $0 ? UInt8(1) : 0 })
            case .text(let codes, let dictionary):
                writer.u64(4)
                writer.buffer(codes)
                let parts = dictionary.rawParts
                writer.buffer(parts.arena)
                writer.buffer(parts.offsets)
                writer.buffer(parts.hashes)
                writer.buffer(parts.slots)
            }
            if let validity = column.validity {
                writer.u64(1)
                writer.buffer(validity.rawWords)
            } else {
                writer.u64(0)
            }
        }
        writer.buffer(lines)
        guard writer.finish(), rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

    /// Maps `path` and hands `body` the bytes before the trailer, once the recorded size matches
    /// the file's and, when `verify`, the checksum matches its bytes.
    static func withContents<T>(of path: String, verify: Bool, _ body: (UnsafeRawBufferPointer) -> T?) -> T? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size >= 32 else { return nil }
        let size = Int(status.st_size)
        guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapping != MAP_FAILED else { return nil }
        defer { munmap(mapping, size) }
        let bytes = UnsafeRawBufferPointer(start: mapping, count: size)
        guard UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: size - 16, as: UInt64.self)) == UInt64(size) else { return nil }
        if verify {
            var checksum = ArchiveChecksum()
            checksum.update(UnsafeRawBufferPointer(rebasing: bytes[0..<(size - 8)]))
            guard checksum.value == UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: size - 8, as: UInt64.self)) else { return nil }
        }
        return body(UnsafeRawBufferPointer(rebasing: bytes[0..<(size - 16)]))
    }

    /// The metadata blob of a file written by `write`, without building its columns; with
    /// `verify` the whole file's checksum is checked too.
    public static func metadata(path: String, verify: Bool) -> [UInt8]? {
        withContents(of: path, verify: verify) { contents in
            var reader = ArchiveReader(bytes: contents)
            guard reader.take(8).map(Array.init) == magic else { return nil }
            return reader.blob()
        }
    }

    /// Reads a file written by `write`.
    ///
    /// - Returns: nil when the file is missing, truncated, damaged or of another version.
    public static func read(path: String) -> (table: Table, metadata: [UInt8], lines: [Int32])? {
        withContents(of: path, verify: true) { contents in decode(contents) }
    }

    private static func decode(_ contents: UnsafeRawBufferPointer) -> (table: Table, metadata: [UInt8], lines: [Int32])? {
        var reader = ArchiveReader(bytes: contents)
        guard reader.take(8).map(Array.init) == magic,
              let metadata = reader.blob(), let rows = reader.u64(), let columnCount = reader.u64(), columnCount < 100_000 else { return nil }
        let rowCount = Int(rows)
        var columns: [Column] = []
        for _ in 0..<columnCount {
            guard let nameBytes = reader.blob(), let aliasCount = reader.u64(), aliasCount < 1000 else { return nil }
            var aliases: [String] = []
            for _ in 0..<aliasCount {
                guard let alias = reader.blob() else { return nil }
                aliases.append(String(decoding: alias, as: UTF8.self))
            }
            guard let type = reader.u64() else { return nil }
            let storage: ColumnStorage
            switch type {
            case 0: guard let values: [Int64] = reader.buffer(), values.count == rowCount else { return nil }; storage = .int64(values)
            case 1: guard let values: [Double] = reader.buffer(), values.count == rowCount else { return nil }; storage = .float64(values)
            case 2: guard let values: [Int32] = reader.buffer(), values.count == rowCount else { return nil }; storage = .date(values)
            case 3: guard let values: [UInt8] = reader.buffer(), values.count == rowCount else { return nil }; storage = .bool(values.map { $0 != 0 })
            case 4:
                guard let codes: [UInt32] = reader.buffer(), codes.count == rowCount,
                      let arena: [UInt8] = reader.buffer(), let offsets: [Int] = reader.buffer(), let hashes: [UInt64] = reader.buffer(),
                      let slots: [Int32] = reader.buffer(),
                      let dictionary = TextDictionary(arena: arena, offsets: offsets, hashes: hashes, slots: slots),
                      codes.allSatisfy({ Int($0) < dictionary.count }) else { return nil }
                storage = .text(codes: codes, dictionary: dictionary)
            default: return nil
            }
            guard let hasValidity = reader.u64() else { return nil }
            var validity: Bitmap?
            if hasValidity == 1 {
                guard let words: [UInt64] = reader.buffer(), let bitmap = Bitmap(words: words, count: rowCount) else { return nil }
                validity = bitmap
            }
            columns.append(Column(name: String(decoding: nameBytes, as: UTF8.self), aliases: aliases, storage: storage, validity: validity))
        }
        guard let lines: [Int32] = reader.buffer(), lines.count == rowCount, reader.atEnd else { return nil }
        return (Table(columns: columns, rowCount: rowCount), metadata, lines)
    }
}

/// Streams the archive to a file, checksumming every byte it writes.
struct ArchiveWriter {
    private let file: UnsafeMutablePointer<FILE>
    private var checksum = ArchiveChecksum()
    private var written = 0
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
        u64(UInt64(values.count))
        values.withUnsafeBytes { raw($0) }
        pad()
    }

    /// Writes the trailer (file size, checksum) and closes the file; false when anything failed.
    mutating func finish() -> Bool {
        u64(UInt64(written + 16))
        let sum = checksum.value
        withUnsafeBytes(of: sum.littleEndian) { raw($0) }
        return fclose(file) == 0 && !failed
    }
}

/// Reads a file image, checking every length against what is left.
struct ArchiveReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { offset == bytes.count }

    mutating func take(_ count: Int) -> UnsafeRawBufferPointer? {
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

    mutating func buffer<T: BitwiseCopyable>() -> [T]? {
        guard let count = u64(), count < UInt64(bytes.count) else { return nil }
        let stride = MemoryLayout<T>.stride
        guard let data = take(Int(count) * stride), skipPadding() else { return nil }
        return [T](unsafeUninitializedCapacity: Int(count)) { buffer, initialized in
            if count > 0 { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: data.baseAddress!, byteCount: data.count) }
            initialized = Int(count)
        }
    }
}
