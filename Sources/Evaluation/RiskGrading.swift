import Kernels
import Columnar
import Vocabulary
import Query
import Reporting

/// Legal-risk grading (法律风险等级, DOMAIN.md §2.8; `003` 附件1): each violation, within a group
/// (a sector by default) and a period, is
/// - high (高风险) when it led to a major penalty or to compulsion (行政强制), or when it is frequent
///   (易发、高发、多发: in the top share of counts of its group and period, and not rare);
/// - low (低风险) when all its cases went by the simple procedure (简易程序), or it is rare
///   (偶发、少见: fewer than 3 cases in the period);
/// - medium (中风险) otherwise.
/// High is checked first, as `003` calls it the greatest level; a rare violation is not also frequent.
public enum RiskGrading {
    public enum Period: String, Sendable, CaseIterable {
        case year
        case quarter
    }

    public struct Request: Sendable {
        public var groupBy: String
        public var period: Period
        public var filter: Query.Expression?
        public var filterText: String?
        public var settings: RuleSettings.Risk

        public init(groupBy: String, period: Period, filter: Query.Expression?, filterText: String?, settings: RuleSettings.Risk) {
            self.groupBy = groupBy
            self.period = period
            self.filter = filter
            self.filterText = filterText
            self.settings = settings
        }
    }

    public struct Result: Sendable {
        public var table: ResultTable
        public var settings: [Provenance.Setting]
        public var filteredOut: Int
        /// Rows without a decision date or a violation: no period or nothing to grade.
        public var undated: Int
        public var noViolation: Int
        /// The table's rows by name, for the published list.
        var risks: [RiskRow] = []
        var groupColumn: ResultColumn
    }

    struct Tally {
        var count = 0
        var major = 0
        var compulsion = 0
        var simple = 0
        var units: [String: Int] = [:]

        /// Adds one unit's counts to a violation's tally.
        mutating func add(_ other: Tally, unit: String) {
            count += other.count
            major += other.major
            compulsion += other.compulsion
            simple += other.simple
            units[unit, default: 0] += other.count
        }
    }

    /// A test of `column`'s row against `value` that compares dictionary codes for text columns
    /// instead of making a string per row.
    static func rowsEqual(_ column: Column, _ value: Value) -> (Int) -> Bool {
        if case .text(let codes, let dictionary) = column.storage, case .text(let wanted) = value {
            let matching = dictionary.strings.map { $0 == wanted }
            return { row in !column.isNull(row) && matching[Int(codes[row])] }
        }
        return { row in column.value(at: row) == value }
    }

    /// A period as a sortable number (year × 4 + quarter − 1, or the year) and its label.
    static func periodKey(_ days: Int32, _ period: Period) -> Int {
        let date = CivilDate.components(days: days)
        return period == .year ? date.year : date.year * 4 + (date.month - 1) / 3
    }

    static func periodLabel(_ key: Int, _ period: Period) -> String {
        period == .year ? String(key) : "\(key / 4)Q\(key % 4 + 1)"
    }

