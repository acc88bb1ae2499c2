import ArgumentParser
import CSVIngest
import Evaluation
import Columnar
import Foundation
import Query
import Reporting

extension Pingcha {
    /// `pingcha query "SQL"`: a SQL subset over the exports.
    struct QueryCommand: ReportCommand {
        static let configuration = CommandConfiguration(
            commandName: "query",
            abstract: "用 SQL 查询导出文件 / Ask the exports anything with a SQL subset.",
            discussion: """
                例 Example: pingcha query "SELECT 县区, pass_rate(评查得分) AS 合格率 FROM 'cases.csv' WHERE 执法领域 = '市场监管' GROUP BY 县区 HAVING count(*) > 50 ORDER BY 2 DESC"
                支持 SELECT [DISTINCT] … FROM … [LEFT] JOIN … ON … WHERE … GROUP BY … HAVING … ORDER BY … LIMIT … OFFSET …；
                聚合 Aggregates: \(FunctionCatalog.usage(.aggregate))
                函数 Functions: \(FunctionCatalog.usage(.scalar))
                窗口 Windows: rank() dense_rank() row_number() OVER (PARTITION BY … ORDER BY …); sum avg count min max OVER (PARTITION BY …)。
                pass_rate(x) 不给分数线时取规则文件的合格线 (--rules) / without a line, pass_rate(x) takes the rules' pass line.
                """)

        @Argument(help: "查询语句，多条用 ; 分隔 The query; several statements separated by ;.")
        var sql: String?

        @Option(name: .customShort("f"), help: ArgumentHelp("从文件读取查询 Read the query from FILE.", valueName: "FILE"))
        var file: String?

        @Option(name: .customLong("table"), help: ArgumentHelp("给文件起表名 Name a file as a table: NAME=FILE (repeatable).", valueName: "NAME=FILE"))
        var tables: [String] = []

        @OptionGroup var input: InputOptions
        @OptionGroup var rulesOption: RulesOption
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if (sql == nil) == (file == nil) {
                throw ValidationError("请给出查询语句，或用 -f 指定查询文件（二者选一）/ give the query, or -f FILE (one of the two).")
            }
            for table in tables where table.split(separator: "=", maxSplits: 1).count != 2 {
                throw ValidationError("--table 应写成 名称=文件 / --table takes NAME=FILE: '\(table)'")
            }
        }

        /// The statements of `text`; a syntax error shown under the text.
        static func parse(_ text: String) throws -> [SelectStatement] {
            do {
                return try SQLParser.parse(text)
            } catch {
                // SQLParser.parse throws QueryError only (typed throws).
                throw error.asPingchaError(in: text)
            }
        }

        func makeReport() throws -> Report {
            let text: String
            if let file {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw PingchaError.cannotRead(file, LocalizedText(zh: "查询文件", en: "query file"))
                }
                text = String(decoding: data, as: UTF8.self)
            } else {
                text = sql ?? ""
            }
            let session = try QuerySession(tables: tables, input: input, rules: rulesOption.rules, language: output.lang)
            return try session.report(for: text, command: "query")
        }
    }
}

/// Query results as result tables.
enum QueryTables {
    static func resultTable(_ result: QueryResult, number: Int, of count: Int) -> ResultTable {
        let columns = zip(result.columnNames, result.columnTypes).map { name, type -> ResultColumn in
            let format: CellFormat
            switch type {
            case .int64?: format = .integer
            case .float64?: format = .number
            case .date?, .timestamp?: format = .date
            case .bool?: format = .bool
            default: format = .text
            }
            return ResultColumn(key: name, header: LocalizedText(zh: name, en: name), format: format)
        }
        let rows = result.rows.count == 1 ? "1 row" : "\(result.rows.count) rows"
        let title = count == 1 ? LocalizedText(zh: "查询结果（\(result.rows.count) 行）", en: "Query result (\(rows))")
            : LocalizedText(zh: "第 \(number) 条查询结果（\(result.rows.count) 行）", en: "Result of statement \(number) (\(rows))")
        return ResultTable(title: title, columns: columns, rows: result.rows)
    }
}
