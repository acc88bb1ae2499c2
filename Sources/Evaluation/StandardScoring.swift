import Columnar
import Vocabulary
import Foundation
import Reporting

/// Scoring a unit against a standard (示范点验收, DOMAIN.md §2.6): each item scores
/// max(0, points − deductions) (扣完为止，不倒扣分), the bonus is capped, a basic-item breach or a
/// veto (一票否决) makes the unit ineligible whatever its points, and at most N sites are confirmed,
/// ties across the N-th place listed as tied for a person to decide.
public enum StandardScoring {
    public struct Request: Sendable {
        public var standard: ScoringStandard
        /// Outcomes of the data items, by unit and item code (see `computeDataItems`).
        public var dataOutcomes: [String: [String: Outcome]]
        /// The language of the notes the program writes into the details.
        public var language: Language

        public init(standard: ScoringStandard, dataOutcomes: [String: [String: Outcome]], language: Language = .zh) {
            self.standard = standard
            self.dataOutcomes = dataOutcomes
            self.language = language
        }
    }

    public struct Result: Sendable {
        public var table: ResultTable
        /// The table's rows by name.
        var scores: [ScoreRow] = []
        public var details: ResultTable
        /// Sheet rows that could not be scored, with their line and reason.
        public var problems: ResultTable
        public var otherStandardRows: Int
        public var notes: [LocalizedText]
        public var settings: [Provenance.Setting]
    }

    /// One unit's findings on the sheet.
    struct UnitSheet {
        var deductions: [String: Double] = [:]
        var bonus = 0.0
        var breaches: [String: [String]] = [:]
        var vetoNotes: [String] = []
        var vetoed = false
        var notes: [String: [String]] = [:]
        /// The recommender's order (推荐顺序), when the sheet has one: it breaks ties in total.
        var order: Int64?
    }

    /// The applying units (申报单位) on the sheet for `standard`, in order of first appearance.
    public static func units(onSheet sheet: Table, standard: ScoringStandard) throws -> [String] {
        let unitColumn = try sheet.requiredColumn(AcceptanceExport.unit, in: AcceptanceExport.schema.fileName)
        let standardColumn = try sheet.requiredColumn(AcceptanceExport.standard, in: AcceptanceExport.schema.fileName)
        var seen: Set<String> = [], order: [String] = []
        for row in 0..<sheet.rowCount where standardColumn.value(at: row).plainText == standard.name {
            let unit = unitColumn.value(at: row).plainText
            if seen.insert(unit).inserted { order.append(unit) }
        }
        return order
    }

