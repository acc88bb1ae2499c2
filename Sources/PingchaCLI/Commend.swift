import ArgumentParser
import CSVIngest
import Columnar
import Vocabulary
import Evaluation
import Reporting

extension Commendation.RankBy: ExpressibleByArgument {}

extension Pingcha {
    /// `pingcha commend CANDIDATES [--rank-by order|composite]`.
    struct Commend: ReportCommand {
        static let configuration = CommandConfiguration(
            commandName: "commend",
            abstract: "表扬推荐：资格、名额、处级比例，生成附件3汇总表 / Commendation: eligibility, quotas, the division-level cap, the 附件3 tables.",
            discussion: "每个省辖市至多推荐 4 个单位、10 名个人；济源示范区和省直部门 2 个单位、3 名个人；处级人员不超过推荐人数的 20%（向下取整），满额后跳过并顺延；名额线上并列的列为待定。Quotas 4/10 per city, 2/3 for Jiyuan and departments; division level at most floor(20%) of persons, skipped and filled on; ties at the line are listed for a person to decide.")

        @Argument(help: "推荐对象 CSV The candidates export.")
        var file: String

        @Option(help: "排序依据 Rank by the recommender's order, or by a composite of measured figures.")
        var rankBy: Commendation.RankBy = .order

        @Option(help: "案卷评查结果 CSV（综合排名：合格率）The cases export, for the pass rate.")
        var cases: String?

        @Option(help: "满意度问卷 CSV（综合排名：满意度指数）The survey export, for the satisfaction index.")
        var survey: String?

        @Option(help: "法律知识测试成绩 CSV（综合排名：测试平均分，需 --roster）The tests export, for the test average.")
        var tests: String?

        @Option(help: "执法人员名册 CSV：候选人的证件状态和身份类别（证件非有效时按 3 年途径），及测试平均分 The roster: the candidates' certificate status and staff type (a certificate not 有效 takes the 3-years route), and the test average.")
        var roster: String?

        @Option(help: "验收扣分表 CSV（综合排名：验收总分）The acceptance sheet, for the standard total.")
        var acceptance: String?

        @Option(help: ArgumentHelp("验收总分所用评分标准 The standard of the acceptance total.", valueName: "NAME|FILE"))
        var standard: String = "pingdingshan-2019"

        @OptionGroup var rulesOption: RulesOption
        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            let figureFiles = [cases, survey, tests, acceptance].compactMap { $0 }
            if rankBy == .order && !figureFiles.isEmpty {
                throw ValidationError("--cases/--survey/--tests/--acceptance 只用于 --rank-by composite / only used with --rank-by composite.")
            }
            if rankBy == .composite && figureFiles.isEmpty {
                throw ValidationError("--rank-by composite 需要 --cases、--survey、--tests 或 --acceptance 中至少一个 / needs at least one of --cases, --survey, --tests, --acceptance.")
            }
            if tests != nil && roster == nil {
                throw ValidationError("--tests 需要同时给出 --roster / --tests needs --roster.")
            }
        }

        func makeReport() throws -> Report {
            let settings = try RuleSettings.load(overridePath: rulesOption.rules)
            let loader = ExportLoader(input: input, language: output.lang)
            let candidates = try loader.load(file, schema: .candidates)
            var loaded = [candidates]
            var figures: Commendation.Figures?
            // The roster, when given: certificate status and 身份类别 of the candidates by 证件号.
            let rosterTable = try roster.map { try loader.load($0, schema: .roster) }
            var rosterPersons: [String: (staffType: String, status: String)] = [:]
            if let table = rosterTable?.table, let certs = table.column(named: RosterExport.certNo.header) {
                let types = table.column(named: RosterExport.staffType.header), statuses = table.column(named: RosterExport.certStatus.header)
                for row in 0..<table.rowCount {
                    rosterPersons[certs.value(at: row).plainText] = (types?.value(at: row).plainText ?? "", statuses?.value(at: row).plainText ?? "有效")
                }
            }
            if rankBy != .composite, let rosterTable { loaded.append(rosterTable) }
            if rankBy == .composite {
                let casesTable = try cases.map { try loader.load($0, schema: .cases) }
                let surveyTable = try survey.map { try loader.load($0, schema: .survey) }
                let testsTable = try tests.map { try loader.load($0, schema: .tests) }
                let acceptanceTable = try acceptance.map { try loader.load($0, schema: .acceptance) }
                loaded += [casesTable, surveyTable, testsTable, rosterTable, acceptanceTable].compactMap { $0 }
                figures = try Commendation.Figures.measure(
                    cases: casesTable?.table, survey: surveyTable.map { ($0.table, $0.lines) }, tests: testsTable?.table, roster: rosterTable?.table,
                    acceptance: acceptanceTable.map { ($0.table, $0.lines) }, standard: acceptance == nil ? nil : try StandardChoice.resolve(standard),
                    settings: settings)
            }
            let result = try Commendation.select(candidates: candidates.table, lines: candidates.lines,
                                                 request: Commendation.Request(rankBy: rankBy, settings: settings.commendation, figures: figures,
                                                                               roster: rosterPersons))
            var sections = [Report.Section(key: "units", table: result.units), Report.Section(key: "persons", table: result.persons),
                            Report.Section(key: "dropped", table: result.dropped)]
            if let table = result.figures { sections.append(Report.Section(key: "figures", table: table)) }
            var ruleSettings = result.settings + [RulesOption.setting(settings.source)]
            if rankBy == .composite && acceptance != nil {
                ruleSettings.append(Provenance.Setting(key: "standard", label: LocalizedText(zh: "验收评分标准", en: "acceptance standard"), value: .text(standard)))
            }
            let form = PrintForm(
                title: LocalizedText(zh: "全省推进服务型行政执法建设表现突出的单位和个人推荐对象汇总表",
                                     en: "Units and persons recommended for commendation (附件3)"),
                groupKey: "recommender",
                sections: ["units": LocalizedText(zh: "单位", en: "Units"), "persons": LocalizedText(zh: "个人", en: "Persons")],
                stampLine: { LocalizedText(zh: "推荐单位：\($0)（印章）　　联系人：　　　　电话：", en: "Recommender: \($0) (seal)    Contact:        Phone:") })
            return Report(sections: sections, notes: result.notes,
                          provenance: Provenance(command: "commend", inputs: loaded.map(ExportLoader.provenanceInput), settings: ruleSettings,
                                                 exclusions: loaded.flatMap(ExclusionList.rejected) + [
                                                    Provenance.Exclusion(key: "dropped", reason: LocalizedText(zh: "未列入的推荐对象（见表）", en: "candidates not put forward (listed)"),
                                                                         rows: result.dropped.rows.count)]),
                          printForm: form)
        }
    }
}