    /// - Throws: `QueryError` for an unknown group column or a bad filter; `PingchaError` when a
    ///   column the rule needs is missing.
    public static func grade(table: Columnar.Table, request: Request) throws -> Result {
        let purpose = LocalizedText(zh: "无法评定风险等级", en: "cannot grade risks")
        let violations = try table.requiredColumn(CasesExport.violation, in: CasesExport.schema.fileName, for: purpose)
        let dates = try table.requiredColumn(CasesExport.decisionDate, in: CasesExport.schema.fileName, for: purpose)
        let units = try table.requiredColumn(CasesExport.unit, in: CasesExport.schema.fileName, for: purpose)
        let caseTypes = try table.requiredColumn(CasesExport.caseType, in: CasesExport.schema.fileName, for: purpose)
        let procedures = try table.requiredColumn(CasesExport.procedure, in: CasesExport.schema.fileName, for: purpose)
        let major = try table.requiredColumn(CasesExport.major, in: CasesExport.schema.fileName, for: purpose)
        let groupColumn = try table.groupingColumn(request.groupBy)
        let rules = request.settings
        let selected = try request.filter.map { try Evaluator(table: table).selectRows(where: $0).map(Int.init) } ?? Array(0..<table.rowCount)
        // Rows are grouped once on dictionary codes by (group, period, violation, unit); the
        // per-violation tallies are then built from the groups, not from every row.
        // On the query engine: each case's decision day (CAST(决定日期 AS DATE): null when it has
        // none) and whether its violation is blank (null or 违法行为 = '').
        let evaluator = Evaluator(table: table)
        var dayValues: ColumnBuffer<Int32> = [], dayValidity: Bitmap? = Bitmap(count: table.rowCount, value: false)
        if [.date, .timestamp, .text].contains(dates.dataType),
           case .date(let values, let validity) = try evaluator.evaluate(.cast(.column(dates.name, .start), .date, .start)) {
            (dayValues, dayValidity) = (values, validity)
        }
        let blankViolation = violations.dataType == .text
            ? try evaluator.evaluate(.binary(.equal, .column(violations.name, .start), .literal(.text(""), .start), .start))
                .boolBytes(rowCount: table.rowCount)
            : (0..<table.rowCount).map { violations.isNull($0) ? Vector.unknownValue : Vector.falseValue }
        var periods = [Int64](repeating: 0, count: table.rowCount)
        var kept: [Int32] = []
        kept.reserveCapacity(selected.count)
        var undated = 0, noViolation = 0
        for row in selected {
            guard dayValidity?[row] ?? true else {
                undated += 1
                continue
            }
            guard blankViolation[row] == Vector.falseValue else {
                noViolation += 1
                continue
            }
            periods[row] = Int64(periodKey(dayValues[row], request.period))
            kept.append(Int32(row))
        }
        let periodColumn = Column(name: "period", storage: .int64(periods))
        let grouping = Grouping.make(table: table, columns: [groupColumn, periodColumn, violations, units], selected: kept)
        let isMajor = rowsEqual(major, .bool(true)), isCompulsion = rowsEqual(caseTypes, .text(rules.compulsionCaseType))
        let isSimple = rowsEqual(procedures, .text(rules.simpleProcedure))
        var perGroup = [Tally](repeating: Tally(), count: grouping.groupCount)
        let groupIds = grouping.groupIds
        for row in kept {
            let group = Int(groupIds[Int(row)])
            perGroup[group].count += 1
            if isMajor(Int(row)) { perGroup[group].major += 1 }
            if isCompulsion(Int(row)) { perGroup[group].compulsion += 1 }
            if isSimple(Int(row)) { perGroup[group].simple += 1 }
        }
        struct Cell: Hashable { var group: String; var period: Int }
        var tallies: [Cell: [String: Tally]] = [:]
        var totals: [Cell: Int] = [:]
        for (group, key) in grouping.keys.enumerated() {
            let found = perGroup[group]
            guard case .int(let period) = key[1] else { continue }
            let cell = Cell(group: key[0].plainText, period: Int(period))
            totals[cell, default: 0] += found.count
            tallies[cell, default: [:]][key[2].plainText, default: Tally()].add(found, unit: key[3].plainText)
        }

        var rows: [RiskRow] = []
        let levelOrder = ["high": 0, "medium": 1, "low": 2]
        for cell in tallies.keys.sorted(by: { ($0.group, $0.period) < ($1.group, $1.period) }) {
            let list = tallies[cell]!
            let counts = list.values.map(\.count).sorted(by: >)
            let topCount = Int((Double(counts.count) * rules.frequentTopShare).rounded(.up))
            let frequentFrom = counts[max(0, min(counts.count, max(1, topCount)) - 1)]
            let previous = Cell(group: cell.group, period: cell.period - 1)
            let previousList = tallies[previous]
            var cellRows: [RiskRow] = []
            for (violation, tally) in list {
                let rare = tally.count < rules.rareBelow
                let level: String, reason: String
                if tally.major > 0 { (level, reason) = ("high", "major_penalty") }
                else if tally.compulsion > 0 { (level, reason) = ("high", "compulsion") }
                else if !rare && tally.count >= frequentFrom { (level, reason) = ("high", "frequent") }
                else if tally.simple == tally.count { (level, reason) = ("low", "simple_procedure") }
                else if rare { (level, reason) = ("low", "rare") }
                else { (level, reason) = ("medium", "other") }
                let top = tally.units.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                    .prefix(rules.topUnits).map { "\($0.key)（\($0.value)）" }.joined(separator: "、")
                let previousCount = previousList.map { $0[violation]?.count ?? 0 }
                cellRows.append(RiskRow(group: cell.group, period: periodLabel(cell.period, request.period), violation: violation, level: level,
                                        reason: reason, count: tally.count, share: Double(tally.count) / Double(totals[cell]!),
                                        previousCount: previousCount, change: previousCount.map { tally.count - $0 }, topUnits: top))
            }
            cellRows.sort { left, right in
                let l = levelOrder[left.level]!, r = levelOrder[right.level]!
                if l != r { return l < r }
                if left.count != right.count { return left.count > right.count }
                return left.violation.utf8.lexicographicallyPrecedes(right.violation.utf8)
            }
            rows += cellRows
        }
        let rare = rules.rareBelow, share = Value.formatDouble(rules.frequentTopShare * 100)
        let header = LocalizedText(zh: CaseReview.chineseName(of: groupColumn), en: groupColumn.englishName)
        let risks = ResultTable(
            title: LocalizedText(zh: "违法风险点清单（高风险：重大处罚、强制或前 \(share)% 多发；低风险：全部简易程序或少于 \(rare) 件）",
                                 en: "Risk list (high: major penalty, compulsion or top \(share)%; low: all simple procedure or fewer than \(rare))"),
            fields: RiskRow.fields(groupColumn: RiskRow.groupColumn(key: groupColumn.englishName, header: header), rules: rules), rows: rows)
        var settings = [
            Provenance.Setting(key: "frequent_top_share", label: LocalizedText(zh: "多发：件数居前", en: "frequent: top share"), value: .double(rules.frequentTopShare)),
            Provenance.Setting(key: "rare_below", label: LocalizedText(zh: "偶发：少于（件）", en: "rare: fewer than"), value: .int(Int64(rules.rareBelow))),
            Provenance.Setting(key: "compulsion_case_type", label: LocalizedText(zh: "强制案件类型", en: "compulsion case type"), value: .text(rules.compulsionCaseType)),
            Provenance.Setting(key: "simple_procedure", label: LocalizedText(zh: "简易程序", en: "simple procedure"), value: .text(rules.simpleProcedure)),
            Provenance.Setting(key: "period", label: LocalizedText(zh: "期间（按决定日期）", en: "period (by decision date)"), value: .text(request.period.rawValue)),
            Provenance.Setting(key: "group_by", label: LocalizedText(zh: "分组", en: "grouped by"), value: .text(groupColumn.englishName)),
        ]
        if let filterText = request.filterText {
            settings.append(Provenance.Setting(key: "where", label: LocalizedText(zh: "筛选", en: "filter"), value: .text(filterText)))
        }
        return Result(table: risks, settings: settings, filteredOut: table.rowCount - selected.count, undated: undated, noViolation: noViolation,
                      risks: rows, groupColumn: RiskRow.groupColumn(key: groupColumn.englishName, header: header))
    }

