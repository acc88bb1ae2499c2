import ArgumentParser
import CSVIngest
import Columnar
import Vocabulary
import Evaluation
import Foundation
import Query
import Reporting

extension Pingcha {
    /// `pingcha draw`: the reproducible random draw of officers.
    struct Draw: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "draw",
            abstract: "随机抽取执法人员或案卷（sha256-rank-v1，可复核）/ Draw officers or case files at random, reproducibly (sha256-rank-v1).",
            subcommands: [Run.self, Verify.self],
            defaultSubcommand: Run.self)
    }
}

/// Options that define a draw, shared by performing and verifying it.
struct DrawParameters {
    static func levelCounts(_ text: String?) throws -> [(level: String, count: Int)] {
        guard let text, !text.isEmpty else { return [] }
        return try text.split(separator: ",").map { part in
            let pieces = part.split(separator: "=").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, let count = Int(pieces[1]), count >= 0 else {
                throw ValidationError("--strata-counts 应写成 市级=60,县级=100,乡镇=100 / write --strata-counts as 市级=60,县级=100,乡镇=100")
            }
            return (pieces[0], count)
        }
    }

    /// `--fraction`: a decimal share in (0, 1].
    static func fraction(_ text: String?) throws -> ExactFraction? {
        guard let text else { return nil }
        guard let value = ExactFraction(decimalText: text.trimmingCharacters(in: .whitespaces)), value.numerator > 0,
              value.numerator <= value.denominator else {
            throw ValidationError("--fraction 应是 0 到 1 之间的小数，如 0.1 / --fraction must be a decimal share in (0, 1], such as 0.1")
        }
        return value
    }

    /// Loads the file to draw from: the roster (officers) or the cases export (case files), told
    /// apart by their headers. A file that is neither is loaded as the one whose id column it has
    /// (as a roster when it has none), so that the error names the columns it lacks.
    static func load(_ path: String, loader: ExportLoader) throws -> (LoadedTable, OfficerDraw.Population) {
        let loaded = try loader.load(path, schema: nil)
        switch loaded.schema?.name {
        case ExportSchema.roster.name: return (loaded, .officers)
        case ExportSchema.cases.name: return (loaded, .caseFiles)
        default:
            let cases = loaded.table.column(named: CasesExport.caseID.header) != nil && loaded.table.column(named: RosterExport.certNo.header) == nil
            return (try loader.load(path, schema: cases ? .cases : .roster), cases ? .caseFiles : .officers)
        }
    }
}

