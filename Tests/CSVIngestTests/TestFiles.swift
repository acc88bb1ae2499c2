import CSVIngest
import Columnar
import Vocabulary
import Foundation

/// Writes test inputs to a fresh temporary folder.
enum TestFiles {
    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pingcha-ingest-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    static func write(_ bytes: [UInt8], name: String) -> String {
        let url = folder.appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
        return url.path
    }

    /// Bytes written as hex (`"e4f0"`), as Python's `bytes.hex()` prints them.
    static func bytes(hex: String) -> [UInt8] {
        stride(from: 0, to: hex.count, by: 2).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    static func write(_ text: String, name: String) -> String {
        write(Array(text.utf8), name: name)
    }

    /// Loads with no schema unless one is given.
    static func load(_ path: String, schema: ExportSchema? = nil, rejects: Bool = false, encoding: SourceEncoding? = nil,
                     maxFieldBytes: Int = 1 << 20, threads: Int? = nil, chunkBytes: Int? = nil,
                     parser: LoadOptions.Parser = .vectorised) throws -> LoadedTable {
        var options = LoadOptions()
        options.parser = parser
        options.threads = threads
        options.chunkBytes = chunkBytes
        options.schema = schema
        options.noSchema = schema == nil
        options.collectRejects = rejects
        options.encoding = encoding
        options.maxFieldBytes = maxFieldBytes
        return try CSVLoader.load(path: path, options: options)
    }

    /// Every cell as plain text, row by row.
    static func cells(_ table: Table) -> [[String]] {
        (0..<table.rowCount).map { row in table.columns.map { $0.value(at: row).plainText } }
    }

    static func headers(_ table: Table) -> [String] {
        table.columns.map(\.name)
    }

    /// The error a load throws.
    static func loadError(_ path: String, schema: ExportSchema? = nil) -> PingchaError? {
        do {
            _ = try load(path, schema: schema)
            return nil
        } catch let error as PingchaError {
            return error
        } catch {
            return nil
        }
    }
}
