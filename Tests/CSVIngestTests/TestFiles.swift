import CSVIngest
import Columnar
import Vocabulary
import Foundation
import PingchaTestSupport

/// Loads test inputs (written with `Fixtures`) and reads tables back as text.
enum TestFiles {
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
