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
            let named = Dictionary(tables.map { entry -> (String, String) in
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                return (parts[0].lowercased(), parts[1])
            }, uniquingKeysWith: { _, last in last })
            let loader = ExportLoader(input: input, language: output.lang)
            let statements = try Self.parse(text)
            // pass_rate(score) counts from the rules' pass line (read as their line_reading says).
            let settings = try RuleSettings.load(overridePath: rulesOption.rules)
            let review = settings.caseReview
            let passLine = review.lineReading.strictLine(review.passThreshold)
            let usesDefaultLine = statements.contains(where: \.usesDefaultPassLine)
            // Only the columns the statements read are loaded (from the cache, only those are read);
            // every column for SELECT * or a join.
            let wanted: [String]? = statements.allSatisfy { $0.columnsRead != nil }
                ? statements.flatMap { $0.columnsRead! } : nil
            var loaded: [String: LoadedTable] = [:]
            var loadOrder: [String] = []
            let source: SQLExecutor.TableSource = { reference in
                let path: String
                if reference.isPath {
                    path = reference.source
                } else if let mapped = named[reference.source.lowercased()] {
                    path = mapped
                } else {
                    let close = NameSuggestions.closest(to: reference.source, among: Array(named.keys).sorted())
                    let hint = close.isEmpty ? "" : "（是不是指：\(close.joined(separator: "、"))）"
                    let hintEn = close.isEmpty ? "" : " (did you mean: \(close.joined(separator: ", ")))"
                    throw QueryError(message: LocalizedText(
                        zh: "没有名为「\(reference.source)」的表\(hint)；用 --table 名称=文件 指定，或直接写 FROM '文件.csv'。",
                        en: "no table named '\(reference.source)'\(hintEn); name one with --table NAME=FILE, or write FROM 'file.csv'."),
                        position: reference.position)
                }
                if let existing = loaded[path] { return existing.table }
                let table = try loader.load(path, schema: nil, columns: wanted, rowLines: false, valueRules: false)
                loaded[path] = table
                loadOrder.append(path)
                return table.table
            }
            var sections: [Report.Section] = []
            var plans: [String] = []
            do {
                for (index, statement) in statements.enumerated() {
                    let result = try SQLExecutor(statement: statement, passLine: passLine, source: source).run()
                    plans.append(result.plan)
                    let key = statements.count == 1 ? "rows" : "statement_\(index + 1)"
                    sections.append(Report.Section(key: key, table: QueryTables.resultTable(result, number: index + 1, of: statements.count)))
                }
            } catch let error as QueryError {
                throw error.asPingchaError(in: text)
            }
            let provenance = Provenance(
                command: "query", inputs: loadOrder.map { ExportLoader.provenanceInput(loaded[$0]!) },
                settings: [Provenance.Setting(key: "sql", label: LocalizedText(zh: "查询", en: "query"), value: .text(text)),
                           Provenance.Setting(key: "plan", label: LocalizedText(zh: "执行方式", en: "plan"),
                                              value: .text(plans.joined(separator: ",")))]
                    + (usesDefaultLine ? [Provenance.Setting(key: "pass_threshold", label: LocalizedText(zh: "pass_rate 的合格线", en: "pass_rate's pass line"),
                                                             value: .double(review.passThreshold)),
                                          review.lineReading.setting(review.passThreshold), RulesOption.setting(settings.source)] : []),
                exclusions: loadOrder.flatMap { ExclusionList.rejected(loaded[$0]!) })
            return Report(sections: sections, provenance: provenance)
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
