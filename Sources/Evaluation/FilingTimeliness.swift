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
        let majorRows = (selected.map { $0.map(Int.init) } ?? Array(0..<table.rowCount)).filter { major.value(at: $0) == .bool(true) }
        let grouping = Grouping.make(table: table, columns: [groupColumn], selected: majorRows.map(Int32.init))
        let rules = request.settings
        var counts = [[Int]](repeating: [0, 0, 0, 0], count: grouping.groupCount)
        var details: [[Value]] = []
        for row in majorRows {
            let group = Int(grouping.groupIds[row])
            let status: Status
            var delay: Value = .null
            if let filedDay = filed.value(at: row).dayNumber, let decisionDay = decided.value(at: row).dayNumber {
                let days = Int(filedDay) - Int(decisionDay)
                delay = .int(Int64(days))
                status = days < 0 ? .filedBeforeDecision : (days <= rules.daysAllowed ? .onTime : .late)
            } else if filed.isNull(row) {
                status = .unfiled
            } else {
                status = .filedBeforeDecision
            }
            let index: Int
            switch status {
            case .onTime: index = 0
            case .late: index = 1
            case .unfiled: index = 2
            case .filedBeforeDecision: index = 3
            }
            counts[group][index] += 1
            if status != .onTime {
                details.append([caseIds.value(at: row), units.value(at: row), decided.value(at: row), filed.value(at: row), delay, .text(status.rawValue)])
            }
        }
        var summaryRows: [[Value]] = []
        for (group, key) in grouping.keys.enumerated() {
            let c = counts[group]
            let points = max(0, rules.itemPoints - rules.unfiledDeduction * Double(c[2]) - rules.lateDeduction * Double(c[1]))
            summaryRows.append([key[0], .int(Int64(c.reduce(0, +))), .int(Int64(c[0])), .int(Int64(c[1])), .int(Int64(c[2])),
                                .int(Int64(c[3])), .double(points)])
        }
        summaryRows.sort { ValueOrdering.precedesNullsLast($0[0], $1[0]) }
        let groupHeader = LocalizedText(zh: CaseReview.chineseName(of: groupColumn), en: groupColumn.englishName)
        let summary = ResultTable(
            title: LocalizedText(zh: "重大行政处罚备案核查（\(rules.daysAllowed) 日内备案）", en: "Major-penalty filing (within \(rules.daysAllowed) days)"),
            columns: [
                ResultColumn(key: groupColumn.englishName, header: groupHeader, format: .text),
                ResultColumn(key: "major_cases", zh: CasesExport.major.header, en: "Major cases", format: .integer),
                ResultColumn(key: "on_time", zh: "按时备案", en: "On time", format: .integer),
                ResultColumn(key: "late", zh: "逾期备案", en: "Late", format: .integer),
                ResultColumn(key: "unfiled", zh: "未备案", en: "Unfiled", format: .integer),
                ResultColumn(key: "filed_before_decision", zh: "备案早于决定", en: "Filed before decision", format: .integer),
                ResultColumn(key: "item_points", zh: "得分", en: "Points", format: .decimal(1)),
            ],
            rows: summaryRows)
        let detailTable = ResultTable(
            title: LocalizedText(zh: "逾期、未备案及日期有误的重大案件", en: "Late, unfiled and impossible major cases"),
            columns: [
                ResultColumn(CasesExport.caseID, format: .text),
                ResultColumn(CasesExport.unit, format: .text),
                ResultColumn(CasesExport.decisionDate, en: "Decided", format: .date),
                ResultColumn(CasesExport.filingDate, en: "Filed", format: .date),
                ResultColumn(key: "days", zh: "相隔天数", en: "Days", format: .integer),
                ResultColumn(key: "status", zh: "情况", en: "Status", format: .label([
                    Status.late.rawValue: LocalizedText(zh: "逾期备案", en: "late"),
                    Status.unfiled.rawValue: LocalizedText(zh: "未备案", en: "unfiled"),
                    Status.filedBeforeDecision.rawValue: LocalizedText(zh: "备案早于决定", en: "filed before decision"),
                ])),
            ],
            rows: details)
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
        return Result(summary: summary, details: detailTable, settings: settings, filteredOut: table.rowCount - (selected?.count ?? table.rowCount))
    }
}
