import Columnar
import Vocabulary
import Query
import Reporting

extension StandardScoring {
    /// What a *data* item came to for one unit.
    public enum Outcome: Sendable, Equatable {
        /// A basic item: breached or not, with what shows it.
        case breach(Bool, LocalizedText?)
        /// A general item: the points the rule gives before any sheet deduction.
        case points(Double, LocalizedText?)
        /// Not computed, and why (the export is missing, or holds nothing for the unit).
        case notComputed(LocalizedText)
    }

    /// The case files of the review under acceptance, which R0.3 looks at (§2.1).
    public enum ReviewedCaseFiles: Sendable, Equatable {
        /// The files of one review year (评查年度).
        case year(Int64)
        /// The files of a case-file draw (their 案卷编号).
        case drawn(Set<String>)
    }

    /// The latest 评查年度 in a cases export: the review R0.3 looks at when none is named.
    public static func latestReviewYear(cases: Table) throws -> Int64? {
        let years = try cases.requiredColumn(CasesExport.reviewYear, in: CasesExport.schema.fileName)
        var latest: Int64?
        for row in 0..<cases.rowCount { if case .int(let year) = years.value(at: row) { latest = max(latest ?? year, year) } }
        return latest
    }

    /// The exports the data items are computed from; any may be absent.
    public struct DataInputs: Sendable {
        public var cases: Table?
        public var tests: Table?
        public var roster: Table?
        /// The drawn certificate numbers per unit, from a draw record.
        public var drawn: [String: [String]]?
        /// The files R0.3 looks at; nil looks at every file of the export.
        public var reviewed: ReviewedCaseFiles?
        public var settings: RuleSettings

        public init(cases: Table?, tests: Table?, roster: Table?, drawn: [String: [String]]?, reviewed: ReviewedCaseFiles? = nil,
                    settings: RuleSettings) {
            self.reviewed = reviewed
            self.cases = cases
            self.tests = tests
            self.roster = roster
            self.drawn = drawn
            self.settings = settings
        }
    }

    /// Computes every data item of `standard` for `units` by the part-1 rules.
    ///
    /// - Returns: outcomes by unit, then by item code.
    public static func computeDataItems(standard: ScoringStandard, units: [String], inputs: DataInputs) throws -> [String: [String: Outcome]] {
        var outcomes: [String: [String: Outcome]] = [:]
        for item in standard.items {
            guard let source = item.data else { continue }
            let byUnit = try compute(source, points: item.points ?? 0, units: units, inputs: inputs)
            for unit in units { outcomes[unit, default: [:]][item.code] = byUnit[unit] }
        }
        return outcomes
    }

    private static func missing(_ source: ScoringStandard.DataSource) -> Outcome {
        let needs = source.needs.joined(separator: " ")
        return .notComputed(LocalizedText(zh: "未计算：需要 \(needs)", en: "not computed: needs \(needs)"))
    }

