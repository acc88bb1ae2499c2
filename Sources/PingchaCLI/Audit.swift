import ArgumentParser
import CSVIngest
import Columnar
import Evaluation
import Reporting

extension Pingcha.Cases {
    /// `pingcha cases audit CASES`.
    struct Audit: ReportCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "核查重复编号、断号、近三年评查年度和 0 分案卷 / Duplicate case numbers, numbering gaps, yearly reviews and files scoring 0.")

        @Argument(help: "案卷评查结果 CSV The cases export.")
        var file: String

        @Option(help: "近三年中的最后一年（默认取数据中最大的评查年度）The last of the three years (the latest review year in the data by default).")
        var year: Int?

        @Option(name: .customLong("where"), help: "筛选条件 Filter rows.")
        var filter: String?

        @OptionGroup var rulesOption: RulesOption

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func makeReport() throws -> Report {
            let loaded = try ExportLoader(input: input, language: output.lang).load(file, schema: .cases)
            let review = try RuleSettings.load(overridePath: rulesOption.rules).caseReview
            let audit = try CaseReview.audit(table: loaded.table, lines: loaded.lines, lastYear: year, yearsChecked: review.reviewYearsChecked,
                                             pointsPerMissingYear: review.missingYearDeduction, itemPoints: review.reviewItemPoints,
                                             filter: try FilterParsing.parse(filter))
            var exclusions = ExclusionList.rejected(loaded)
            if audit.unnumbered > 0 {
                exclusions.append(Provenance.Exclusion(key: "unnumbered", reason: LocalizedText(zh: "案卷编号末尾没有数字，未做断号核查", en: "case numbers without trailing digits, left out of the gap check"),
                                                       rows: audit.unnumbered))
            }
            return Report(sections: [Report.Section(key: "duplicates", table: audit.duplicates),
                                     Report.Section(key: "gaps", table: audit.gaps),
                                     Report.Section(key: "review_years", table: audit.reviewYears),
                                     Report.Section(key: "zero_score", table: audit.zeroScore)],
                          provenance: Provenance(command: "cases audit", inputs: [ExportLoader.provenanceInput(loaded)],
                                                 settings: audit.settings, exclusions: exclusions))
        }
    }
}
