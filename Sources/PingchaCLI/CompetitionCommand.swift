import ArgumentParser
import CSVIngest
import Columnar
import Vocabulary
import Evaluation
import Reporting

extension Pingcha {
    /// `pingcha competition COMPETITION --tests TESTS --roster ROSTER`.
    struct CompetitionCommand: ReportCommand {
        static let configuration = CommandConfiguration(
            commandName: "competition",
            abstract: "比武成绩排名 / Rank the teams of the enforcement competition.",
            discussion: "成绩 = 理论平均分 × 40% + 模拟执法得分 × 60%（仅理论：× 100%）；违规队伍计 0 分；精确小数计算，按两位小数公布和排名，并列同名次（1、2、2、4）。Score = theory average × 40% + simulation × 60%; misconduct scores 0; exact decimals, published and ranked at two decimals.")

        @Argument(help: "比武成绩 CSV The competition export.")
        var file: String

        @Option(help: "法律知识测试成绩 CSV（理论测试）The tests export (theory tests).")
        var tests: String

        @Option(help: "执法人员名册 CSV（把人员归入队伍）The roster, to put each person in a team.")
        var roster: String

        @OptionGroup var rulesOption: RulesOption
        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func makeReport() throws -> Report {
            let settings = try RuleSettings.load(overridePath: rulesOption.rules)
            let loader = ExportLoader(input: input, language: output.lang)
            let competition = try loader.load(file, schema: .competition)
            let testsTable = try loader.load(tests, schema: .tests)
            let rosterTable = try loader.load(roster, schema: .roster)
            let result = try Competition.score(competition: competition.table, tests: testsTable.table, roster: rosterTable.table,
                                               settings: settings.competition)
            let loaded = [competition, testsTable, rosterTable]
            var exclusions = loaded.flatMap(ExclusionList.rejected)
            exclusions.append(Provenance.Exclusion(key: "not_in_roster", reason: LocalizedText(zh: "理论测试证件号不在名册中", en: "theory tests of certificates not in the roster"), rows: result.notInRoster))
            exclusions.append(Provenance.Exclusion(key: "other_teams", reason: LocalizedText(zh: "理论测试人员所属队伍未参赛", en: "theory tests of persons whose team is not competing"), rows: result.otherTeams))
            let notes = [LocalizedText(zh: "队伍：省辖市（含济源示范区）按人员所在省辖市，省直按所在单位。", en: "teams: a person's prefecture city (Jiyuan included), or the unit for provincial departments.")]
            var sections = [Report.Section(key: "rows", table: result.table)]
            if testsTable.table.column(named: TestsExport.misconduct.header) != nil {
                sections.append(Report.Section(key: "misconduct_persons", table: result.misconductPersons))
            }
            return Report(sections: sections, notes: notes,
                          provenance: Provenance(command: "competition", inputs: loaded.map(ExportLoader.provenanceInput),
                                                 settings: result.settings + [RulesOption.setting(settings.source)],
                                                 exclusions: exclusions))
        }
    }
}