extension Pingcha.Draw {
    struct Run: ReportCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "从名册中抽取人员，或从案卷评查结果中抽取案卷，按单位（或层级）/ Draw officers from a roster, or case files from a cases export, per unit (or level).",
            discussion: "文件按表头识别：名册抽取有效持证人员（按证件号），案卷评查结果抽取案卷（按案卷编号）。The file is read by its headers: a roster draws valid certificate holders (by 证件号), a cases export draws case files (by 案卷编号).")

        @Argument(help: "执法人员名册或案卷评查结果 CSV The roster or the cases export.")
        var roster: String

        @Option(help: "分层列（默认 \(RosterExport.unit.header)）The column whose values are the strata.")
        var per: String = RosterExport.unit.header

        @Option(help: "每层抽取数 Persons (or case files) drawn per stratum.")
        var count: Int = 5

        @Option(help: ArgumentHelp("按比例抽取：每层抽 ceil(比例 × 层内人数)，至少 1 Draw this share of each stratum (rounded up, at least 1) instead of --count.", valueName: "SHARE"))
        var fraction: String?

        @Flag(help: "按规则文件的比例抽取（knowledge_test.online_draw_share，默认 0.1），用于示范点验收 2.3 在线测试 Draw the rules file's share (knowledge_test.online_draw_share), for the on-line test of acceptance item 2.3.")
        var proportional = false

        @OptionGroup var rulesOption: RulesOption

        @Option(help: "随机种子（文本）；不给则自动生成并打印 The seed text; generated and printed when absent.")
        var seed: String?

        @Option(help: "每层递补人数 Replacements listed per stratum.")
        var replacements: Int = 3

        @Option(help: "按层级分别抽取的人数，如 市级=60,县级=100,乡镇=100 Per-level counts for competition draws.")
        var strataCounts: String?

        @Option(name: .customLong("where"), help: "抽取前的筛选条件 Filter applied before the population is frozen.")
        var filter: String?

        @Option(help: ArgumentHelp("把完整抽取记录写成 JSON 文件 Write the full draw record (JSON) to FILE.", valueName: "FILE"))
        var record: String?

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard count >= 1, replacements >= 0 else {
                throw ValidationError("--count 至少为 1，--replacements 不能为负 / --count at least 1, --replacements not negative.")
            }
            _ = try DrawParameters.levelCounts(strataCounts)
            let proportionalKinds = [fraction != nil, proportional, strataCounts != nil].filter { $0 }.count
            if try DrawParameters.fraction(fraction) != nil || proportional, proportionalKinds > 1 {
                throw ValidationError("--fraction、--proportional 与 --strata-counts 只能用其一 / use one of --fraction, --proportional and --strata-counts.")
            }
        }

        func makeReport() throws -> Report {
            let (loaded, population) = try DrawParameters.load(roster, loader: ExportLoader(input: input, language: output.lang))
            let usedSeed = seed ?? OfficerDraw.generatedSeed()
            var share = try DrawParameters.fraction(fraction)
            var ruleSettings: [Provenance.Setting] = []
            if proportional {
                let settings = try RuleSettings.load(overridePath: rulesOption.rules)
                share = try DrawParameters.fraction(Value.formatDouble(settings.knowledgeTest.onlineDrawShare))
                ruleSettings.append(RulesOption.setting(settings.source))
            }
            let request = OfficerDraw.Request(population: population, seed: usedSeed, stratumColumn: per, count: count,
                                              fraction: share, replacements: replacements,
                                              levelCounts: try DrawParameters.levelCounts(strataCounts),
                                              filter: try FilterParsing.parse(filter), filterText: filter)
            let result: OfficerDraw.Result
            do {
                result = try OfficerDraw.perform(loaded.table, request: request)
            } catch let error as QueryError {
                throw OptionErrors.rendered(error, by: per, filter: filter, tables: [loaded.table])
            }
            if let record {
                try DrawRecord.write(result, request: request, to: record)
            }
            var notes: [LocalizedText] = []
            if seed == nil {
                notes.append(LocalizedText(zh: "未指定种子，已自动生成：\(usedSeed)（复核时请使用此种子）",
                                           en: "no seed given; generated: \(usedSeed) (use it to re-perform the draw)"))
            }
            for stratum in result.strata where stratum.eligible < stratum.asked {
                notes.append(population == .officers
                    ? LocalizedText(zh: "「\(stratum.name)」只有 \(stratum.eligible) 名有效持证人员，少于要抽取的 \(stratum.asked) 名，已全部抽取。",
                                    en: "'\(stratum.name)' has only \(stratum.eligible) eligible persons, fewer than the \(stratum.asked) asked: all are drawn.")
                    : LocalizedText(zh: "「\(stratum.name)」只有 \(stratum.eligible) 件案卷，少于要抽取的 \(stratum.asked) 件，已全部抽取。",
                                    en: "'\(stratum.name)' has only \(stratum.eligible) case files, fewer than the \(stratum.asked) asked: all are drawn."))
            }
            var exclusions = ExclusionList.rejected(loaded)
            if population == .officers {
                exclusions.append(Provenance.Exclusion(key: "certificate_not_valid", reason: LocalizedText(zh: "证件状态不是有效", en: "certificate not valid (证件状态 ≠ 有效)"),
                                                       rows: result.notValid))
            }
            exclusions.append(ExclusionList.filteredOut(result.filteredOut))
            var provenance = Provenance(command: "draw", inputs: [ExportLoader.provenanceInput(loaded)],
                                        settings: DrawRecord.settings(result, request: request) + ruleSettings, exclusions: exclusions)
            provenance.settings.append(Provenance.Setting(
                key: "population", label: population == .officers ? LocalizedText(zh: "冻结人数", en: "population") : LocalizedText(zh: "冻结案卷数", en: "population"),
                value: .int(Int64(result.population))))
            var sections = [Report.Section(key: "rows", table: DrawTables.draw(result, population: population))]
            if population == .officers { sections.append(Report.Section(key: "checks", table: DrawTables.checks(result))) }
            return Report(sections: sections, notes: notes, provenance: provenance)
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "按抽取记录重新执行并核对 / Re-perform a recorded draw and compare.",
            discussion: "一致时退出码 0，不一致时列出每处差异并以退出码 1 结束。Exit 0 when it matches; each difference listed and exit 1 when not.")

        @Argument(help: "抽取记录 JSON The draw record.")
        var recordFile: String

        @Argument(help: "执法人员名册（或案卷抽取时的案卷评查结果）CSV The roster (the cases export for a case-file draw).")
        var roster: String

        @OptionGroup var input: InputOptions

        @Option(help: "提示语言 Language: zh or en.")
        var lang: Language = .zh

        func run() throws {
            let (loaded, _) = try DrawParameters.load(roster, loader: ExportLoader(input: input, language: lang))
            let differences = try DrawRecord.verify(recordPath: recordFile, roster: loaded.table)
            if differences.isEmpty {
                Console.current.line(lang == .zh ? "一致：按记录重新抽取，结果与记录完全相同。" : "Match: re-performing the recorded draw gives exactly the record.")
                return
            }
            Console.current.line(lang == .zh ? "不一致，共 \(differences.count) 处：" : "Mismatch, \(differences.count) difference(s):")
            for difference in differences { Console.current.line("- " + difference.text(lang)) }
            throw ExitCode(1)
        }
    }
}

