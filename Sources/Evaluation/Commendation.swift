import Columnar
import Vocabulary
import Reporting

/// Commendation (表扬推荐, DOMAIN.md §2.9; `000` 附件2, 附件3): eligibility (正处级 and below, read
/// through the rules' grade table, an unknown grade reported; no illegal administrative act since
/// 2015; persons hold a certificate, or have 3 years in the role as 正式工作人员), quotas
/// per recommender, the division-level (处级) cap of floor(20% × persons put forward) with
/// skip-and-continue, ties at the quota line listed for a person to decide, everyone dropped
/// listed with the reason.
public enum Commendation {
    public enum RankBy: String, Sendable, CaseIterable {
        /// The recommender's own order (推荐顺序).
        case order
        /// A weighted composite of measured figures, the order breaking ties.
        case composite
    }

    /// Why a candidate is not in the tables.
    public enum DropReason: String, Sendable, CaseIterable {
        case violationSince2015 = "violation_since_2015"
        case unknownGrade = "unknown_grade"
        case aboveDivisionLevel = "above_division_level"
        case staffTypeUnknown = "staff_type_unknown"
        case notFormalStaff = "not_formal_staff"
        case noCertificateShortService = "no_certificate_short_service"
        case divisionCapFull = "division_cap_full"
        case overQuota = "over_quota"
        case tiedAtCutoff = "tied_at_cutoff"
        case unknownKind = "unknown_kind"
        case noOrder = "no_order"
    }

    public struct Request: Sendable {
        public var rankBy: RankBy
        public var settings: RuleSettings.Commendation
        /// Measured figures for `--rank-by composite`: by unit (and, for test averages, by certificate).
        public var figures: Figures?
        /// The roster's 身份类别 and 证件状态 by 证件号: a certificate that is not 有效 is not held
        /// (the 3-years route applies), and the staff type fills a candidates row that has none.
        public var roster: [String: (staffType: String, status: String)]

        public init(rankBy: RankBy, settings: RuleSettings.Commendation, figures: Figures?,
                    roster: [String: (staffType: String, status: String)] = [:]) {
            self.roster = roster
            self.rankBy = rankBy
            self.settings = settings
            self.figures = figures
        }
    }

    public struct Result: Sendable {
        public var units: ResultTable
        public var persons: ResultTable
        public var dropped: ResultTable
        /// The composite figures of every candidate (only with `--rank-by composite`).
        public var figures: ResultTable?
        public var settings: [Provenance.Setting]
        public var notes: [LocalizedText]
    }

    struct Candidate {
        var row: Int
        var recommender: String
        var isPerson: Bool
        var order: Int64?
        var unit: String
        var unitLevel: String
        var name: String
        var office: String
        var post: String
        var grade: String
        var certNo: String
        var staffType: String
        /// Whether the person holds a certificate: a 证件号, 有效 in the roster when the roster is given.
        var holdsCertificate: Bool
        var violation: Bool
        var years: Double?
        var composite: Double?
    }

    /// The recommender kind of `name`: the rules file's list first, then the name (…市 is a
    /// prefecture city, …示范区 is Jiyuan, anything else a provincial department).
    public static func recommenderKind(_ name: String, settings: RuleSettings.Commendation) -> String {
        if let kind = settings.recommenderKinds[name] { return kind }
        if name.hasSuffix("示范区") { return "jiyuan" }
        if name.hasSuffix("市") { return "city" }
        return "department"
    }

