import ArgumentParser
import CSVIngest
import Columnar
import Evaluation
import Query
import Reporting

extension Pingcha.Cases {
    /// `pingcha cases pass-rate FILE --by COLUMN`.
    struct PassRate: ReportCommand {
        static let configuration = CommandConfiguration(
            commandName: "pass-rate",
            abstract: "按单位、县区、领域等分组统计案卷合格率并排名 / Pass rate per group, ranked.",
            discussion: "低于不合格线（默认 70 分）的案卷为不合格，70.0 分合格。A file scoring below the pass line (70 by default) is unqualified; 70.0 passes.")

        @Argument(help: "案卷评查结果 CSV The cases export.")
        var file: String

        @Option(help: "分组列，如 执法单位 / unit、县区 / county、执法领域 / sector Group by this column.")
        var by: String

        @Option(help: "不合格线：低于此分为不合格（默认取规则文件，70）Pass line: below it a file is unqualified.")
        var threshold: Double?

        @Option(help: "优秀线（默认取规则文件，90）Excellent from this score.")
        var excellent: Double?

        @Option(name: .customLong("where"), help: "筛选条件，如 \"评查年度 = 2022 and 执法领域 = '市场监管'\" / Filter rows.")
        var filter: String?

        @OptionGroup var rulesOption: RulesOption

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            for (name, value) in [("--threshold", threshold), ("--excellent", excellent)] {
                if let value, !(0...100).contains(value) {
                    throw ValidationError("\(name) 应在 0–100 之间 / must lie between 0 and 100.")
                }
            }
        }

        func makeReport() throws -> Report {
            let settings = try RuleSettings.load(overridePath: rulesOption.rules)
            let filterExpression = try FilterParsing.parse(filter)
            let needed = [by, CaseReview.scoreColumn] + (filterExpression?.columnNames ?? [])
            // The pass rate names no rows: the row lines are not read from the cache.
            let loaded = try ExportLoader(input: input, language: output.lang).load(file, schema: .cases, columns: needed, rowLines: false)
            if loaded.table.rowCount == 0 {
                throw PingchaError(.data, zh: "\(file) 没有可用的数据行（只有表头，或所有行都被拒收）。",
                                   en: "\(file) has no usable data rows (only a header, or every row was rejected).")
            }
            let request = CaseReview.PassRateRequest(
                groupBy: by, filter: filterExpression, filterText: filter,
                passThreshold: threshold ?? settings.caseReview.passThreshold, lineReading: settings.caseReview.lineReading,
                excellentThreshold: excellent ?? settings.caseReview.excellentThreshold)
            let result: CaseReview.PassRateResult
            do {
                result = try CaseReview.passRate(table: loaded.table, request: request)
            } catch {
                throw OptionErrors.rendered(error, by: by, filter: filter, tables: [loaded.table])
            }
            var exclusions = ExclusionList.rejected(loaded)
            if result.filteredOut > 0 {
                exclusions.append(ExclusionList.filteredOut(result.filteredOut))
            }
            var notes: [LocalizedText] = []
            if result.table.rows.isEmpty {
                notes.append(LocalizedText(zh: "筛选条件没有选中任何案卷。", en: "the filter selected no case files."))
            }
            let ruleSettings = result.settings + [
                RulesOption.setting(settings.source),
                Provenance.Setting(key: "rules_version", label: LocalizedText(zh: "规则版本", en: "rules version"), value: .text(settings.rulesVersion)),
            ]
            let provenance = Provenance(command: "cases pass-rate", inputs: [ExportLoader.provenanceInput(loaded)],
                                        settings: ruleSettings, exclusions: exclusions)
            return Report(table: result.table, notes: notes, provenance: provenance)
        }
    }
}
