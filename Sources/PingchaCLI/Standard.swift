import ArgumentParser
import CSVIngest
import Columnar
import Evaluation
import Foundation
import Reporting
import Vocabulary

extension Pingcha {
    /// `pingcha standard list|show|score`: the scoring standards of DOMAIN.md §2.6.
    struct Standard: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "standard",
            abstract: "评分标准：列出、查看、按验收扣分表评分 / Scoring standards: list, show, score an acceptance sheet.",
            subcommands: [List.self, Show.self, Score.self])
    }
}

/// `--standard NAME|FILE`: a bundled standard by name, or an office's own standard file.
enum StandardChoice {
    static func resolve(_ nameOrPath: String) throws -> ScoringStandard {
        if ScoringStandard.bundledNames.contains(nameOrPath) { return try ScoringStandard.bundled(nameOrPath) }
        if nameOrPath.hasSuffix(".json") || FileManager.default.fileExists(atPath: nameOrPath) {
            return try ScoringStandard.load(path: nameOrPath)
        }
        return try ScoringStandard.bundled(nameOrPath)
    }
}

extension ScoringStandard.ItemKind {
    static let labels: [String: LocalizedText] = [
        "basic": LocalizedText(zh: "基本项目（违反扣 100 分）", en: "basic (breach −100)"),
        "general": LocalizedText(zh: "一般项目", en: "general"),
        "bonus": LocalizedText(zh: "加分项目", en: "bonus"),
    ]
}

extension Pingcha.Standard {
    struct List: ReportCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出内置评分标准 / List the bundled standards.")

        @OptionGroup var output: OutputOptions

