import Columnar
import Vocabulary
import Query
import Reporting

/// Major-penalty filing (重大行政处罚备案, DOMAIN.md §2.7): a major penalty must be filed within
/// 15 days of its decision (day 15 is on time); unfiled −3 each, late −1 each, the 3-point item
/// stopping at zero.
public enum FilingTimeliness {
    public struct Request: Sendable {
        public var groupBy: String
        public var filter: Expression?
        public var filterText: String?
        public var settings: RuleSettings.Filing

        public init(groupBy: String, filter: Expression?, filterText: String?, settings: RuleSettings.Filing) {
            self.groupBy = groupBy
            self.filter = filter
            self.filterText = filterText
            self.settings = settings
        }
    }

    public struct Result: Sendable {
        public var summary: ResultTable
        /// The summary's rows by name.
        var groups: [SummaryRow] = []
        /// The late, unfiled and impossible cases, one row each.
        public var details: ResultTable
        public var settings: [Provenance.Setting]
        public var filteredOut: Int
    }

    enum Status: String {
        case onTime = "on_time"
        case late
        case unfiled
        /// Filed before the decision: the dates cannot both be right.
        case filedBeforeDecision = "filed_before_decision"
    }

    /// - Throws: `QueryError` for an unknown group column or a bad filter; `PingchaError` when a
    ///   column the rule needs is missing.
    public static func evaluate(table: Table, request: Request) throws -> Result {
        let purpose = LocalizedText(zh: "无法核查备案", en: "cannot check filing")
        let major = try table.requiredColumn(CasesExport.major, in: CasesExport.schema.fileName, for: purpose)
        let decided = try table.requiredColumn(CasesExport.decisionDate, in: CasesExport.schema.fileName, for: purpose)
        let filed = try table.requiredColumn(CasesExport.filingDate, in: CasesExport.schema.fileName, for: purpose)
        let caseIds = try table.requiredColumn(CasesExport.caseID, in: CasesExport.schema.fileName, for: purpose)
        let units = try table.requiredColumn(CasesExport.unit, in: CasesExport.schema.fileName, for: purpose)
        let groupColumn = try table.groupingColumn(request.groupBy)
        let selected = try request.filter.map { try Evaluator(table: table).selectRows(where: $0) }
        // The major cases among the selected: 重大案件 true (a column that is not yes/no has none,
        // as before; comparing it to true would be a type error). Then, on the query engine, each
        // case's days from decision to filing (备案日期 - 决定日期, null when either is missing).
        let isMajor = Vector(column: major).boolBytes(rowCount: table.rowCount)
        let evaluator = Evaluator(table: table)
        let majorRows = (selected ?? Array(0..<Int32(table.rowCount))).filter { isMajor[Int($0)] == Vector.trueValue }.map(Int.init)
        let dates: Set<DataType> = [.date, .timestamp]
        let delays = dates.contains(filed.dataType) && dates.contains(decided.dataType)
            ? try evaluator.evaluate(.binary(.subtract, .column(filed.name, .start), .column(decided.name, .start), .start))
            : .constant(.null)
        let grouping = Grouping.make(table: table, columns: [groupColumn], selected: majorRows.map(Int32.init))
        let rules = request.settings
        var summaryRows = grouping.keys.map { SummaryRow(group: $0[0]) }
        var details: [DetailRow] = []
        let groupIds = grouping.groupIds
        for row in majorRows {
            let group = Int(groupIds[row])
            let status: Status
            var delay: Value = .null
            if case .int(let days) = delays.value(at: row) {
                delay = .int(days)
                status = days < 0 ? .filedBeforeDecision : (days <= Int64(rules.daysAllowed) ? .onTime : .late)
            } else if filed.isNull(row) {
                status = .unfiled
            } else {
                status = .filedBeforeDecision
            }
            summaryRows[group].count(status)
            if status != .onTime {
                details.append(DetailRow(caseID: caseIds.value(at: row), unit: units.value(at: row), decided: decided.value(at: row),
                                         filed: filed.value(at: row), days: delay, status: status))
            }
        }
        for index in summaryRows.indices {
            let row = summaryRows[index]
            summaryRows[index].itemPoints = max(0, rules.itemPoints - rules.unfiledDeduction * Double(row.unfiled) - rules.lateDeduction * Double(row.late))
        }
        summaryRows.sort { ValueOrdering.precedesNullsLast($0.group, $1.group) }
        let groupHeader = LocalizedText(zh: CaseReview.chineseName(of: groupColumn), en: groupColumn.englishName)
        let summary = ResultTable(
            title: LocalizedText(zh: "重大行政处罚备案核查（\(rules.daysAllowed) 日内备案）", en: "Major-penalty filing (within \(rules.daysAllowed) days)"),
            fields: SummaryRow.fields(groupKey: groupColumn.englishName, header: groupHeader), rows: summaryRows)
        let detailTable = ResultTable(
            title: LocalizedText(zh: "逾期、未备案及日期有误的重大案件", en: "Late, unfiled and impossible major cases"),
            fields: DetailRow.fields, rows: details)
        var settings = [
            Provenance.Setting(key: "days_allowed", label: LocalizedText(zh: "备案期限（日，含当日）", en: "days allowed (inclusive)"), value: .int(Int64(rules.daysAllowed))),
            Provenance.Setting(key: "item_points", label: LocalizedText(zh: "本项分值", en: "item points"), value: .double(rules.itemPoints)),
            Provenance.Setting(key: "unfiled_deduction", label: LocalizedText(zh: "未备案每件扣", en: "per unfiled"), value: .double(rules.unfiledDeduction)),
            Provenance.Setting(key: "late_deduction", label: LocalizedText(zh: "逾期每件扣", en: "per late"), value: .double(rules.lateDeduction)),
            Provenance.Setting(key: "group_by", label: LocalizedText(zh: "分组", en: "grouped by"), value: .text(groupColumn.englishName)),
        ]
        if let filterText = request.filterText {
            settings.append(Provenance.Setting(key: "where", label: LocalizedText(zh: "筛选", en: "filter"), value: .text(filterText)))
        }
        return Result(summary: summary, groups: summaryRows, details: detailTable, settings: settings, filteredOut: table.rowCount - (selected?.count ?? table.rowCount))
    }

