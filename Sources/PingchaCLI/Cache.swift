import ArgumentParser
import CSVIngest
import Columnar
import Reporting

extension Pingcha {
    /// `pingcha cache ls|clear`: the column cache.
    struct Cache: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cache",
            abstract: "列缓存：列出、清除 / The column cache: list or clear.",
            discussion: "未改动的 CSV 再次查询时直接读取缓存的列；CSV 一改动（大小、修改时间、首尾内容）缓存即失效；损坏的缓存文件会被发现并重建。Unchanged CSVs are read from cached columns; any change invalidates them; a damaged cache file is detected and rebuilt.",
            subcommands: [List.self, Clear.self])
    }
}

/// Which cache directories a `cache` subcommand looks at.
struct CacheDirectoryOption: ParsableArguments {
    @Option(help: ArgumentHelp("缓存目录（默认：用户缓存目录，以及早期版本放在当前目录的 .pingcha-cache）The cache directory (default: the user's cache directory, and the .pingcha-cache earlier versions left in this folder).", valueName: "DIR"))
    var cacheDir: String?

    var directories: [String] {
        cacheDir.map { [$0] } ?? [ColumnCache.userDirectory, ".pingcha-cache"]
    }
}

extension Pingcha.Cache {
    struct List: ReportCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "列出缓存文件 / List the cache files.")

        @OptionGroup var directory: CacheDirectoryOption
        @OptionGroup var output: OutputOptions

        func makeReport() throws -> Report {
            let fields: [ResultField<ColumnCache.Entry>] = [
                ResultField(\.file, key: "file", zh: "缓存文件", en: "Cache file", format: .text),
                ResultField(\.csvPath, key: "csv", zh: "对应 CSV", en: "CSV", format: .text),
                ResultField(\.rows, key: "rows", zh: "行数", en: "Rows", format: .integer),
                ResultField(\.bytes, key: "bytes", zh: "字节", en: "Bytes", format: .integer),
                ResultField(\.intact, key: "intact", zh: "完好", en: "Intact", format: .bool),
            ]
            let table = ResultTable(title: LocalizedText(zh: "列缓存", en: "Column cache"), fields: fields,
                                    rows: directory.directories.flatMap(ColumnCache.entries(in:)))
            return Report(table: table, notes: [LocalizedText(zh: "查看的目录：\(directory.directories.joined(separator: "、"))", en: "directories: \(directory.directories.joined(separator: ", "))")],
                          provenance: Provenance(command: "cache ls", inputs: [], settings: [], exclusions: []))
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "clear", abstract: "删除缓存文件 / Delete the cache files.")

        @OptionGroup var directory: CacheDirectoryOption

        func run() throws {
            for folder in directory.directories {
                let removed = ColumnCache.clear(directory: folder)
                Console.current.line("\(folder)：删除 \(removed) 个缓存文件 / removed \(removed) cache files")
            }
        }
    }
}