        func makeReport() throws -> Report {
            let rows = try ScoringStandard.bundledNames.map { name in
                let standard = try ScoringStandard.bundled(name)
                return StandardRow(name: standard.name, title: standard.title.text(output.lang), source: standard.source, items: standard.items.count,
                                   generalPoints: standard.generalPoints, bonusCap: standard.bonusCap, confirmAtMost: standard.confirmAtMost)
            }
            let table = ResultTable(title: LocalizedText(zh: "内置评分标准", en: "Bundled scoring standards"), fields: StandardRow.fields, rows: rows)
            return Report(table: table, notes: [LocalizedText(zh: "自定义标准：--standard FILE（格式见 README）。", en: "your own standard: --standard FILE (format in the README).")],
                          provenance: Provenance(command: "standard list", inputs: [], settings: [], exclusions: []))
        }
    }

    struct Show: ReportCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "查看评分标准的项目和分值 / Show a standard's items and points.")

        @Argument(help: "标准名称或标准文件 A bundled standard (pingdingshan-2019, responsibility-2022) or a standard file.")
        var name: String
        @OptionGroup var output: OutputOptions

        func makeReport() throws -> Report {
            let standard = try StandardChoice.resolve(name)
            let language = output.lang
            let rows = standard.items.map { item in
                ItemRow(code: item.code, kind: item.kind.rawValue, name: item.name.text(language), points: item.points,
                        data: item.data.map { "\($0.rawValue)（\($0.needs.joined(separator: " "))）" }, rule: item.rule?.text(language))
            }
            let table = ResultTable(title: standard.title, fields: ItemRow.fields, rows: rows)
            let notes = [LocalizedText(
                zh: "各项得分 = max(0, 分值 − 扣分)，扣完为止，不倒扣分；一般项目合计 \(Value.formatDouble(standard.generalPoints)) 分，加分至多 \(Value.formatDouble(standard.bonusCap)) 分。",
                en: "each item scores max(0, points − deductions); general items total \(Value.formatDouble(standard.generalPoints)), bonus at most \(Value.formatDouble(standard.bonusCap)).")]
            return Report(table: table, notes: notes, provenance: Provenance(command: "standard show", inputs: [], settings: [
                Provenance.Setting(key: "standard", label: LocalizedText(zh: "评分标准", en: "standard"), value: .text(standard.name)),
                Provenance.Setting(key: "standard_file", label: LocalizedText(zh: "标准来源", en: "standard from"), value: .text(standard.origin)),
            ], exclusions: []))
        }
    }

    struct Score: ReportCommand {
        static let configuration = CommandConfiguration(
            commandName: "score",
            abstract: "按验收扣分表和各项数据评分、排名 / Score the units on an acceptance sheet against a standard.",
            discussion: "各项扣完为止；加分封顶；违反基本项目或一票否决的单位不参加排名。标注为数据项目的，由 --cases/--tests/--roster/--draw-record 计算，缺少文件时注明未计算。Items stop at zero; the bonus is capped; basic breaches and vetoes make a unit ineligible. Data items are computed from the exports given and marked when one is missing.")

        @Argument(help: "验收扣分表 CSV The acceptance sheet.")
        var sheet: String

        @Option(help: ArgumentHelp("评分标准：pingdingshan-2019、responsibility-2022 或自定义标准文件 The standard: a bundled name or a standard file.", valueName: "NAME|FILE"))
        var standard: String

        @Option(help: "案卷评查结果 CSV（数据项目 R0.3、3.1、3.2）The cases export.")
        var cases: String?

        @Option(help: "执法人员名册 CSV The roster export.")
        var roster: String?

        @Option(help: "法律知识测试成绩 CSV The tests export.")
        var tests: String?

        @Option(help: ArgumentHelp("抽取记录（pingcha draw --record），可给两次：人员抽取记录（R0.2、2.1、3.4）和案卷抽取记录（R0.3 只看抽取的案卷）The draw record(s): of the officers drawn per unit, and of a case-file draw (R0.3 then looks at the drawn files).", valueName: "FILE"))
        var drawRecord: [String] = []

        @Option(help: "验收的评查年度：R0.3 只看该年度的案卷（默认取案卷中最近的评查年度）The review year under acceptance: R0.3 looks at its files only (the latest in the cases export by default).")
        var year: Int?

        @Flag(help: "逐项列出得分、扣分和说明 Print every item with its deductions and notes.")
        var details = false

        @OptionGroup var rulesOption: RulesOption
        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func makeReport() throws -> Report {
            let chosen = try StandardChoice.resolve(standard)
            let settings = try RuleSettings.load(overridePath: rulesOption.rules)
            let loader = ExportLoader(input: input, language: output.lang)
            let sheetTable = try loader.load(sheet, schema: .acceptance)
            let casesTable = try cases.map { try loader.load($0, schema: .cases) }
            let rosterTable = try roster.map { try loader.load($0, schema: .roster) }
            let testsTable = try tests.map { try loader.load($0, schema: .tests) }
            let records = try drawRecord.map { (path: $0, drawn: try DrawRecord.drawnByStratum(path: $0)) }
            let officerRecords = records.filter { $0.drawn.population == .officers }
            let caseRecords = records.filter { $0.drawn.population == .caseFiles }
            guard officerRecords.count <= 1, caseRecords.count <= 1 else {
                throw PingchaError(.usage, zh: "--draw-record 至多给一个人员抽取记录和一个案卷抽取记录。",
                                   en: "--draw-record takes at most one officer draw record and one case-file draw record.")
            }
            if caseRecords.first != nil, year != nil {
                throw PingchaError(.usage, zh: "--year 与案卷抽取记录不能同时使用：R0.3 看其中之一。",
                                   en: "--year and a case-file draw record cannot be used together: R0.3 looks at one of them.")
            }
            var reviewed: StandardScoring.ReviewedCaseFiles?
            var reviewedSetting: Provenance.Setting?
            if let cases = casesTable?.table {
                if let record = caseRecords.first {
                    reviewed = .drawn(record.drawn.all)
                    reviewedSetting = Provenance.Setting(
                        key: "r03_reviewed", label: LocalizedText(zh: "R0.3 所看案卷", en: "R0.3 looks at"),
                        value: .text(output.lang == .zh ? "抽取的 \(record.drawn.all.count) 件案卷（\(record.path)）"
                                                        : "the \(record.drawn.all.count) drawn files (\(record.path))"))
                } else if let reviewYear = try year.map(Int64.init) ?? StandardScoring.latestReviewYear(cases: cases) {
                    reviewed = .year(reviewYear)
                    let how = year != nil ? LocalizedText(zh: "--year", en: "--year")
                                          : LocalizedText(zh: "案卷中最近的评查年度；用 --year 指定", en: "the latest in the cases export; --year names another")
                    reviewedSetting = Provenance.Setting(
                        key: "r03_reviewed", label: LocalizedText(zh: "R0.3 所看案卷：评查年度（\(how.zh)）", en: "R0.3 looks at review year (\(how.en))"),
                        value: .int(reviewYear))
                }
            }
            let drawn = officerRecords.first?.drawn.byStratum
            let units = try StandardScoring.units(onSheet: sheetTable.table, standard: chosen)
            let outcomes = try StandardScoring.computeDataItems(standard: chosen, units: units, inputs: StandardScoring.DataInputs(
                cases: casesTable?.table, tests: testsTable?.table, roster: rosterTable?.table, drawn: drawn, reviewed: reviewed,
                settings: settings))
            let result = try StandardScoring.score(sheet: sheetTable.table, lines: sheetTable.lines, request: StandardScoring.Request(
                standard: chosen, dataOutcomes: outcomes, language: output.lang))
            var sections = [Report.Section(key: "rows", table: result.table)]
            if details { sections.append(Report.Section(key: "details", table: result.details)) }
            if !result.problems.rows.isEmpty { sections.append(Report.Section(key: "problems", table: result.problems)) }
            let loadedAll = [sheetTable] + [casesTable, rosterTable, testsTable].compactMap { $0 }
            var exclusions = loadedAll.flatMap(ExclusionList.rejected)
            exclusions.append(Provenance.Exclusion(key: "other_standard", reason: LocalizedText(zh: "验收表中属于其他标准的行", en: "sheet rows of another standard"),
                                                   rows: result.otherStandardRows))
            exclusions.append(Provenance.Exclusion(key: "not_scored", reason: LocalizedText(zh: "未计分的验收记录（见表）", en: "sheet rows not scored (listed)"),
                                                   rows: result.problems.rows.count))
            var ruleSettings = result.settings + [RulesOption.setting(settings.source)]
            if let record = officerRecords.first {
                ruleSettings.append(Provenance.Setting(key: "draw_record", label: LocalizedText(zh: "抽取记录", en: "draw record"), value: .text(record.path)))
            }
            if casesTable != nil, chosen.items.contains(where: { $0.data == .unqualifiedCaseFile }) {
                ruleSettings.append(Provenance.Setting(key: "pass_threshold", label: LocalizedText(zh: "不合格线", en: "pass line"),
                                                       value: .double(settings.caseReview.passThreshold)))
                ruleSettings.append(settings.caseReview.lineReading.setting(settings.caseReview.passThreshold))
                if let reviewedSetting { ruleSettings.append(reviewedSetting) }
            }
            return Report(sections: sections, notes: result.notes,
                          provenance: Provenance(command: "standard score", inputs: loadedAll.map(ExportLoader.provenanceInput),
                                                 settings: ruleSettings, exclusions: exclusions))
        }
    }
}

