#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar
import Vocabulary
import Crypto
import Dispatch
import Synchronization

/// The column cache: a loaded export's typed columns in a file under a cache directory, read back
/// instead of parsing the CSV again while the CSV is unchanged.
///
/// An entry is keyed by the CSV's absolute path, size, modification time, a hash of its first and
/// last 64 KiB, and the load options that change the result; the file name is that key. Entries
/// are checked (size, checksum) on every read: a damaged or truncated one is ignored and
/// rewritten, never trusted. Loads with rejected rows are not cached.
public struct ColumnCache: Sendable {
    public static let formatVersion = "pingcha-cache-3"
    static let suffix = ".pcc"
    public var directory: String
    /// The most the directory's entries may take; storing an entry removes the least recently
    /// used others until they fit (the entry just written stays, whatever its size).
    public var maxBytes: Int

    /// The default cap on the cache's size: 4 GiB.
    public static let defaultMaxBytes = 4 << 30

    /// Whether `store` writes the entry on a thread of its own while the caller goes on with the
    /// table (the command line: the answer is worked out on the other core meanwhile). The
    /// process must call `finishWrites()` before it ends; a load of the same entry in between waits
    /// for it. Off, `store` returns once the entry is written.
    public var writesInBackground = false

    public init(directory: String = ColumnCache.userDirectory, maxBytes: Int = ColumnCache.defaultMaxBytes,
                writesInBackground: Bool = false) {
        self.directory = directory
        self.maxBytes = maxBytes
        self.writesInBackground = writesInBackground
    }

    /// The writes handed to the background, one at a time, in order.
    private static let backgroundWrites = BackgroundWrites()

    /// Returns once every entry handed to the background is written.
    public static func finishWrites() {
        backgroundWrites.group.wait()
    }

    /// Waits for the background writes when one of them is writing one of `entries`.
    static func waitForWrites(of entries: [String]) {
        if backgroundWrites.pending.withLock({ pending in entries.contains { pending[$0] != nil } }) { finishWrites() }
    }

    /// Where caches live: `$XDG_CACHE_HOME/pingcha`, else `~/.cache/pingcha` (not beside the
    /// analyst's files, which are often on a shared drive).
    public static var userDirectory: String {
        if let xdg = getenv("XDG_CACHE_HOME").map({ String(cString: $0) }), !xdg.isEmpty { return xdg + "/pingcha" }
        let home = getenv("HOME").map { String(cString: $0) } ?? "/tmp"
        return home + "/.cache/pingcha"
    }