    /// One group's major cases by filing status, and the item's points.
    struct SummaryRow: Sendable {
        var group: Value
        var onTime = 0
        var late = 0
        var unfiled = 0
        var filedBeforeDecision = 0
        var itemPoints = 0.0

        var majorCases: Int { onTime + late + unfiled + filedBeforeDecision }

        mutating func count(_ status: Status) {
            switch status {
            case .onTime: onTime += 1
            case .late: late += 1
            case .unfiled: unfiled += 1
            case .filedBeforeDecision: filedBeforeDecision += 1
            }
        }

        static func fields(groupKey: String, header: LocalizedText) -> [ResultField<SummaryRow>] {
            [
                ResultField(\.group, ResultColumn(key: groupKey, header: header, format: .text)),
                ResultField(\.majorCases, key: "major_cases", zh: CasesExport.major.header, en: "Major cases", format: .integer),
                ResultField(\.onTime, key: "on_time", zh: "按时备案", en: "On time", format: .integer),
                ResultField(\.late, key: "late", zh: "逾期备案", en: "Late", format: .integer),
                ResultField(\.unfiled, key: "unfiled", zh: "未备案", en: "Unfiled", format: .integer),
                ResultField(\.filedBeforeDecision, key: "filed_before_decision", zh: "备案早于决定", en: "Filed before decision", format: .integer),
                ResultField(\.itemPoints, key: "item_points", zh: "得分", en: "Points", format: .decimal(1)),
            ]
        }
    }

    /// A major case filed late, not filed, or filed before its decision.
    struct DetailRow {
        var caseID: Value
        var unit: Value
        var decided: Value
        var filed: Value
        var days: Value
        var status: Status

        static let fields: [ResultField<DetailRow>] = [
            ResultField(\.caseID, ResultColumn(CasesExport.caseID, format: .text)),
            ResultField(\.unit, ResultColumn(CasesExport.unit, format: .text)),
            ResultField(\.decided, ResultColumn(CasesExport.decisionDate, en: "Decided", format: .date)),
            ResultField(\.filed, ResultColumn(CasesExport.filingDate, en: "Filed", format: .date)),
            ResultField(\.days, key: "days", zh: "相隔天数", en: "Days", format: .integer),
            ResultField(\.status.rawValue, key: "status", zh: "情况", en: "Status", format: .label([
                Status.late.rawValue: LocalizedText(zh: "逾期备案", en: "late"),
                Status.unfiled.rawValue: LocalizedText(zh: "未备案", en: "unfiled"),
                Status.filedBeforeDecision.rawValue: LocalizedText(zh: "备案早于决定", en: "filed before decision"),
            ])),
        ]
    }
}