    public static func select(candidates table: Table, lines: [Int32], request: Request) throws -> Result {
        let settings = request.settings
        let recommenders = try table.requiredColumn(CandidatesExport.recommender, in: CandidatesExport.schema.fileName)
        let kinds = try table.requiredColumn(CandidatesExport.kind, in: CandidatesExport.schema.fileName)
        let orders = try table.requiredColumn(CandidatesExport.order, in: CandidatesExport.schema.fileName)
        let units = try table.requiredColumn(CandidatesExport.unit, in: CandidatesExport.schema.fileName)
        func text(_ spec: ExportSchema.ColumnSpec, _ row: Int) -> String { table.column(named: spec.header)?.value(at: row).plainText ?? "" }
        var candidates: [Candidate] = []
        var dropped: [DroppedRow] = []
        var recommenderOrder: [String] = []
        for row in 0..<table.rowCount {
            let recommender = recommenders.value(at: row).plainText
            if !recommenderOrder.contains(recommender) { recommenderOrder.append(recommender) }
            let kind = kinds.value(at: row).plainText
            var candidate = Candidate(
                row: row, recommender: recommender, isPerson: kind == "个人", order: nil, unit: units.value(at: row).plainText,
                unitLevel: text(CandidatesExport.unitLevel, row), name: text(CandidatesExport.name, row),
                office: text(CandidatesExport.office, row), post: text(CandidatesExport.post, row), grade: text(CandidatesExport.grade, row),
                certNo: text(CandidatesExport.certNo, row), staffType: text(CandidatesExport.staffType, row), holdsCertificate: false,
                violation: table.column(named: CandidatesExport.violationSince2015.header)?.value(at: row) == .bool(true),
                years: table.column(named: CandidatesExport.yearsInRole.header)?.value(at: row).asDouble, composite: nil)
            if case .int(let order) = orders.value(at: row) { candidate.order = order }
            let inRoster = candidate.certNo.isEmpty ? nil : request.roster[candidate.certNo]
            candidate.holdsCertificate = !candidate.certNo.isEmpty && (inRoster == nil || inRoster!.status == "有效")
            if candidate.staffType.isEmpty { candidate.staffType = inRoster?.staffType ?? "" }
            if kind != "个人" && kind != "单位" {
                dropped.append(DroppedRow(candidate, .unknownKind, line: lines[row]))
            } else if candidate.order == nil {
                dropped.append(DroppedRow(candidate, .noOrder, line: lines[row]))
            } else {
                candidates.append(candidate)
            }
        }
        var figureRows: [FigureRow] = []
        if request.rankBy == .composite, let figures = request.figures {
            for index in candidates.indices {
                let measured = figures.measured(unit: candidates[index].unit, certNo: candidates[index].isPerson ? candidates[index].certNo : nil)
                candidates[index].composite = figures.composite(measured, weights: settings.compositeWeights)
                let c = candidates[index]
                figureRows.append(FigureRow(recommender: c.recommender, kind: c.isPerson ? "person" : "unit", order: c.order!,
                                            candidate: c.isPerson ? c.name : c.unit, measured: measured, composite: c.composite))
            }
        }

        var unitRows: [UnitRow] = [], personRows: [PersonRow] = []
        var personQuotas: [PersonQuota] = []
        for recommender in recommenderOrder {
            let kind = recommenderKind(recommender, settings: settings)
            guard let quota = settings.quotas[kind] else {
                throw PingchaError(.data, zh: "规则文件没有推荐单位类别「\(kind)」（\(recommender)）的名额。", en: "the rules file has no quota for the recommender kind '\(kind)' (\(recommender)).")
            }
            for isPerson in [false, true] {
                let list = candidates.filter { $0.recommender == recommender && $0.isPerson == isPerson }
                guard !list.isEmpty else { continue }
                let limit = isPerson ? quota.persons : quota.units
                let outcome = isPerson ? selectPersons(list, quota: limit, settings: settings, rankBy: request.rankBy)
                                       : selectWithin(list, quota: limit, cap: nil, settings: settings, rankBy: request.rankBy)
                for (position, candidate) in outcome.taken.enumerated() {
                    if isPerson {
                        personRows.append(PersonRow(recommender: recommender, order: position + 1, name: candidate.name, unit: candidate.unit,
                                                    office: candidate.office, post: candidate.post, grade: candidate.grade, certNo: candidate.certNo))
                    } else {
                        unitRows.append(UnitRow(recommender: recommender, order: position + 1, unit: candidate.unit, unitLevel: candidate.unitLevel))
                    }
                }
                for (candidate, reason) in outcome.dropped {
                    dropped.append(DroppedRow(candidate, reason, line: lines[candidate.row]))
                }
                if isPerson {
                    personQuotas.append(PersonQuota(recommender: recommender, places: limit, putForward: outcome.putForward, cap: outcome.cap ?? 0))
                }
            }
        }
        return Result(
            units: ResultTable(title: LocalizedText(zh: "表扬推荐对象汇总表（单位）", en: "Commendation: units"), fields: UnitRow.fields, rows: unitRows),
            persons: ResultTable(title: LocalizedText(zh: "表扬推荐对象汇总表（个人）", en: "Commendation: persons"),
                                 fields: PersonRow.fields, rows: personRows),
            dropped: ResultTable(title: LocalizedText(zh: "未列入的推荐对象及原因", en: "Candidates not put forward, and why"),
                                 fields: DroppedRow.fields(settings), rows: dropped),
            figures: request.rankBy == .composite
                ? ResultTable(title: LocalizedText(zh: "综合排名所用数据", en: "Figures of the composite ranking"), fields: FigureRow.fields, rows: figureRows)
                : nil,
            settings: settingsUsed(settings, rankBy: request.rankBy),
            notes: personQuotas.map { $0.note(share: settings.divisionLevelShare) })
    }

