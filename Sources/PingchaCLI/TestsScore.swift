import ArgumentParser
import Vocabulary
import CSVIngest
import Columnar
import Evaluation
import Foundation
import Query
import Reporting

extension Pingcha {
    /// `pingcha tests …`: legal knowledge tests.
    struct Tests: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "tests", abstract: "法律知识测试 / Legal knowledge tests.", subcommands: [Score.self])
    }
}

extension Pingcha.Tests {
    /// `pingcha tests score TESTS --roster ROSTER --by COLUMN`.
    struct Score: ReportCommand {
        static let configuration = CommandConfiguration(
            commandName: "score",
            abstract: "按单位统计测试平均分、不及格和缺考，并折算得分 / Average, failures and absences per group, with the items' points.")

        @Argument(help: "法律知识测试成绩 CSV The tests export.")
        var file: String

        @Option(help: "执法人员名册 CSV The roster export.")
        var roster: String

        @Option(help: "分组列（默认 \(TestsExport.unit.header)）Group by this column (of the tests file or the roster).")
        var by: String = TestsExport.unit.header

        @Option(help: "只计此测试类型（默认取规则文件：现场测试；all 为全部）Score this test kind only (all for every kind).")
        var kind: String?

        @Option(help: ArgumentHelp("只计抽取记录中抽中的人员 Score only the persons drawn in this draw record.", valueName: "FILE"))
        var drawRecord: String?

        @Option(name: .customLong("where"), help: "筛选测试成绩的条件 Filter the test rows.")
        var filter: String?

        @OptionGroup var rulesOption: RulesOption

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func makeReport() throws -> Report {
            let settings = try RuleSettings.load(overridePath: rulesOption.rules)
            let loader = ExportLoader(input: input, language: output.lang)
            let tests = try loader.load(file, schema: .tests)
            let rosterTable = try loader.load(roster, schema: .roster)
            let only = try drawRecord.map { Set(try DrawRecord.drawnOfficers(path: $0).values.joined()) }
            let chosenKind = kind ?? settings.knowledgeTest.kind
            let request = KnowledgeTest.Request(groupBy: by, kind: chosenKind == "all" ? nil : chosenKind, onlyCertificates: only,
                                                settings: settings.knowledgeTest, filter: try FilterParsing.parse(filter))
            let result: KnowledgeTest.Result
            do {
                result = try KnowledgeTest.score(tests: tests.table, roster: rosterTable.table, request: request)
            } catch let error as QueryError {
                throw OptionErrors.rendered(error, by: by, filter: filter, tables: [tests.table, rosterTable.table])
            }
            var exclusions = ExclusionList.rejected(tests) + ExclusionList.rejected(rosterTable)
            exclusions.append(Provenance.Exclusion(key: "other_test_kinds", reason: LocalizedText(zh: "其他测试类型", en: "other test kinds"), rows: result.otherKinds))
            exclusions.append(Provenance.Exclusion(key: "not_drawn", reason: LocalizedText(zh: "不在抽取记录的抽中名单中", en: "not drawn in the draw record"), rows: result.notDrawn))
            exclusions.append(ExclusionList.filteredOut(result.filteredOut))
            exclusions.append(Provenance.Exclusion(key: "not_in_roster", reason: LocalizedText(zh: "证件号不在名册中", en: "certificate not in the roster"), rows: result.notInRoster))
            var ruleSettings = result.settings
            if let drawRecord {
                ruleSettings.append(Provenance.Setting(key: "draw_record", label: LocalizedText(zh: "抽取记录", en: "draw record"), value: .text(drawRecord)))
            }
            return Report(sections: [Report.Section(key: "rows", table: result.table), Report.Section(key: "absent", table: result.absent)],
                          provenance: Provenance(command: "tests score",
                                                 inputs: [ExportLoader.provenanceInput(tests), ExportLoader.provenanceInput(rosterTable)],
                                                 settings: ruleSettings, exclusions: exclusions))
        }
    }
}
