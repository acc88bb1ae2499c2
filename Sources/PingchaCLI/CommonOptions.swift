import ArgumentParser
import CSVIngest
import Columnar
import Reporting

extension OutputFormat: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}

/// Options every command shares: how to print and where to log.
struct OutputOptions: ParsableArguments {
    @Option(help: "输出格式 Output format: table, csv (UTF-8 with BOM), json, md, xlsx, arrow (the main table as an Arrow IPC file; xlsx and arrow need --output).")
    var format: OutputFormat = .table

    @Option(help: ArgumentHelp("写入文件而不是屏幕（xlsx 必需）Write to FILE instead of the screen (required for xlsx).", valueName: "FILE"))
    var output: String?

    @Option(help: "表头和提示的语言 Language of headers and messages: zh or en.")
    var lang: Language = .zh

    @Option(help: ArgumentHelp("把本次运行的来源信息作为一行 JSON 追加到文件 Append this run's provenance as one JSON line to FILE.", valueName: "FILE"))
    var log: String?

    func validate() throws {
        if (format == .xlsx || format == .arrow) && output == nil {
            throw ValidationError("--format \(format.rawValue) 需要 --output FILE / --format \(format.rawValue) needs --output FILE.")
        }
    }
}

/// Options for reading an export.
struct InputOptions: ParsableArguments {
    @Option(help: "文件编码（默认自动识别）Encoding: utf-8, utf-8-bom, gb18030 (gbk), utf-16; detected when absent.")
    var encoding: String?

    @Option(help: "字段分隔符（默认自动识别）Field separator: comma, tab, semicolon, pipe (or , \\t ; |); detected when absent.")
    var delimiter: String?

    @Option(help: ArgumentHelp("把坏行另存到此文件并继续，而不是报错停止 Write bad rows to FILE and go on, instead of stopping at the first.", valueName: "FILE"))
    var rejects: String?

    @Option(help: "单个字段的最大字节数 The longest field accepted, in bytes.")
    var maxFieldBytes: Int = 1 << 20

    @Option(help: ArgumentHelp("Excel 工作簿（xlsx、xls）的工作表：名称或序号（默认第一个）The sheet of a workbook to read: its name or number (the first by default).", valueName: "NAME|N"))
    var sheet: String?

    @Option(help: ArgumentHelp("Excel 工作簿的表头所在行（默认自动：跳过上方只有一个单元格的标题行）The header's row in a workbook (by default the first row of two or more cells: one-cell title rows above it are skipped).", valueName: "N"))
    var headerRow: Int?

    @Option(help: ArgumentHelp("列缓存目录（默认用户缓存目录 $XDG_CACHE_HOME/pingcha 或 ~/.cache/pingcha）The column cache directory (default: $XDG_CACHE_HOME/pingcha or ~/.cache/pingcha).", valueName: "DIR"))
    var cacheDir: String?

    @Option(help: ArgumentHelp("列缓存的大小上限，如 4G、500M（默认 4G；超出时删除最久未用的）The cache's size cap, as 4G or 500M (default 4G; the least recently used entries go first).", valueName: "SIZE"))
    var cacheLimit: String = "4G"

    /// `cacheLimit` in bytes: a number with an optional K, M or G (powers of 1024).
    var cacheLimitBytes: Int? {
        let text = cacheLimit.uppercased().replacingOccurrences(of: "B", with: "")
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let unit = text.last.flatMap({ units[$0] }) { return Int(text.dropLast()).map { $0 * unit } }
        return Int(text)
    }

    @Flag(help: "不读也不写列缓存，每次重新解析 CSV Neither read nor write the column cache.")
    var noCache = false

    @Option(help: "解析用的线程数（默认全部处理器核心；1 为单线程）Threads for parsing (default: every processor; 1 parses serially).")
    var threads: Int?

    @Option(help: "解析器：vectorised（默认，向量化分词，异常记录交给 libcsv）或 libcsv（全部由 libcsv 解析）Parser: vectorised (default: the vectorised tokenizer, libcsv for the records it hands over) or libcsv (every record).")
    var parser: String = LoadOptions.Parser.vectorised.rawValue

    @Option(help: .hidden)
    var chunkBytes: Int?

    func validate() throws {
        if let encoding, SourceEncoding(userValue: encoding) == nil {
            throw ValidationError("不认识的编码「\(encoding)」；可用 utf-8、utf-8-bom、gb18030、utf-16 / unknown encoding '\(encoding)'; use utf-8, utf-8-bom, gb18030 or utf-16.")
        }
        if let delimiter, DelimiterDetector.parse(userValue: delimiter) == nil {
            throw ValidationError("不认识的分隔符「\(delimiter)」；可用 comma、tab、semicolon、pipe / unknown delimiter '\(delimiter)'; use comma, tab, semicolon or pipe.")
        }
        if cacheLimitBytes == nil || cacheLimitBytes! < 0 {
            throw ValidationError("--cache-limit 应写成 4G、500M 这样的大小 / --cache-limit takes a size such as 4G or 500M.")
        }
        if LoadOptions.Parser(rawValue: parser) == nil {
            throw ValidationError("不认识的解析器「\(parser)」；可用 vectorised、libcsv / unknown parser '\(parser)'; use vectorised or libcsv.")
        }
        if maxFieldBytes < 1 {
            throw ValidationError("--max-field-bytes 必须大于 0 / must be positive.")
        }
        if let threads, threads < 1 {
            throw ValidationError("--threads 必须大于 0 / must be positive.")
        }
        if let chunkBytes, chunkBytes < 1 {
            throw ValidationError("--chunk-bytes 必须大于 0 / must be positive.")
        }
    }
}

/// `--rules FILE`: a rules file overriding parts of the bundled rules.
struct RulesOption: ParsableArguments {
    @Option(help: ArgumentHelp("规则文件，覆盖内置规则 Rules file overriding the bundled rules.", valueName: "FILE"))
    var rules: String?

    /// The provenance line naming where the rules came from (`builtin` or the file).
    static func setting(_ source: String) -> Provenance.Setting {
        Provenance.Setting(key: "rules_file", label: LocalizedText(zh: "规则文件", en: "rules file"), value: .text(source))
    }
}