/// A bundled standard, as `standard list` shows it.
private struct StandardRow {
    var name: String
    var title: String
    var source: String
    var items: Int
    var generalPoints: Double
    var bonusCap: Double
    var confirmAtMost: Int?

    static let fields: [ResultField<StandardRow>] = [
        ResultField(\.name, key: "name", zh: "名称", en: "Name", format: .text),
        ResultField(\.title, key: "title", zh: "标准", en: "Standard", format: .text),
        ResultField(\.source, key: "source", zh: "出处", en: "Source", format: .text),
        ResultField(\.items, key: "items", zh: "项目数", en: "Items", format: .integer),
        ResultField(\.generalPoints, key: "general_points", zh: "一般项目合计", en: "General points", format: .number),
        ResultField(\.bonusCap, key: "bonus_cap", zh: "加分上限", en: "Bonus cap", format: .number),
        ResultField(\.confirmAtMost, key: "confirm_at_most", zh: "至多确认", en: "Confirm at most", format: .integer),
    ]
}

/// An item of a standard, as `standard show` shows it.
private struct ItemRow {
    var code: String
    var kind: String
    var name: String
    var points: Double?
    /// The data item that computes it, and the exports it needs.
    var data: String?
    var rule: String?

    static let fields: [ResultField<ItemRow>] = [
        ResultField(\.code, key: "code", zh: AcceptanceExport.item.header, en: "Code", format: .text),
        ResultField(\.kind, key: "kind", zh: "类别", en: "Kind", format: .label(ScoringStandard.ItemKind.labels)),
        ResultField(\.name, key: "name", zh: "内容", en: "Item", format: .text),
        ResultField(\.points, key: "points", zh: "分值", en: "Points", format: .number),
        ResultField(\.data, key: "data", zh: "由数据计算", en: "Computed from", format: .text),
        ResultField(\.rule, key: "rule", zh: "扣分办法", en: "Deductions", format: .text),
    ]
}