    struct Outcome {
        var taken: [Candidate] = []
        var dropped: [(Candidate, DropReason)] = []
        var putForward = 0
        var cap: Int?
    }

    /// Persons: the cap is floor(share × persons put forward), and who is put forward depends on
    /// the cap; start from min(quota, eligible) and lower it until the two agree.
    static func selectPersons(_ list: [Candidate], quota: Int, settings: RuleSettings.Commendation, rankBy: RankBy) -> Outcome {
        let eligible = list.filter { eligibility($0, settings) == nil }.count
        var target = min(quota, eligible)
        while true {
            let cap = Int((settings.divisionLevelShare * Double(target) + 1e-9).rounded(.down))
            var outcome = selectWithin(list, quota: quota, cap: cap, settings: settings, rankBy: rankBy)
            let tied = outcome.dropped.filter { $0.1 == .tiedAtCutoff }.count
            let put = min(quota, outcome.taken.count + tied)
            if put >= target || target == 0 {
                outcome.putForward = target
                outcome.cap = cap
                return outcome
            }
            target = put
        }
    }

    /// The first clause of §2.9 that `candidate` fails, or nil: no illegal act since 2015; a grade
    /// (unit level for units) the table knows, at 正处级 or below; for a person without a
    /// certificate (none given, or not 有效 in the roster), 3 years in the role as 正式工作人员.
    static func eligibility(_ candidate: Candidate, _ settings: RuleSettings.Commendation) -> DropReason? {
        if candidate.violation { return .violationSince2015 }
        switch settings.grades.rank(of: candidate.isPerson ? candidate.grade : candidate.unitLevel) {
        case nil: return .unknownGrade
        case .above?: return .aboveDivisionLevel
        case .division?, .below?: break
        }
        if candidate.isPerson && !candidate.holdsCertificate {
            if candidate.staffType.isEmpty { return .staffTypeUnknown }
            if !settings.formalStaffTypes.contains(candidate.staffType) { return .notFormalStaff }
            if (candidate.years ?? 0) < settings.minYearsWithoutCertificate { return .noCertificateShortService }
        }
        return nil
    }

    static func isDivisionLevel(_ candidate: Candidate, _ settings: RuleSettings.Commendation) -> Bool {
        settings.grades.rank(of: candidate.grade) == .division
    }

    /// Fills the quota in ranking order; candidates that rank equal form one group, and a group
    /// that does not fit in the places left is tied at the cut-off, closing the list.
    static func selectWithin(_ list: [Candidate], quota: Int, cap: Int?, settings: RuleSettings.Commendation, rankBy: RankBy) -> Outcome {
        let sorted = list.sorted { left, right in
            if rankBy == .composite, left.composite != right.composite { return (left.composite ?? -1) > (right.composite ?? -1) }
            return left.order! != right.order! ? left.order! < right.order! : left.row < right.row
        }
        var groups: [[Candidate]] = []
        for candidate in sorted {
            if let last = groups.last?.last, last.order == candidate.order, rankBy == .order || last.composite == candidate.composite {
                groups[groups.count - 1].append(candidate)
            } else {
                groups.append([candidate])
            }
        }
        var outcome = Outcome()
        var divisionTaken = 0, closed = false
        for group in groups {
            var standing: [Candidate] = []
            for candidate in group {
                if let reason = eligibility(candidate, settings) {
                    outcome.dropped.append((candidate, reason))
                } else if closed || outcome.taken.count >= quota {
                    outcome.dropped.append((candidate, .overQuota))
                } else if let cap, isDivisionLevel(candidate, settings), divisionTaken + standing.filter({ isDivisionLevel($0, settings) }).count >= cap {
                    outcome.dropped.append((candidate, .divisionCapFull))
                } else {
                    standing.append(candidate)
                }
            }
            guard !standing.isEmpty else { continue }
            if standing.count <= quota - outcome.taken.count {
                outcome.taken += standing
                divisionTaken += standing.filter { isDivisionLevel($0, settings) }.count
            } else {
                outcome.dropped += standing.map { ($0, .tiedAtCutoff) }
                closed = true
            }
        }
        return outcome
    }