/// The result tables of a draw.
enum DrawTables {
    /// A member drawn, or a replacement, in order within its stratum.
    struct MemberRow {
        var stratum: String
        var order: Int
        var id: String
        var name: String
        var ticket: String
        var role: String

        /// The columns: the id is a 证件号 for officers, a 案卷编号 for case files, and only officers have a name.
        static func fields(officers: Bool) -> [ResultField<MemberRow>] {
            var fields: [ResultField<MemberRow>] = [
                ResultField(\.stratum, key: "stratum", zh: "抽取层", en: "Stratum", format: .text),
                ResultField(\.order, key: "order", zh: "顺序", en: "Order", format: .integer),
                ResultField(\.id, officers ? ResultColumn(RosterExport.certNo, format: .text) : ResultColumn(CasesExport.caseID, en: "Case file", format: .text)),
            ]
            if officers { fields.append(ResultField(\.name, ResultColumn(RosterExport.name, format: .text))) }
            fields += [
                ResultField(\.ticket, key: "ticket", zh: "签号（SHA-256）", en: "Ticket (SHA-256)", format: .text),
                ResultField(\.role, key: "role", zh: "类别", en: "Role", format: .label([
                    "drawn": LocalizedText(zh: "抽中", en: "drawn"), "replacement": LocalizedText(zh: "递补", en: "replacement"),
                ])),
            ]
            return fields
        }
    }

    /// The checks on one stratum's drawn officers.
    struct CheckRow {
        var stratum: String
        var eligible: Int
        var drawn: Int
        var ineligibleStaff: String
        var noCasesThisYear: String
        var basicDeduction: Int
        var activityDeduction: Int

        static let fields: [ResultField<CheckRow>] = [
            ResultField(\.stratum, key: "stratum", zh: "抽取层", en: "Stratum", format: .text),
            ResultField(\.eligible, key: "eligible", zh: "有效持证人数", en: "Eligible", format: .integer),
            ResultField(\.drawn, key: "drawn", zh: "抽中", en: "Drawn", format: .integer),
            ResultField(\.ineligibleStaff, key: "ineligible_staff", zh: "不得持证人员", en: "Ineligible staff", format: .text),
            ResultField(\.noCasesThisYear, key: "no_cases_this_year", zh: "本年度未办案", en: "No cases this year", format: .text),
            ResultField(\.basicDeduction, key: "basic_deduction", zh: "基本标准扣分", en: "Basic standard", format: .integer),
            ResultField(\.activityDeduction, key: "activity_deduction", zh: "履职扣分", en: "Duty deduction", format: .integer),
        ]
    }

    static func draw(_ result: OfficerDraw.Result, population: OfficerDraw.Population) -> ResultTable {
        let officers = population == .officers
        var rows: [MemberRow] = []
        for stratum in result.strata {
            for (index, member) in (stratum.drawn + stratum.replacements).enumerated() {
                rows.append(MemberRow(stratum: stratum.name, order: index + 1, id: member.id, name: member.name, ticket: member.ticket,
                                      role: index < stratum.drawn.count ? "drawn" : "replacement"))
            }
        }
        return ResultTable(
            title: officers ? LocalizedText(zh: "随机抽取结果（sha256-rank-v1）", en: "Random draw (sha256-rank-v1)")
                            : LocalizedText(zh: "案卷随机抽取结果（sha256-rank-v1）", en: "Random draw of case files (sha256-rank-v1)"),
            fields: MemberRow.fields(officers: officers), rows: rows)
    }

    static func checks(_ result: OfficerDraw.Result) -> ResultTable {
        let rows = result.strata.map { stratum in
            let checks = OfficerDraw.checks(stratum)
            return CheckRow(stratum: stratum.name, eligible: stratum.eligible, drawn: stratum.drawn.count,
                            ineligibleStaff: checks.ineligibleStaff.joined(separator: " "), noCasesThisYear: checks.noCasesThisYear.joined(separator: " "),
                            basicDeduction: checks.basicDeduction, activityDeduction: checks.activityDeduction)
        }
        return ResultTable(title: LocalizedText(zh: "抽中人员核查", en: "Checks on the drawn"), fields: CheckRow.fields, rows: rows)
    }
}