    /// One violation of one group and period, with its level.
    struct RiskRow: Sendable {
        var group: String
        var period: String
        var violation: String
        var level: String
        var reason: String
        var count: Int
        var share: Double
        /// The previous period's count (nil for the first period).
        var previousCount: Int?
        var change: Int?
        var topUnits: String

        static func groupColumn(key: String, header: LocalizedText) -> ResultColumn {
            ResultColumn(key: key, header: header, format: .text)
        }

        static let periodColumn = ResultColumn(key: "period", zh: "期间", en: "Period", format: .text)

        static let levelColumn = ResultColumn(key: "level", zh: "风险等级", en: "Level", format: .label([
            "high": LocalizedText(zh: "高风险", en: "high"),
            "medium": LocalizedText(zh: "中风险", en: "medium"),
            "low": LocalizedText(zh: "低风险", en: "low"),
        ]))

        static func fields(groupColumn: ResultColumn, rules: RuleSettings.Risk) -> [ResultField<RiskRow>] {
            let rare = rules.rareBelow, share = Value.formatDouble(rules.frequentTopShare * 100)
            return [
                ResultField(\.group, groupColumn),
                ResultField(\.period, periodColumn),
                ResultField(\.violation, ResultColumn(CasesExport.violation, format: .text)),
                ResultField(\.level, levelColumn),
                ResultField(\.reason, key: "reason", zh: "依据", en: "Reason", format: .label([
                    "major_penalty": LocalizedText(zh: "有重大行政处罚", en: "led to a major penalty"),
                    "compulsion": LocalizedText(zh: "有行政强制", en: "led to compulsion"),
                    "frequent": LocalizedText(zh: "多发（件数居前 \(share)%）", en: "frequent (top \(share)% of counts)"),
                    "simple_procedure": LocalizedText(zh: "全部适用简易程序", en: "all by the simple procedure"),
                    "rare": LocalizedText(zh: "偶发（少于 \(rare) 件）", en: "rare (fewer than \(rare))"),
                    "other": LocalizedText(zh: "其他", en: "the rest"),
                ])),
                ResultField(\.count, key: "count", zh: "件数", en: "Cases", format: .integer),
                ResultField(\.share, key: "share", zh: "占比", en: "Share", format: .percent(1)),
                ResultField(\.previousCount, key: "previous_count", zh: "上期件数", en: "Previous", format: .integer),
                ResultField(\.change, key: "change", zh: "增减", en: "Change", format: .integer),
                ResultField(\.topUnits, key: "top_units", zh: "涉及较多的单位", en: "Units most affected", format: .text),
            ]
        }
    }
}
