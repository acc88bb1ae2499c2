import ArgumentParser
import Vocabulary
import CSVIngest
import Columnar
import Evaluation
import Query
import Reporting

extension Pingcha {
    /// `pingcha survey …`: satisfaction questionnaires.
    struct Survey: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "survey", abstract: "满意度问卷 / Satisfaction survey.", subcommands: [SatisfactionCommand.self])
    }
}

extension Pingcha.Survey {
    /// `pingcha survey satisfaction FILE --by COLUMN`.
    struct SatisfactionCommand: ReportCommand {
        static let configuration = CommandConfiguration(
            commandName: "satisfaction",
            abstract: "满意度指数、满意率及其 95% 置信区间，样本不足的不参与排名 / Index and satisfied rate with 95% intervals; groups too small are not ranked.")

        @Argument(help: "满意度问卷 CSV The survey export.")
        var file: String

        @Option(help: "分组列（默认 \(SurveyExport.unit.header)）Group by this column.")
        var by: String = SurveyExport.unit.header

        @Option(help: "最少问卷数（默认取规则文件，30）Fewer responses than this is too small to rank.")
        var minResponses: Int?

        @Flag(help: "与上一年比较（按调查日期的最近一年）Compare the latest year of 调查日期 with the year before.")
        var comparePeriod = false

        @Option(name: .customLong("where"), help: "筛选条件 Filter rows.")
        var filter: String?

        @OptionGroup var rulesOption: RulesOption

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if let minResponses, minResponses < 0 { throw ValidationError("--min-responses 不能为负 / must not be negative.") }
        }

        func makeReport() throws -> Report {
            var settings = try RuleSettings.load(overridePath: rulesOption.rules).satisfaction
            if let minResponses { settings.minResponses = minResponses }
            let loaded = try ExportLoader(input: input, language: output.lang).load(file, schema: .survey)
            let request = Satisfaction.Request(groupBy: by, filter: try FilterParsing.parse(filter), filterText: filter,
                                               settings: settings, comparePeriod: comparePeriod)
            let result: Satisfaction.Result
            do {
                result = try Satisfaction.evaluate(table: loaded.table, lines: loaded.lines, request: request)
            } catch let error as QueryError {
                throw OptionErrors.rendered(error, by: by, filter: filter, tables: [loaded.table])
            }
            var exclusions = ExclusionList.rejected(loaded)
            exclusions.append(Provenance.Exclusion(key: "answers_outside_scale", reason: LocalizedText(zh: "答案不在 1–5 或标签表中", en: "an answer outside 1–5 and the label table"),
                                                   rows: result.rejected.rows.count))
            exclusions.append(ExclusionList.filteredOut(result.filteredOut))
            exclusions.append(Provenance.Exclusion(key: "outside_periods", reason: LocalizedText(zh: "不在比较的两个年度内", en: "outside the two years compared"),
                                                   rows: result.outsidePeriods))
            var sections = [Report.Section(key: "rows", table: result.table)]
            if !result.rejected.rows.isEmpty { sections.append(Report.Section(key: "rejected", table: result.rejected)) }
            return Report(sections: sections,
                          provenance: Provenance(command: "survey satisfaction", inputs: [ExportLoader.provenanceInput(loaded)],
                                                 settings: result.settings, exclusions: exclusions))
        }
    }
}