    /// Scores every unit on `sheet` that applied under `request.standard`.
    ///
    /// - Parameter lines: each sheet row's line in its file, for the problems table.
    public static func score(sheet: Table, lines: [Int32], request: Request) throws -> Result {
        let standard = request.standard
        let unitColumn = try sheet.requiredColumn(AcceptanceExport.unit, in: AcceptanceExport.schema.fileName)
        let standardColumn = try sheet.requiredColumn(AcceptanceExport.standard, in: AcceptanceExport.schema.fileName)
        let itemColumn = try sheet.requiredColumn(AcceptanceExport.item, in: AcceptanceExport.schema.fileName)
        let deductionColumn = sheet.column(named: AcceptanceExport.deduction.header), bonusColumn = sheet.column(named: AcceptanceExport.bonus.header)
        let vetoColumn = sheet.column(named: AcceptanceExport.veto.header), noteColumn = sheet.column(named: AcceptanceExport.note.header)
        let orderColumn = sheet.column(named: AcceptanceExport.order.header)
        var orderConflicts: [LocalizedText] = []
        var sheets: [String: UnitSheet] = [:]
        var order: [String] = []
        var problems: [ProblemRow] = []
        var otherStandard = 0
        for row in 0..<sheet.rowCount {
            guard standardColumn.value(at: row).plainText == standard.name else {
                otherStandard += 1
                continue
            }
            let unit = unitColumn.value(at: row).plainText
            let code = itemColumn.value(at: row).plainText.trimmingCharacters(in: .whitespaces)
            let deduction = deductionColumn?.value(at: row).asDouble ?? 0
            let bonus = bonusColumn?.value(at: row).asDouble ?? 0
            let veto = vetoColumn?.value(at: row) == .bool(true)
            let note = noteColumn?.value(at: row).plainText ?? ""
            func problem(_ reason: SheetProblem) {
                problems.append(ProblemRow(line: Int(lines.indices.contains(row) ? lines[row] : 0), unit: unit, item: code, reason: reason))
            }
            if sheets[unit] == nil {
                sheets[unit] = UnitSheet()
                order.append(unit)
            }
            if case .int(let given)? = orderColumn?.value(at: row) {
                if let first = sheets[unit]!.order, first != given {
                    let line = lines.indices.contains(row) ? Int(lines[row]) : row + 2
                    orderConflicts.append(LocalizedText(zh: "「\(unit)」第 \(line) 行的推荐顺序 \(given) 与前面的 \(first) 不同，按 \(first)。",
                                                        en: "'\(unit)' line \(line) gives the order \(given), earlier rows \(first): \(first) is used."))
                } else {
                    sheets[unit]!.order = given
                }
            }
            if veto {
                sheets[unit]!.vetoed = true
                sheets[unit]!.vetoNotes.append(note.isEmpty ? (code.isEmpty ? AcceptanceExport.veto.header : code) : note)
            }
            if code.isEmpty {
                if !veto || deduction > 0 || bonus > 0 {
                    problem(.noItemCode)
                }
                continue
            }
            guard let item = standard.item(code: code) else {
                problem(.unknownItem)
                continue
            }
            switch item.kind {
            case .bonus:
                if deduction > 0 {
                    problem(.deductionOnBonus)
                    continue
                }
                sheets[unit]!.bonus += bonus
            case .general, .basic:
                if bonus > 0 {
                    problem(.bonusOnItem)
                    continue
                }
                if item.kind == .basic {
                    sheets[unit]!.breaches[code, default: []].append(note)
                } else {
                    sheets[unit]!.deductions[code, default: 0] += deduction
                }
            }
            if !note.isEmpty { sheets[unit]!.notes[code, default: []].append(note) }
        }

        struct Scored {
            var unit: String
            var total: Double
            var bonus: Double
            var vetoed: Bool
            var ineligible: [String]
            var missing: [String]
        }
        var scored: [Scored] = []
        var detailRows: [ItemRow] = []
        for unit in order {
            let found = sheets[unit]!
            let outcomes = request.dataOutcomes[unit] ?? [:]
            var total = 0.0, bonusPoints = 0.0
            var ineligible: [String] = [], missing: [String] = []
            for item in standard.items {
                var notes = found.notes[item.code] ?? []
                var computed: Value = .null, score: Value = .null
                let deduction = found.deductions[item.code] ?? 0
                var outcome: Outcome?
                if let source = item.data {
                    outcome = outcomes[item.code] ?? (source.isOptional ? nil : .notComputed(LocalizedText(zh: "未计算", en: "not computed")))
                }
                switch item.kind {
                case .basic:
                    var breached = found.breaches[item.code] != nil
                    switch outcome {
                    case .breach(let flag, let note)?:
                        breached = breached || flag
                        if let note { notes.append(note.text(request.language)) }
                    case .notComputed(let why)?:
                        if !breached { missing.append(item.code) }
                        notes.append(why.text(request.language))
                    default: break
                    }
                    if breached { ineligible.append(item.code) }
                    score = .double(breached ? -100 : 0)
                case .general:
                    var base = item.points ?? 0
                    switch outcome {
                    case .points(let value, let note)?:
                        base = min(value, base)
                        computed = .double(value)
                        if let note { notes.append(note.text(request.language)) }
                    case .notComputed(let why)?:
                        missing.append(item.code)
                        notes.append(why.text(request.language))
                        detailRows.append(ItemRow(unit: unit, item: item.code, itemName: item.name.text(request.language), points: item.points,
                                                  deduction: deduction, note: notes.joined(separator: "；")))
                        continue
                    default: break
                    }
                    let points = max(0, base - deduction)
                    total += points
                    score = .double(points)
                case .bonus:
                    bonusPoints = min(found.bonus, item.points ?? 0)
                    score = .double(bonusPoints)
                }
                detailRows.append(ItemRow(unit: unit, item: item.code, itemName: item.name.text(request.language), points: item.points,
                                          computed: computed, deduction: deduction, bonusClaimed: item.kind == .bonus ? found.bonus : nil,
                                          score: score, note: notes.joined(separator: "；")))
            }
            if found.vetoed {
                detailRows.append(ItemRow(unit: unit, item: "veto", itemName: request.language == .zh ? "一票否决" : "one-vote veto",
                                          note: found.vetoNotes.joined(separator: "；")))
            }
            scored.append(Scored(unit: unit, total: total + bonusPoints, bonus: bonusPoints, vetoed: found.vetoed,
                                 ineligible: ineligible, missing: missing))
        }

        // Ranks on the published value (two decimals), eligible units only; among equal totals the
        // unit its recommender put first goes first (推荐顺序; a unit without one after those with one).
        let published = scored.map { entry -> (total: Double, order: Int64)? in
            entry.vetoed || !entry.ineligible.isEmpty ? nil
                : (Double(CellFormatter.fixed(entry.total, 2))!, sheets[entry.unit]!.order ?? Int64.max)
        }
        let ranks = CompetitionRanking.ranks(published) { a, b in a.total > b.total || (a.total == b.total && a.order < b.order) }
        var confirmed = [Bool](repeating: false, count: scored.count), tied = [Bool](repeating: false, count: scored.count)
        if let limit = standard.confirmAtMost {
            let sharingRank = Dictionary(grouping: ranks.compactMap { $0 }, by: { $0 }).mapValues(\.count)
            for index in scored.indices {
                guard let rank = ranks[index], let sharing = sharingRank[rank] else { continue }
                if rank + sharing - 1 <= limit { confirmed[index] = true } else if rank <= limit { tied[index] = true }
            }
        }
        let rowOrder = scored.indices.sorted { left, right in
            switch (ranks[left], ranks[right]) {
            case let (l?, r?) where l != r: return l < r
            case (.some, nil): return true
            case (nil, .some): return false
            default:
                if scored[left].total != scored[right].total { return scored[left].total > scored[right].total }
                return scored[left].unit.utf8.lexicographicallyPrecedes(scored[right].unit.utf8)
            }
        }
        let reasonText: (Scored) -> String = { entry in
            entry.ineligible.map { code in "\(code) \(standard.item(code: code)?.name.text(request.language) ?? "")" }.joined(separator: "；")
        }
        let rows = rowOrder.map { index in
            let entry = scored[index]
            return ScoreRow(rank: ranks[index], unit: entry.unit, total: entry.total, bonus: entry.bonus, vetoed: entry.vetoed,
                            ineligibleReasons: reasonText(entry), order: sheets[entry.unit]!.order, confirmed: confirmed[index],
                            tiedAtCutoff: tied[index], missingItems: entry.missing.joined(separator: " "))
        }
        let table = ResultTable(title: LocalizedText(zh: "\(standard.title.zh)评分", en: "Scores: \(standard.title.en)"),
                                fields: ScoreRow.fields(standard, withOrder: orderColumn != nil), rows: rows)
        let details = ResultTable(title: LocalizedText(zh: "逐项得分", en: "Item by item"), fields: ItemRow.fields, rows: detailRows)
        let problemTable = ResultTable(title: LocalizedText(zh: "未计分的验收记录", en: "Sheet rows not scored"),
                                       fields: ProblemRow.fields(standard), rows: problems)
        var notes: [LocalizedText] = []
        if scored.contains(where: { !$0.missing.isEmpty }) {
            notes.append(LocalizedText(zh: "有数据项目未计算，其总分不含这些项目（见「未计算项目」列和 --details）。",
                                       en: "some data items were not computed; totals leave them out (see the column 'Items not computed' and --details)."))
        }
        if !problems.isEmpty {
            notes.append(LocalizedText(zh: "\(problems.count) 行验收记录未计分，见「未计分的验收记录」。", en: "\(problems.count) sheet rows were not scored; see 'Sheet rows not scored'."))
        }
        notes += orderConflicts
        if order.isEmpty {
            notes.append(LocalizedText(zh: "验收表中没有标准为 \(standard.name) 的记录。", en: "the sheet has no rows for the standard \(standard.name)."))
        }
        var settings = [
            Provenance.Setting(key: "standard", label: LocalizedText(zh: "评分标准", en: "standard"), value: .text(standard.name)),
            Provenance.Setting(key: "standard_file", label: LocalizedText(zh: "标准来源", en: "standard from"), value: .text(standard.origin)),
            Provenance.Setting(key: "general_points", label: LocalizedText(zh: "一般项目合计", en: "general items total"), value: .double(standard.generalPoints)),
            Provenance.Setting(key: "bonus_cap", label: LocalizedText(zh: "加分上限", en: "bonus cap"), value: .double(standard.bonusCap)),
        ]
        if orderColumn != nil {
            settings.append(Provenance.Setting(key: "tie_break", label: LocalizedText(zh: "同分时", en: "equal totals"),
                                               value: .text(request.language == .zh ? "按推荐顺序（无顺序的排在后面）" : "by 推荐顺序 (units without one after)")))
        }
        if let limit = standard.confirmAtMost {
            settings.append(Provenance.Setting(key: "confirm_at_most", label: LocalizedText(zh: "至多确认", en: "confirm at most"), value: .int(Int64(limit))))
        }
        return Result(table: table, scores: rows, details: details, problems: problemTable, otherStandardRows: otherStandard, notes: notes, settings: settings)
    }
}

/// Why a sheet row was not scored.
enum SheetProblem: String, CaseIterable {
    case noItemCode = "no_item_code"
    case unknownItem = "unknown_item"
    case deductionOnBonus = "deduction_on_bonus"
    case bonusOnItem = "bonus_on_item"

    static func labels(_ standard: ScoringStandard) -> [String: LocalizedText] {
        let known = standard.items.map(\.code).joined(separator: " ")
        return [
            noItemCode.rawValue: LocalizedText(zh: "项目代码为空（又非否决行），本行未计分", en: "no item code (and not a veto row); not scored"),
            unknownItem.rawValue: LocalizedText(zh: "项目代码不在标准 \(standard.name) 中（可用：\(known)），本行未计分",
                                                en: "item code not in the standard \(standard.name) (known: \(known)); not scored"),
            deductionOnBonus.rawValue: LocalizedText(zh: "加分项目不能扣分，本行未计分", en: "the bonus item takes no deduction; not scored"),
            bonusOnItem.rawValue: LocalizedText(zh: "只有加分项目可以加分，本行未计分", en: "only the bonus item takes a bonus; not scored"),
        ]
    }
}