    /// The entry file for `path` loaded with `options`, and the CSV's absolute path; nil when the
    /// file cannot be examined.
    func entry(for path: String, options: LoadOptions) -> (file: String, csvPath: String)? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        var hasher = SHA256()
        let absolute = path.hasPrefix("/") ? path : (currentDirectory() + "/" + path)
        #if canImport(Glibc)
        let modified = "\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
        #else
        let modified = "\(status.st_mtimespec.tv_sec).\(status.st_mtimespec.tv_nsec)"
        #endif
        var parts = [Self.formatVersion, absolute, String(status.st_size), modified, options.encoding?.rawValue ?? "detect",
                     options.schema?.name ?? (options.noSchema ? "no-schema" : "detect"), String(options.maxFieldBytes)]
        if !options.valueRules { parts.append("no-value-rules") }
        if let delimiter = options.delimiter { parts.append("delimiter-\(delimiter)") }
        if let sheet = options.sheet { parts.append("sheet-\(sheet)") }
        if let headerRow = options.headerRow { parts.append("header-row-\(headerRow)") }
        let identity = parts.joined(separator: "\u{1F}")
        hasher.update(data: Array(identity.utf8))
        let size = Int(status.st_size), window = 65536
        var buffer = [UInt8](repeating: 0, count: min(window, size))
        for start in (size > window ? [0, size - window] : [0]) where !buffer.isEmpty {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(start)) }
            guard count == buffer.count else { return nil }
            hasher.update(data: buffer)
        }
        return (directory + "/" + hasher.finalize().hexEncodedString().prefix(40) + Self.suffix, absolute)
    }

    private func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        return getcwd(&buffer, buffer.count) != nil
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "."
    }

    /// The cached load of `path` from its entry, when the entry is good and holds what is asked:
    /// only the `columns` named (all when nil), each checked against its own checksum. An entry
    /// written by a load that kept some columns only answers for those. With `mayBeMissing`,
    /// names of no column of the file are passed over.
    func lookup(path: String, entry: String, columns: [String]? = nil, mayBeMissing: Bool = false, rowLines: Bool = true) -> LoadedTable? {
        // Decided from the entry's directory before any column is read (one mapping, one check).
        var stored: Metadata?
        let archive = TableArchive.read(path: entry, columns: columns, missingKeepsAll: !mayBeMissing, lines: rowLines) { bytes, held in
            guard let metadata = Metadata(bytes: bytes) else { return false }
            stored = metadata
            guard !metadata.omitted.isEmpty else { return true }
            // An entry of some columns answers only for names it holds: a name of a column it
            // left out, or of none at all (a load from the CSV then keeps every column, so that
            // the error lists them), is a miss.
            // With `mayBeMissing`, a name of neither a held nor a left-out column is of no column
            // of the file, and passed over.
            guard let wanted = columns else { return false }
            return wanted.allSatisfy { name in
                !metadata.omitted.contains { $0.answers(to: name) }
                    && (mayBeMissing || held.contains { Column.answers(name: $0.name, aliases: $0.aliases, to: name) })
            }
        }
        guard let archive, let metadata = stored, metadata.rows == archive.table.rowCount,
              let encoding = SourceEncoding(rawValue: metadata.encoding) else { return nil }
        let schema = metadata.schema.flatMap(ExportSchema.named)
        var source = metadata.source(path: path, encoding: encoding)
        source.parsedChunks = 0
        // Marks the entry used, for the least-recently-used eviction.
        utimes(entry, nil)
        return LoadedTable(table: archive.table, source: source, schema: schema, rejects: [], lines: archive.lines)
    }

    /// The columns the load that wrote `entry` was asked for (nil: all), when the entry is
    /// readable: a load that misses it asks for these too, so that the entry only grows.
    func requestedColumns(entry: String) -> [String]?? {
        guard let bytes = TableArchive.metadata(path: entry, verify: false), let metadata = Metadata(bytes: bytes) else { return nil }
        return .some(metadata.requested)
    }

    /// Writes an entry for a load without rejected rows, and removes older entries of the same CSV
    /// (found by their metadata alone: their columns are neither read nor checked). `requested`
    /// is what the load was asked for (nil: every column).
    func store(_ loaded: LoadedTable, requested: [String]?, entry: String, csvPath absolute: String) {
        guard loaded.rejects.isEmpty else { return }
        if writesInBackground {
            // The table's columns are values nobody changes in place; the writer only reads them.
            let table = TableHandOver(loaded)
            var foreground = self
            foreground.writesInBackground = false
            let inForeground = foreground
            Self.backgroundWrites.add(entry: entry) {
                inForeground.store(table.loaded, requested: requested, entry: entry, csvPath: absolute)
            }
            return
        }
        Self.makeDirectory(directory)
        for old in Self.entryFiles(in: directory) where old != entry {
            if let bytes = TableArchive.metadata(path: old, verify: false), Metadata(bytes: bytes)?.csvPath == absolute {
                unlink(old)
            }
        }
        var metadata = Metadata(csvPath: absolute, source: loaded.source)
        metadata.requested = loaded.omittedColumns.isEmpty ? nil : requested
        metadata.omitted = loaded.omittedColumns
        TableArchive.write(loaded.table, metadata: metadata.bytes, lines: loaded.lines, to: entry)
        evictLeastRecentlyUsed(keeping: entry)
    }

    /// Creates `path` and any folder above it that is missing (`~/.cache` may not exist yet).
    static func makeDirectory(_ path: String) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            mkdir(prefix, 0o755)
        }
    }

    /// Removes entries, least recently used first (by modification time, which a hit renews),
    /// until the directory's entries take at most `maxBytes`; `kept` is never removed.
    func evictLeastRecentlyUsed(keeping kept: String) {
        var entries: [(file: String, bytes: Int, used: Double)] = Self.entryFiles(in: directory).compactMap { file in
            var status = stat()
            guard stat(file, &status) == 0 else { return nil }
            #if canImport(Glibc)
            let used = Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
            #else
            let used = Double(status.st_mtimespec.tv_sec) + Double(status.st_mtimespec.tv_nsec) / 1e9
            #endif
            return (file, Int(status.st_size), used)
        }
        var total = entries.reduce(0) { $0 + $1.bytes }
        entries.sort { $0.used < $1.used }
        for entry in entries where total > maxBytes && entry.file != kept {
            if unlink(entry.file) == 0 { total -= entry.bytes }
        }
    }

    /// One cache file and what it holds.
    public struct Entry: Sendable {
        public var file: String
        public var csvPath: String
        public var rows: Int
        public var bytes: Int
        /// False when the file is damaged (it would be rebuilt on the next load).
        public var intact: Bool
    }

    /// The entries in `directory`, each checked against its checksum.
    public static func entries(in directory: String) -> [Entry] {
        entryFiles(in: directory).map { file in
            var status = stat()
            stat(file, &status)
            if let bytes = TableArchive.metadata(path: file, verify: true), let metadata = Metadata(bytes: bytes) {
                return Entry(file: file, csvPath: metadata.csvPath, rows: metadata.rows, bytes: Int(status.st_size), intact: true)
            }
            return Entry(file: file, csvPath: "", rows: 0, bytes: Int(status.st_size), intact: false)
        }
    }

    /// Removes every entry in `directory`, and any temporary file a writer left; returns how many entries.
    @discardableResult
    public static func clear(directory: String) -> Int {
        for leftover in files(in: directory, where: { $0.contains(suffix + ".tmp-") }) { unlink(leftover) }
        return entryFiles(in: directory).filter { unlink($0) == 0 }.count
    }

    static func entryFiles(in directory: String) -> [String] {
        files(in: directory) { $0.hasSuffix(suffix) }
    }

    private static func files(in directory: String, where keep: (String) -> Bool) -> [String] {
        guard let folder = opendir(directory) else { return [] }
        defer { closedir(folder) }
        var result: [String] = []
        while let item = readdir(folder) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if keep(name) { result.append(directory + "/" + name) }
        }
        return result.sorted()
    }

    /// What an entry says about its CSV, as `key\tvalue` lines.
    struct Metadata {
        var csvPath: String
        var sha256: String
        var encoding: String
        var rows: Int
        /// The counts of `SourceInfo` a cached load reports again, by key.
        var counts: [String: Int]
        var schema: String?
        /// The columns the writing load was asked for; nil when it kept every column.
        var requested: [String]?
        /// The file's columns the entry does not hold.
        var omitted: [ColumnLabel] = []

        static let countKeys = ["blank_lines", "absent", "text_quotes", "excel_formulas", "delimiter"]

        var bytes: [UInt8] {
            var lines = ["format\t\(ColumnCache.formatVersion)", "path\t\(csvPath)", "sha256\t\(sha256)", "encoding\t\(encoding)",
                         "rows\t\(rows)", "schema\t\(schema ?? "")"]
            lines += Self.countKeys.map { "\($0)\t\(counts[$0] ?? 0)" }
            // Names are joined by U+001F, columns by U+001E: neither is in a header the loader keeps.
            lines.append("requested\t" + (requested.map { "1" + $0.joined(separator: "\u{1F}") } ?? "0"))
            lines.append("omitted\t" + omitted.map { ([$0.name] + $0.aliases).joined(separator: "\u{1F}") }.joined(separator: "\u{1E}"))
            return Array(lines.joined(separator: "\n").utf8)
        }

        init(csvPath: String, source: SourceInfo) {
            (self.csvPath, sha256, encoding, rows, schema) =
                (csvPath, source.sha256, source.encoding.rawValue, source.rows, source.schema)
            counts = ["blank_lines": source.blankLines, "absent": source.absent, "text_quotes": source.textQuotes,
                      "excel_formulas": source.excelFormulas, "delimiter": Int(source.delimiter)]
        }

        init?(bytes: [UInt8]) {
            var fields: [String: String] = [:]
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                guard let tab = line.firstIndex(of: "\t") else { return nil }
                fields[String(line[..<tab])] = String(line[line.index(after: tab)...])
            }
            guard fields["format"] == ColumnCache.formatVersion, let path = fields["path"], let sha = fields["sha256"],
                  let encoding = fields["encoding"], let rows = fields["rows"].flatMap(Int.init) else { return nil }
            var counts: [String: Int] = [:]
            for key in Self.countKeys {
                guard let value = fields[key].flatMap(Int.init) else { return nil }
                counts[key] = value
            }
            (csvPath, sha256, self.encoding, self.rows, self.counts) = (path, sha, encoding, rows, counts)
            schema = fields["schema"].flatMap { $0.isEmpty ? nil : $0 }
            guard let requestedField = fields["requested"], let omittedField = fields["omitted"] else { return nil }
            if requestedField.hasPrefix("1") {
                requested = requestedField.dropFirst().split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            }
            omitted = omittedField.split(separator: "\u{1E}").map { column in
                let names = column.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
                return ColumnLabel(name: names[0], aliases: Array(names.dropFirst()))
            }
        }

        /// The source a cached load reports.
        func source(path: String, encoding: SourceEncoding) -> SourceInfo {
            SourceInfo(path: path, sha256: sha256, encoding: encoding, rows: rows, rejected: 0, blankLines: counts["blank_lines"]!,
                       textQuotes: counts["text_quotes"]!, excelFormulas: counts["excel_formulas"]!,
                       delimiter: UInt8(truncatingIfNeeded: counts["delimiter"]!), absent: counts["absent"]!, schema: schema)
        }
    }
}

/// Entry writes running in the background (`ColumnCache.writesInBackground`): a serial queue, the
/// group a process waits on before it ends, and the entries being written (with how many writes
/// of each are queued).
private final class BackgroundWrites: Sendable {
    let queue = DispatchQueue(label: "pingcha.cache-writes")
    let group = DispatchGroup()
    let pending = Mutex<[String: Int]>([:])

    func add(entry: String, _ work: @escaping @Sendable () -> Void) {
        pending.withLock { $0[entry, default: 0] += 1 }
        queue.async(group: group) {
            work()
            self.pending.withLock { pending in
                pending[entry, default: 1] -= 1
                if pending[entry] == 0 { pending[entry] = nil }
            }
        }
    }
}

/// A loaded table handed to the writer's thread: read there, changed nowhere.
private final class TableHandOver: @unchecked Sendable {
    let loaded: LoadedTable
    init(_ loaded: LoadedTable) { self.loaded = loaded }
}
