import CSVIngest
import Columnar
import Vocabulary
import Foundation
import Reporting

/// Loads exports for the commands: progress on a terminal, rejects to their file, provenance.
struct ExportLoader {
    let input: InputOptions
    let language: Language

    /// Loads `path` with `schema` (detected when nil); with `columns`, only those columns are
    /// kept (the rest still checked), unless the load fills the column cache.
    func load(_ path: String, schema: ExportSchema?, noSchema: Bool = false, columns: [String]? = nil,
              columnsMayBeMissing: Bool = false, rowLines: Bool = true, valueRules: Bool = true) throws -> LoadedTable {
        var options = LoadOptions()
        options.valueRules = valueRules
        options.columns = columns
        options.columnsMayBeMissing = columnsMayBeMissing
        options.rowLines = rowLines
        options.encoding = input.encoding.flatMap(SourceEncoding.init(userValue:))
        options.delimiter = input.delimiter.flatMap(DelimiterDetector.parse(userValue:))
        options.parser = LoadOptions.Parser(rawValue: input.parser) ?? .vectorised
        options.schema = schema
        options.noSchema = noSchema
        options.collectRejects = input.rejects != nil
        options.maxFieldBytes = input.maxFieldBytes
        options.threads = input.threads
        options.chunkBytes = input.chunkBytes
        options.sheet = input.sheet
        options.headerRow = input.headerRow
        if !input.noCache {
            options.cache = ColumnCache(directory: input.cacheDir ?? ColumnCache.userDirectory,
                                        maxBytes: input.cacheLimitBytes ?? ColumnCache.defaultMaxBytes, writesInBackground: true)
        }
        let progress = ProgressBar(label: path, language: language)
        options.progress = { done, total in progress.update(done: done, total: total) }
        defer { progress.finish() }
        let loaded = try CSVLoader.load(path: path, options: options)
        if let rejectsPath = input.rejects {
            try RejectsWriter.append(loaded.rejects, to: rejectsPath, language: language)
        }
        return loaded
    }

    /// The provenance entry of a loaded file.
    static func provenanceInput(_ loaded: LoadedTable) -> Provenance.Input {
        let source = loaded.source
        var input = Provenance.Input(path: source.path, sha256: source.sha256, encoding: source.encoding.rawValue,
                                     rows: source.rows, rejected: source.rejected, blankLines: source.blankLines)
        let name = DelimiterDetector.name(of: source.delimiter)
        input.delimiter = name.en
        input.delimiterLabel = LocalizedText(zh: name.zh, en: name.en)
        input.textQuotes = source.textQuotes
        input.excelFormulas = source.excelFormulas
        input.sheet = source.sheet
        input.titleRows = source.titleRows
        return input
    }
}

/// Writes rejected rows to the `--rejects` file: UTF-8 with BOM, one row per rejected record.
enum RejectsWriter {
    static func append(_ rejects: [RejectedRow], to path: String, language: Language) throws {
        let exists = FileManager.default.fileExists(atPath: path)
        var text = ""
        if !exists {
            let headers = language == .zh ? ["文件", "行号", "结束行", "列", "原因", "原始内容"]
                                           : ["file", "line", "last_line", "column", "reason", "raw"]
            text += CSVRenderer.byteOrderMark + headers.joined(separator: ",") + "\r\n"
        }
        for reject in rejects {
            let fields = [reject.path, String(reject.firstLine), String(reject.lastLine), reject.column.map(String.init) ?? "",
                          reject.reason.text(language), reject.raw]
            text += fields.map(CSVRenderer.quote).joined(separator: ",") + "\r\n"
        }
        guard let data = text.data(using: .utf8) else { return }
        if exists {
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw PingchaError.cannotWrite(path)
            }
            defer { try? handle.close() }
            handle.seekToEndOfFile()
            handle.write(data)
        } else if !FileManager.default.createFile(atPath: path, contents: data) {
            throw PingchaError.cannotWrite(path)
        }
    }
}
