import ArgumentParser
import Vocabulary
import CSVIngest
import Columnar
import Evaluation
import Query
import Reporting

extension RiskGrading.Period: ExpressibleByArgument {}

extension Pingcha {
    /// `pingcha risk CASES [--by sector] [--period year|quarter] [--catalog CATALOG]`.
    struct Risk: ReportCommand {
        static let configuration = CommandConfiguration(
            commandName: "risk",
            abstract: "违法风险点清单：按高、中、低风险分级 / The legal-risk list: violations graded high, medium, low.",
            discussion: "高风险：有重大行政处罚或行政强制，或件数居本领域本期前 10%；低风险：全部适用简易程序，或本期少于 3 件；其余为中风险。阈值见规则文件 risk。High: a major penalty or compulsion, or top 10% by count; low: all simple procedure or fewer than 3; medium: the rest.")

        @Argument(help: "案卷评查结果 CSV The cases export.")
        var file: String

        @Option(help: "分组列（默认 \(CasesExport.sector.header)）Group by this column (sector by default).")
        var by: String = CasesExport.sector.header

        @Option(help: "期间 Period: year or quarter (by decision date).")
        var period: RiskGrading.Period = .year

        @Option(name: .customLong("where"), help: "筛选条件 Filter rows.")
        var filter: String?

        @Option(help: ArgumentHelp("风险目录 CSV（违法行为、法律依据、裁量标准、法律后果、防控措施、责任单位）：生成可公布的清单 The office's risk catalog: the published list joins it.", valueName: "FILE"))
        var catalog: String?

        @OptionGroup var rulesOption: RulesOption
        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func makeReport() throws -> Report {
            let settings = try RuleSettings.load(overridePath: rulesOption.rules)
            let loaded = try ExportLoader(input: input, language: output.lang).load(file, schema: .cases)
            let request = RiskGrading.Request(groupBy: by, period: period, filter: try FilterParsing.parse(filter), filterText: filter, settings: settings.risk)
            let result: RiskGrading.Result
            do {
                result = try RiskGrading.grade(table: loaded.table, request: request)
            } catch let error as QueryError {
                throw OptionErrors.rendered(error, by: by, filter: filter, tables: [loaded.table])
            }
            var exclusions = ExclusionList.rejected(loaded)
            exclusions.append(ExclusionList.filteredOut(result.filteredOut))
            exclusions.append(Provenance.Exclusion(key: "no_decision_date", reason: LocalizedText(zh: "无决定日期，无法归入期间", en: "no decision date, so no period"), rows: result.undated))
            exclusions.append(Provenance.Exclusion(key: "no_violation", reason: LocalizedText(zh: "违法行为为空", en: "no violation named"), rows: result.noViolation))
            var notes = [LocalizedText(zh: "增减为与上一期间相比的件数变化；上一期间无数据时为 -。", en: "change is against the previous period; - when that period has no data.")]
            var inputs = [ExportLoader.provenanceInput(loaded)]
            var sections = [Report.Section(key: "rows", table: result.table)]
            if let catalog {
                let catalogTable = try ExportLoader(input: input, language: output.lang).load(catalog, schema: .riskCatalog)
                inputs.append(ExportLoader.provenanceInput(catalogTable))
                exclusions += ExclusionList.rejected(catalogTable)
                let published = try RiskGrading.publish(result, catalog: catalogTable.table, catalogLines: catalogTable.lines, path: catalog)
                sections = [Report.Section(key: "published", table: published.table),
                            Report.Section(key: "missing_from_catalog", table: published.missing),
                            Report.Section(key: "rows", table: result.table)]
                if !published.missing.rows.isEmpty {
                    notes.append(LocalizedText(zh: "\(published.missing.rows.count) 种违法行为不在风险目录中，清单中已标明，见「风险目录中没有的违法行为」。",
                                               en: "\(published.missing.rows.count) violations are not in the risk catalog; marked in the list, see 'Violations missing from the risk catalog'."))
                }
                if published.unusedEntries > 0 {
                    notes.append(LocalizedText(zh: "风险目录中有 \(published.unusedEntries) 条在本期清单中没有案件。",
                                               en: "\(published.unusedEntries) catalog entries have no case in this list."))
                }
            }
            return Report(sections: sections, notes: notes,
                          provenance: Provenance(command: "risk", inputs: inputs,
                                                 settings: result.settings + [RulesOption.setting(settings.source)],
                                                 exclusions: exclusions))
        }
    }
}
