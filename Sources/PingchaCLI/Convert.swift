import ArgumentParser
import CSVIngest
import Columnar
import Vocabulary
import Foundation
import Reporting

extension Pingcha {
    /// `pingcha convert FILE --to arrow --output F.arrow`: the typed columns handed to the next tool.
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "convert",
            abstract: "把导出文件转换为 Arrow 文件，交给 DuckDB、Polars、Spark 继续分析 / Write an export's typed columns as an Arrow IPC file for DuckDB, Polars or Spark.",
            discussion: "列名为文件表头；数字、日期、是/否按类型写出，文本按字典编码。DuckDB: SELECT * FROM 'F.arrow'（需 arrow 扩展）或 pyarrow.feather.read_table；Polars: pl.read_ipc('F.arrow')。Columns keep the file's headers; numbers, dates and 是/否 keep their types, text is dictionary-encoded.")

        enum Target: String, ExpressibleByArgument, CaseIterable {
            case arrow
        }

        @Argument(help: "CSV 文件 The CSV export.")
        var file: String

        @Option(help: "目标格式 Target format: arrow (Arrow IPC file, Feather v2).")
        var to: Target = .arrow

        @Option(help: ArgumentHelp("输出文件 The file to write.", valueName: "FILE"))
        var output: String

        @Option(help: "按哪种导出读取（默认按表头识别）Read as this export: cases, survey, roster, tests, competition, acceptance, candidates, risk_catalog, or none.")
        var schema: String?

        @OptionGroup var input: InputOptions

        @Option(help: "提示语言 Language: zh or en.")
        var lang: Language = .zh

        func validate() throws {
            if let schema, schema != "none", ExportSchema.named(schema) == nil {
                throw ValidationError("不认识的导出类型「\(schema)」/ unknown schema '\(schema)'; use one of: \(ExportSchema.all.map(\.name).joined(separator: ", ")), none.")
            }
        }

        func run() throws {
            let loaded = try ExportLoader(input: input, language: lang)
                .load(file, schema: schema.flatMap(ExportSchema.named), noSchema: schema == "none")
            try ArrowFileWriter.write(loaded.table, to: output)
            let types = loaded.table.columns.map { "\($0.name) \($0.dataType)" }.joined(separator: lang == .zh ? "、" : ", ")
            let rejected = loaded.source.rejected
            Console.current.line(lang == .zh
                  ? "已写出 \(output)：\(loaded.table.rowCount) 行，\(loaded.table.columns.count) 列（\(types)）；拒收 \(rejected) 行。"
                  : "wrote \(output): \(loaded.table.rowCount) rows, \(loaded.table.columns.count) columns (\(types)); \(rejected) rows rejected.")
        }
    }
}
