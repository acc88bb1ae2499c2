import Columnar
import Vocabulary
import Query
import Reporting

/// The case-file review (案卷评查, DOMAIN.md §2.1): pass rates and grade bands per group.
public enum CaseReview {
    /// The score column's header in the cases export.
    public static let scoreColumn = CasesExport.score.header

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
        /// The table's rows by name.
        var groups: [PassRateRow] = []
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
        let plan = AggregatePlan(filter: request.filter, groupBy: [request.groupBy],
                                 aggregates: Figure.allCases.map { $0.aggregate(pass: pass, excellent: excellent) })
        let output = try plan.execute(on: table)
        let groupColumn = output.groupColumns[0]
        var rows: [PassRateRow] = []
        for (key, values) in zip(output.keys, output.values) {
            func figure(_ which: Figure) -> Value { values[which.rawValue] }
            guard case .int(let cases) = figure(.cases), cases > 0,
                  case .int(let unqualified) = figure(.unqualified), case .int(let excellentCount) = figure(.excellent) else { continue }
            rows.append(PassRateRow(rank: 0, group: key[0], cases: cases, unqualified: unqualified, passRate: figure(.passRate),
                                    mean: figure(.mean), median: figure(.median), minimum: figure(.minimum),
                                    excellent: excellentCount, qualified: cases - unqualified - excellentCount))
        }
        // Compare pass rates as exact fractions.
        let ranks = CompetitionRanking.ranks(rows.map { ($0.cases - $0.unqualified, $0.cases) }) { a, b in a.0 * b.1 > b.0 * a.1 }
        for index in rows.indices { rows[index].rank = ranks[index]! }
        // Row numbers are sorted (not the rows, each ten values wide), then the rows put in order once.
        let rowRanks = rows.map(\.rank), groups = rows.map(\.group)
        let nameRanks = Self.byteOrderRanks(groups)
        let order = rows.indices.sorted { left, right in
            if rowRanks[left] != rowRanks[right] { return rowRanks[left] < rowRanks[right] }
            if let nameRanks {
                return nameRanks[left] != nameRanks[right] ? nameRanks[left] < nameRanks[right] : left < right
            }
            if ValueOrdering.precedesNullsLast(groups[left], groups[right]) { return true }
            if ValueOrdering.precedesNullsLast(groups[right], groups[left]) { return false }
            return left < right  // as the stable sort kept them
        }
        rows = order.map { rows[$0] }
        let groupKey = groupColumn.englishName
        let groupHeader = LocalizedText(zh: chineseName(of: groupColumn), en: groupColumn.englishName)
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
        return PassRateResult(table: ResultTable(title: title, fields: PassRateRow.fields(groupKey: groupKey, groupHeader: groupHeader), rows: rows),
                              groups: rows, settings: settings,
                              filteredOut: table.rowCount - output.selectedRows)
    }

    /// Each text key's place among the keys in the order `ValueOrdering` gives text (by UTF-8
    /// bytes, nulls last; equal keys share one), found by one sort of a dictionary of them, so
    /// that thousands of unit names are not compared as values again at every step of a sort.
    /// Nil when a key is not text.
    static func byteOrderRanks(_ keys: [Value]) -> [Int]? {
        var dictionary = TextDictionary()
        var codes: [Int] = []
        codes.reserveCapacity(keys.count)
        for key in keys {
            switch key {
            case .text(let string): codes.append(Int(dictionary.code(for: string)))
            case .null: codes.append(-1)
            default: return nil
            }
        }
        let ranks = dictionary.sortRanks()
        return codes.map { $0 < 0 ? Int.max : Int(ranks[$0]) }
    }

    /// The Chinese header of a column (the file's header when it is Chinese, else its Chinese alias).
    static func chineseName(of column: Column) -> String {
        if !column.name.unicodeScalars.allSatisfy(\.isASCII) { return column.name }
        return column.aliases.first { !$0.unicodeScalars.allSatisfy(\.isASCII) } ?? column.name
    }

    /// The figures the pass-rate plan computes per group, in the order of its aggregates.
    enum Figure: Int, CaseIterable {
        case cases, unqualified, passRate, mean, median, minimum, excellent

        func aggregate(pass: Double, excellent: Double) -> AggregateSpec {
            switch self {
            case .cases: return AggregateSpec(.count, of: scoreColumn)
            case .unqualified: return AggregateSpec(.countBelow(pass), of: scoreColumn)
            case .passRate: return AggregateSpec(.passRate(pass), of: scoreColumn)
            case .mean: return AggregateSpec(.mean, of: scoreColumn)
            case .median: return AggregateSpec(.median, of: scoreColumn)
            case .minimum: return AggregateSpec(.minimum, of: scoreColumn)
            case .excellent: return AggregateSpec(.countAtLeast(excellent), of: scoreColumn)
            }
        }
    }

    /// One group of the pass-rate table.
    struct PassRateRow: Sendable {
        var rank: Int
        var group: Value
        var cases: Int64
        var unqualified: Int64
        var passRate: Value
        var mean: Value
        var median: Value
        var minimum: Value
        /// The excellent band (at or above the excellent line).
        var excellent: Int64
        /// The qualified band (passed, below the excellent line).
        var qualified: Int64

        static func fields(groupKey: String, groupHeader: LocalizedText) -> [ResultField<PassRateRow>] {
            [
                ResultField(\.rank, key: "rank", zh: "排名", en: "Rank", format: .integer),
                ResultField(\.group, ResultColumn(key: groupKey, header: groupHeader, format: .text)),
                ResultField(\.cases, key: "cases", zh: "案卷数", en: "Cases", format: .integer),
                ResultField(\.unqualified, key: "unqualified", zh: "不合格", en: "Unqualified", format: .integer),
                ResultField(\.passRate, key: "pass_rate", zh: "合格率", en: "Pass rate", format: .percent(2)),
                ResultField(\.mean, key: "mean_score", zh: "平均分", en: "Mean", format: .decimal(2)),
                ResultField(\.median, key: "median_score", zh: "中位数", en: "Median", format: .decimal(2)),
                ResultField(\.minimum, key: "min_score", zh: "最低分", en: "Min", format: .decimal(1)),
                ResultField(\.excellent, key: "excellent", zh: "优秀", en: "Excellent", format: .integer),
                ResultField(\.qualified, key: "qualified", zh: "合格", en: "Qualified", format: .integer),
            ]
        }
    }
}