    private static func compute(_ source: ScoringStandard.DataSource, points: Double, units: [String],
                                inputs: DataInputs) throws -> [String: Outcome] {
        var result: [String: Outcome] = [:]
        switch source {
        case .unqualifiedCaseFile:
            guard let cases = inputs.cases else { return Dictionary(uniqueKeysWithValues: units.map { ($0, missing(source)) }) }
            let review = inputs.settings.caseReview
            let line = review.lineReading.strictLine(review.passThreshold)
            let unitColumn = try cases.requiredColumn(CasesExport.unit, in: CasesExport.schema.fileName)
            let scores = try cases.requiredColumn(CasesExport.score, in: CasesExport.schema.fileName)
            let ids = try cases.requiredColumn(CasesExport.caseID, in: CasesExport.schema.fileName)
            let years = try cases.requiredColumn(CasesExport.reviewYear, in: CasesExport.schema.fileName)
            var below: [String: [String]] = [:]
            var reviewedCount: [String: Int] = [:]
            for row in 0..<cases.rowCount {
                let id = ids.value(at: row).plainText
                switch inputs.reviewed {
                case .year(let year)?: guard years.value(at: row) == .int(year) else { continue }
                case .drawn(let drawn)?: guard drawn.contains(id) else { continue }
                case nil: break
                }
                let unit = unitColumn.value(at: row).plainText
                reviewedCount[unit, default: 0] += 1
                if let score = scores.value(at: row).asDouble, score < line {
                    below[unit, default: []].append(id)
                }
            }
            let scope: LocalizedText
            switch inputs.reviewed {
            case .year(let year)?: scope = LocalizedText(zh: "\(year) 年度评查", en: "the \(year) review")
            case .drawn?: scope = LocalizedText(zh: "抽取的案卷", en: "the drawn files")
            case nil: scope = LocalizedText(zh: "全部案卷", en: "all files")
            }
            let reading = review.lineReading == .below
                ? LocalizedText(zh: "低于 \(Value.formatDouble(review.passThreshold)) 分", en: "below \(Value.formatDouble(review.passThreshold))")
                : LocalizedText(zh: "为 \(Value.formatDouble(review.passThreshold)) 分及以下", en: "at or below \(Value.formatDouble(review.passThreshold))")
            for unit in units {
                let found = below[unit] ?? []
                let shown = found.prefix(5).joined(separator: "、") + (found.count > 5 ? "…" : "")
                if found.isEmpty {
                    result[unit] = .breach(false, reviewedCount[unit] == nil
                        ? LocalizedText(zh: "\(scope.zh)中没有该单位的案卷", en: "no file of this unit in \(scope.en)") : nil)
                } else {
                    result[unit] = .breach(true, LocalizedText(zh: "\(scope.zh)中 \(found.count) 件\(reading.zh)：\(shown)",
                                                               en: "\(found.count) \(reading.en) in \(scope.en): \(shown)"))
                }
            }
        case .filing:
            guard let cases = inputs.cases else { return Dictionary(uniqueKeysWithValues: units.map { ($0, missing(source)) }) }
            var filing = inputs.settings.filing
            filing.itemPoints = points
            let evaluated = try FilingTimeliness.evaluate(table: cases, request: FilingTimeliness.Request(
                groupBy: CasesExport.unit.header, filter: nil, filterText: nil, settings: filing))
            let byUnit = Dictionary(evaluated.groups.map { ($0.group.plainText, $0) }, uniquingKeysWith: { first, _ in first })
            for unit in units {
                guard let row = byUnit[unit] else {
                    result[unit] = .points(points, LocalizedText(zh: "无重大案件", en: "no major case"))
                    continue
                }
                result[unit] = .points(row.itemPoints, LocalizedText(
                    zh: "重大案件 \(row.majorCases) 件：逾期 \(row.late)，未备案 \(row.unfiled)",
                    en: "\(row.majorCases) major: \(row.late) late, \(row.unfiled) unfiled"))
            }
        case .reviewYears:
            guard let cases = inputs.cases else { return Dictionary(uniqueKeysWithValues: units.map { ($0, missing(source)) }) }
            let review = inputs.settings.caseReview
            let reviewed = CaseReview.reviewYears(
                selected: Array(0..<cases.rowCount), units: try cases.requiredColumn(CasesExport.unit, in: CasesExport.schema.fileName),
                years: try cases.requiredColumn(CasesExport.reviewYear, in: CasesExport.schema.fileName), lastYear: nil,
                yearsChecked: review.reviewYearsChecked, pointsPerMissingYear: review.missingYearDeduction, itemPoints: points)
            let byUnit = Dictionary(reviewed.rows.map { ($0.unit, $0) }, uniquingKeysWith: { first, _ in first })
            for unit in units {
                guard let row = byUnit[unit] else {
                    result[unit] = .points(max(0, points - review.missingYearDeduction * Double(review.reviewYearsChecked)),
                                           LocalizedText(zh: "无评查案卷", en: "no reviewed case file"))
                    continue
                }
                let missingYears = row.missingYears
                result[unit] = .points(row.itemPoints, missingYears.isEmpty ? nil
                                       : LocalizedText(zh: "缺评查年度：\(missingYears)", en: "years missing: \(missingYears)"))
            }
        case .testItem, .testAverage:
            guard let tests = inputs.tests, let roster = inputs.roster else { return Dictionary(uniqueKeysWithValues: units.map { ($0, missing(source)) }) }
            let only = inputs.drawn.map { Set($0.values.joined()) }
            let scored = try KnowledgeTest.score(tests: tests, roster: roster, request: KnowledgeTest.Request(
                groupBy: TestsExport.unit.header, kind: inputs.settings.knowledgeTest.kind, onlyCertificates: only, settings: inputs.settings.knowledgeTest))
            let byUnit = Dictionary(scored.groups.map { ($0.group.plainText, $0) }, uniquingKeysWith: { first, _ in first })
            let failBelow = inputs.settings.knowledgeTest.failBelow
            for unit in units {
                guard let row = byUnit[unit] else {
                    result[unit] = .notComputed(LocalizedText(zh: "未计算：该单位无测试成绩", en: "not computed: no test results for this unit"))
                    continue
                }
                let average = row.average, failed = row.failed
                let note = LocalizedText(zh: "\(row.tested) 人平均 \(CellFormatter.fixed(average, 2)) 分，不及格 \(failed) 人",
                                         en: "\(row.tested) tested, average \(CellFormatter.fixed(average, 2)), \(failed) below \(Value.formatDouble(failBelow))")
                let value = source == .testItem && failed > 0 ? 0 : points * average / 100
                result[unit] = .points(value, note)
            }
        case .onlineTest:
            guard let tests = inputs.tests else { return [:] }
            guard let roster = inputs.roster else { return Dictionary(uniqueKeysWithValues: units.map { ($0, missing(source)) }) }
            let settings = inputs.settings.knowledgeTest
            let only = inputs.drawn.map { Set($0.values.joined()) }
            let scored = try KnowledgeTest.score(tests: tests, roster: roster, request: KnowledgeTest.Request(
                groupBy: TestsExport.unit.header, kind: settings.onlineKind, onlyCertificates: only, settings: settings))
            let byUnit = Dictionary(scored.groups.map { ($0.group.plainText, $0) }, uniquingKeysWith: { first, _ in first })
            let whose = only == nil ? LocalizedText(zh: "全部参测人员", en: "everyone tested")
                                    : LocalizedText(zh: "抽取人员", en: "the drawn")
            for unit in units {
                guard let row = byUnit[unit] else {
                    result[unit] = .notComputed(LocalizedText(zh: "未计算：该单位无\(settings.onlineKind)成绩", en: "not computed: no \(settings.onlineKind) results for this unit"))
                    continue
                }
                let average = row.average
                result[unit] = .points(points * average / 100, LocalizedText(
                    zh: "\(whose.zh) \(row.tested) 人\(settings.onlineKind)平均 \(CellFormatter.fixed(average, 2)) 分",
                    en: "\(whose.en): \(row.tested) tested (\(settings.onlineKind)), average \(CellFormatter.fixed(average, 2))"))
            }
        case .ineligibleStaffDrawn, .drawnEnforced:
            guard let roster = inputs.roster, let drawn = inputs.drawn else { return Dictionary(uniqueKeysWithValues: units.map { ($0, missing(source)) }) }
            let certs = try roster.requiredColumn(RosterExport.certNo, in: RosterExport.schema.fileName)
            let staff = try roster.requiredColumn(RosterExport.staffType, in: RosterExport.schema.fileName)
            let casesThisYear = try roster.requiredColumn(RosterExport.casesThisYear, in: RosterExport.schema.fileName)
            var rowOf: [String: Int] = [:]
            for row in 0..<roster.rowCount { rowOf[certs.value(at: row).plainText] = row }
            for unit in units {
                guard let persons = drawn[unit], !persons.isEmpty else {
                    result[unit] = .notComputed(LocalizedText(zh: "未计算：抽取记录中没有该单位", en: "not computed: the draw record has no stratum for this unit"))
                    continue
                }
                let rows = persons.compactMap { rowOf[$0] }
                if source == .ineligibleStaffDrawn {
                    let found = rows.filter { OfficerDraw.ineligibleStaffTypes.contains(staff.value(at: $0).plainText) }
                    let shown = found.map { "\(certs.value(at: $0).plainText)（\(staff.value(at: $0).plainText)）" }.joined(separator: "、")
                    result[unit] = .breach(!found.isEmpty, found.isEmpty ? nil : LocalizedText(zh: "抽中 \(shown)", en: "drawn: \(shown)"))
                } else {
                    let idle = rows.filter { casesThisYear.value(at: $0) == .int(0) }.map { certs.value(at: $0).plainText }
                    result[unit] = .points(max(0, points - Double(idle.count)), idle.isEmpty ? nil
                                           : LocalizedText(zh: "本年度未办案：\(idle.joined(separator: "、"))", en: "no case this year: \(idle.joined(separator: ", "))"))
                }
            }
        }
        return result
    }
}