    static func reasonLabels(_ settings: RuleSettings.Commendation) -> [String: LocalizedText] {
        let years = Value.formatDouble(settings.minYearsWithoutCertificate), share = Value.formatDouble(settings.divisionLevelShare * 100)
        return [
            DropReason.violationSince2015.rawValue: LocalizedText(zh: "2015年以来有违法行政行为", en: "an illegal administrative act since 2015"),
            DropReason.unknownGrade.rawValue: LocalizedText(zh: "职级（单位级别）未填或不在规则文件的职级表中，未予推断（可在 commendation.grades 中补充）",
                                                            en: "grade (unit level) empty or not in the rules' grade table; not guessed (add it to commendation.grades)"),
            DropReason.aboveDivisionLevel.rawValue: LocalizedText(zh: "正处级以上，不在推荐范围（正处级及以下）", en: "above 正处级: outside the scope (正处级 and below)"),
            DropReason.staffTypeUnknown.rawValue: LocalizedText(zh: "无执法证件，且身份类别不明（推荐表和名册中都没有），无法确认为正式工作人员",
                                                                en: "no certificate, and no staff type (neither in the candidates nor in the roster): cannot be shown to be 正式工作人员"),
            DropReason.notFormalStaff.rawValue: LocalizedText(zh: "无执法证件，且不是正式工作人员（公务员、参公管理、事业编制）",
                                                              en: "no certificate, and not 正式工作人员 (公务员, 参公管理, 事业编制)"),
            DropReason.noCertificateShortService.rawValue: LocalizedText(zh: "无执法证件且从事年限不满 \(years) 年", en: "no certificate and under \(years) years in the role"),
            DropReason.divisionCapFull.rawValue: LocalizedText(zh: "处级人员已达 \(share)% 上限，跳过", en: "division-level cap (\(share)%) full: skipped"),
            DropReason.overQuota.rawValue: LocalizedText(zh: "超出名额", en: "over the quota"),
            DropReason.tiedAtCutoff.rawValue: LocalizedText(zh: "与他人并列于名额线，待人工决定", en: "tied at the quota line: for a person to decide"),
            DropReason.unknownKind.rawValue: LocalizedText(zh: "对象类别应为「单位」或「个人」", en: "kind must be 单位 or 个人"),
            DropReason.noOrder.rawValue: LocalizedText(zh: "缺少推荐顺序", en: "no recommendation order"),
        ]
    }

    static func settingsUsed(_ settings: RuleSettings.Commendation, rankBy: RankBy) -> [Provenance.Setting] {
        var result = [
            Provenance.Setting(key: "rank_by", label: LocalizedText(zh: "排序依据", en: "ranked by"), value: .text(rankBy.rawValue)),
            Provenance.Setting(key: "division_level_share", label: LocalizedText(zh: "处级人员比例上限", en: "division-level share"), value: .double(settings.divisionLevelShare)),
            Provenance.Setting(key: "min_years_without_certificate", label: LocalizedText(zh: "无证件时最少从事年限（限正式工作人员）", en: "years needed without a certificate (正式工作人员 only)"), value: .double(settings.minYearsWithoutCertificate)),
            Provenance.Setting(key: "formal_staff_types", label: LocalizedText(zh: "正式工作人员", en: "正式工作人员 are"),
                               value: .text(settings.formalStaffTypes.joined(separator: "、"))),
            Provenance.Setting(key: "grades_above", label: LocalizedText(zh: "正处级以上（不推荐）", en: "above 正处级 (ineligible)"),
                               value: .text(settings.grades.above.joined(separator: "、"))),
            Provenance.Setting(key: "grades_division", label: LocalizedText(zh: "处级（计入比例上限）", en: "division level (counted in the cap)"),
                               value: .text(settings.grades.division.joined(separator: "、"))),
        ]
        for kind in settings.quotas.keys.sorted() {
            let quota = settings.quotas[kind]!
            result.append(Provenance.Setting(key: "quota_\(kind)", label: LocalizedText(zh: "名额（\(kind)）单位/个人", en: "quota (\(kind)) units/persons"),
                                             value: .text("\(quota.units)/\(quota.persons)")))
        }
        if rankBy == .composite {
            for key in settings.compositeWeights.keys.sorted() {
                result.append(Provenance.Setting(key: "weight_\(key)", label: LocalizedText(zh: "权重 \(key)", en: "weight \(key)"), value: .double(settings.compositeWeights[key]!)))
            }
        }
        return result
    }

    /// A recommender's person places, how many were put forward and the division-level cap that gave.
    struct PersonQuota {
        var recommender: String
        var places: Int
        var putForward: Int
        var cap: Int

        func note(share: Double) -> LocalizedText {
            let percent = Value.formatDouble(share * 100)
            return LocalizedText(zh: "\(recommender)：个人名额 \(places)，推荐 \(putForward) 人，处级上限 floor(\(percent)% × \(putForward)) = \(cap)",
                                 en: "\(recommender): \(places) places, \(putForward) put forward, division-level cap floor(\(percent)% × \(putForward)) = \(cap)")
        }
    }
}
