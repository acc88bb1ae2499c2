import Columnar
import Query
import Reporting

/// The case-file review (案卷评查, DOMAIN.md §2.1): pass rates and grade bands per group.
public enum CaseReview {
    /// The score column's header in the cases export.
    public static let scoreColumn = "评查得分"

    /// What `cases pass-rate` is asked.
    public struct PassRateRequest: Sendable {
        /// The column to group by (header or alias).
        public var groupBy: String
        public var filter: Expression?
        /// The filter as the analyst wrote it, for the provenance.
        public var filterText: String?
        public var passThreshold: Double
        public var lineReading: RuleSettings.CaseReview.LineReading
        public var excellentThreshold: Double

        public init(groupBy: String, filter: Expression?, filterText: String?, passThreshold: Double,
                    lineReading: RuleSettings.CaseReview.LineReading = .below, excellentThreshold: Double) {
            self.lineReading = lineReading
            self.groupBy = groupBy
            self.filter = filter
            self.filterText = filterText
            self.passThreshold = passThreshold
            self.excellentThreshold = excellentThreshold
        }
    }

    /// The result of a pass-rate run.
    public struct PassRateResult: Sendable {
        public var table: ResultTable
        public var settings: [Provenance.Setting]
        /// Rows the filter left out.
        public var filteredOut: Int
    }

    /// Per group: cases, unqualified (below the pass line), pass rate, mean, median and minimum
    /// score, the excellent and qualified bands, and the competition rank by pass rate.
    ///
    /// - Throws: `QueryError` for an unknown group column or a bad filter.
    public static func passRate(table: Table, request: PassRateRequest) throws(QueryError) -> PassRateResult {
        let pass = request.lineReading.strictLine(request.passThreshold), excellent = request.excellentThreshold
        let plan = AggregatePlan(
            filter: request.filter, groupBy: [request.groupBy],
            aggregates: [
                AggregateSpec(.count, of: scoreColumn),
                AggregateSpec(.countBelow(pass), of: scoreColumn),
                AggregateSpec(.passRate(pass), of: scoreColumn),
                AggregateSpec(.mean, of: scoreColumn),
                AggregateSpec(.median, of: scoreColumn),
                AggregateSpec(.minimum, of: scoreColumn),
                AggregateSpec(.countAtLeast(excellent), of: scoreColumn),
            ])
        let output = try plan.execute(on: table)
        let groupColumn = output.groupColumns[0]
        var rows: [[Value]] = []
        var passRates: [(qualified: Int64, cases: Int64)?] = []
        for (key, values) in zip(output.keys, output.values) {
            guard case .int(let cases) = values[0], cases > 0,
                  case .int(let unqualified) = values[1], case .int(let excellentCount) = values[6] else { continue }
            let qualifiedBand = cases - unqualified - excellentCount
            rows.append([key[0], .int(cases), .int(unqualified), values[2], values[3], values[4], values[5],
                         .int(excellentCount), .int(qualifiedBand)])
            passRates.append((cases - unqualified, cases))
        }
        // Compare pass rates as exact fractions.
        let ranks = CompetitionRanking.ranks(passRates) { a, b in a.qualified * b.cases > b.qualified * a.cases }
        var ranked = zip(ranks, rows).map { [Value.int(Int64($0!))] + $1 }
        ranked.sort { left, right in
            if case .int(let a) = left[0], case .int(let b) = right[0], a != b { return a < b }
            return ValueOrdering.precedesNullsLast(left[1], right[1])
        }
        let groupKey = groupColumn.englishName
        let groupHeader = LocalizedText(zh: chineseName(of: groupColumn), en: groupColumn.englishName)
        let columns = [
            ResultColumn(key: "rank", zh: "排名", en: "Rank", format: .integer),
            ResultColumn(key: groupKey, header: groupHeader, format: .text),
            ResultColumn(key: "cases", zh: "案卷数", en: "Cases", format: .integer),
            ResultColumn(key: "unqualified", zh: "不合格", en: "Unqualified", format: .integer),
            ResultColumn(key: "pass_rate", zh: "合格率", en: "Pass rate", format: .percent(2)),
            ResultColumn(key: "mean_score", zh: "平均分", en: "Mean", format: .decimal(2)),
            ResultColumn(key: "median_score", zh: "中位数", en: "Median", format: .decimal(2)),
            ResultColumn(key: "min_score", zh: "最低分", en: "Min", format: .decimal(1)),
            ResultColumn(key: "excellent", zh: "优秀", en: "Excellent", format: .integer),
            ResultColumn(key: "qualified", zh: "合格", en: "Qualified", format: .integer),
        ]
        let title = LocalizedText(zh: "案卷评查合格率（按\(chineseName(of: groupColumn))）",
                                  en: "Case-file review pass rate by \(groupColumn.englishName)")
        var settings = [
            Provenance.Setting(key: "pass_threshold",
                               label: LocalizedText(zh: "不合格线（低于此分不合格）", en: "pass line (below it: unqualified)"),
                               value: .double(request.passThreshold)),
            request.lineReading.setting(request.passThreshold),
            Provenance.Setting(key: "excellent_threshold",
                               label: LocalizedText(zh: "优秀线", en: "excellent from"), value: .double(excellent)),
            Provenance.Setting(key: "group_by", label: LocalizedText(zh: "分组", en: "grouped by"), value: .text(groupKey)),
        ]
        if let filterText = request.filterText {
            settings.append(Provenance.Setting(key: "where", label: LocalizedText(zh: "筛选", en: "filter"), value: .text(filterText)))
        }
        return PassRateResult(table: ResultTable(title: title, columns: columns, rows: ranked), settings: settings,
                              filteredOut: table.rowCount - output.selectedRows)
    }

    /// The Chinese header of a column (the file's header when it is Chinese, else its Chinese alias).
    static func chineseName(of column: Column) -> String {
        if !column.name.unicodeScalars.allSatisfy(\.isASCII) { return column.name }
        return column.aliases.first { !$0.unicodeScalars.allSatisfy(\.isASCII) } ?? column.name
    }
}
