import ArgumentParser
import Vocabulary
import CSVIngest
import Columnar
import Evaluation
import Query
import Reporting

extension Pingcha {
    /// `pingcha filing CASES --by COLUMN`.
    struct Filing: ReportCommand {
        static let configuration = CommandConfiguration(
            commandName: "filing",
            abstract: "核查重大行政处罚是否在 15 日内备案 / Check that major penalties were filed within 15 days.",
            discussion: "第 15 日备案仍算按时；未备案每件扣 3 分，逾期每件扣 1 分，本项 3 分扣完为止。Day 15 is on time; −3 per unfiled, −1 per late, the 3-point item stops at zero.")

        @Argument(help: "案卷评查结果 CSV The cases export.")
        var file: String

        @Option(help: "分组列（默认 \(CasesExport.unit.header)）Group by this column.")
        var by: String = CasesExport.unit.header

        @Option(name: .customLong("where"), help: "筛选条件 Filter rows.")
        var filter: String?

        @Flag(help: "列出逾期、未备案的案件 List the late and unfiled cases.")
        var details = false

        @OptionGroup var rulesOption: RulesOption

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func makeReport() throws -> Report {
            let settings = try RuleSettings.load(overridePath: rulesOption.rules)
            let loaded = try ExportLoader(input: input, language: output.lang).load(file, schema: .cases)
            let request = FilingTimeliness.Request(groupBy: by, filter: try FilterParsing.parse(filter), filterText: filter, settings: settings.filing)
            let result: FilingTimeliness.Result
            do {
                result = try FilingTimeliness.evaluate(table: loaded.table, request: request)
            } catch let error as QueryError {
                throw OptionErrors.rendered(error, by: by, filter: filter, tables: [loaded.table])
            }
            var sections = [Report.Section(key: "rows", table: result.summary)]
            if details { sections.append(Report.Section(key: "details", table: result.details)) }
            var exclusions = ExclusionList.rejected(loaded)
            if result.filteredOut > 0 {
                exclusions.append(ExclusionList.filteredOut(result.filteredOut))
            }
            let notes = [LocalizedText(zh: "没有重大案件的分组不列出（本项得满分）。", en: "groups with no major case are not listed (they score the full item).")]
            let provenance = Provenance(command: "filing", inputs: [ExportLoader.provenanceInput(loaded)],
                                        settings: result.settings + [RulesOption.setting(settings.source)],
                                        exclusions: exclusions)
            return Report(sections: sections, notes: notes, provenance: provenance)
        }
    }
}
