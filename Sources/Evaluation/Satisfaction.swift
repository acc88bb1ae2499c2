import Columnar
import Vocabulary
import Query
import Reporting

/// Satisfaction (满意度, DOMAIN.md §2.2): per group the responses, the satisfaction index (mean of
/// (answer − 1)/4 × 100 over every answer to 题1…题N, empty answers skipped) with its 95% t
/// interval, the satisfied rate (总体评价 at 基本满意 or better) with its 95% Wilson interval, and
/// a competition rank by index among the groups that are not too small.
public enum Satisfaction {
    public struct Request: Sendable {
        public var groupBy: String
        public var filter: Expression?
        public var filterText: String?
        public var settings: RuleSettings.Satisfaction
        /// Compare the latest year of 调查日期 with the year before.
        public var comparePeriod: Bool

        public init(groupBy: String, filter: Expression?, filterText: String?, settings: RuleSettings.Satisfaction, comparePeriod: Bool) {
            self.groupBy = groupBy
            self.filter = filter
            self.filterText = filterText
            self.settings = settings
            self.comparePeriod = comparePeriod
        }
    }

    public struct Result: Sendable {
        public var table: ResultTable
        /// The table's rows by name.
        var groups: [GroupRow] = []
        /// Responses with an answer outside the scale, left out.
        public var rejected: ResultTable
        public var settings: [Provenance.Setting]
        public var filteredOut: Int
        public var outsidePeriods: Int
    }

    /// Running figures of one group.
    struct Figures {
        var responses = 0
        var answers = 0
        var mean = 0.0
        var squares = 0.0
        var rated = 0
        var satisfied = 0

        mutating func add(answer: Int) {
            let value = Double(answer - 1) / 4 * 100
            answers += 1
            let delta = value - mean
            mean += delta / Double(answers)
            squares += delta * (value - mean)
        }

        var index: Double? { answers == 0 ? nil : mean }
        var rate: Double? { rated == 0 ? nil : Double(satisfied) / Double(rated) }
    }

    public static func evaluate(table: Table, lines: [Int32], request: Request) throws -> Result {
        guard let overall = table.column(named: SurveyExport.overall.header) else {
            throw PingchaError.missingColumn(SurveyExport.overall.header, alias: SurveyExport.overall.alias, in: SurveyExport.schema.fileName)
        }
        let items = table.columns.filter { column in ([column.name] + column.aliases).contains(where: isItemName) }
        guard !items.isEmpty else {
            throw PingchaError(.data, zh: "问卷文件没有 题1…题N（q1…qN）列。", en: "the survey file has no item columns 题1…题N (q1…qN).")
        }
        let groupColumn = try table.groupingColumn(request.groupBy)
        let ids = table.column(named: SurveyExport.responseID.header), dates = table.column(named: SurveyExport.surveyDate.header)
        let rules = request.settings
        func answer(_ value: Value) -> Int?? {
            switch value {
            case .null: return .some(nil)
            case .int(let number): return (1...5).contains(number) ? .some(Int(number)) : nil
            case .text(let text):
                if let mapped = rules.labels[text] { return .some(mapped) }
                if let number = Int(text), (1...5).contains(number) { return .some(number) }
                return nil
            default: return nil
            }
        }
        let selectedRows = try request.filter.map { try Evaluator(table: table).selectRows(where: $0) }
        var keep = [Bool](repeating: selectedRows == nil, count: table.rowCount)
        for row in selectedRows ?? [] { keep[Int(row)] = true }
        var latestYear: Int?
        if request.comparePeriod {
            guard let dates else {
                let date = SurveyExport.surveyDate
                throw PingchaError(.data, zh: "比较时期需要「\(date.header)」列。", en: "comparing periods needs the \(date.header) (\(date.alias)) column.")
            }
            for row in 0..<table.rowCount where keep[row] {
                if let day = dates.value(at: row).dayNumber { latestYear = max(latestYear ?? Int.min, CivilDate.components(days: day).year) }
            }
        }
        // Each answer column read once into codes: 1–5 an answer, 0 none (an empty cell), -1 outside
        // the scale (a text column's labels are looked up once per dictionary entry).
        func answers(_ column: Column) -> [Int8] {
            func code(_ value: Value) -> Int8 { answer(value).map { Int8($0 ?? 0) } ?? -1 }
            if case .text(let codes, let dictionary) = column.storage {
                let byCode = (0..<dictionary.count).map { code(.text(dictionary.string(at: UInt32($0)))) }
                return (0..<column.count).map { column.isNull($0) ? 0 : byCode[Int(codes[$0])] }
            }
            return (0..<column.count).map { code(column.value(at: $0)) }
        }
        // One flat array, column after column (walking an array of (column, codes) pairs retained
        // and released both per cell, three quarters of the time).
        let answerColumns = items + [overall]
        let rowCount = table.rowCount
        let allCodes = answerColumns.flatMap(answers)
        let overallStart = items.count * rowCount
        let grouping = Grouping.make(table: table, columns: [groupColumn], selected: nil)
        let groupIds = grouping.groupIds
        // Groups in order of their first counted response; current and previous figures by group id.
        var order: [Int] = []
        var current = [Figures?](repeating: nil, count: grouping.groupCount), previous = current
        var rejectedRows: [RejectedRow] = []
        var outsidePeriods = 0
        var parsed: [Int] = []
        parsed.reserveCapacity(items.count)
        rowLoop: for row in 0..<table.rowCount where keep[row] {
            parsed.removeAll(keepingCapacity: true)
            for index in 0...items.count {
                let code = allCodes[index &* rowCount &+ row]
                guard code >= 0 else {
                    let column = answerColumns[index]
                    rejectedRows.append(RejectedRow(line: Int(lines[row]), responseID: ids?.value(at: row) ?? .null, column: column.name,
                                                    answer: column.value(at: row)))
                    continue rowLoop
                }
                if code > 0, index < items.count { parsed.append(Int(code)) }
            }
            let overallAnswer = allCodes[overallStart &+ row] > 0 ? Int(allCodes[overallStart &+ row]) : nil
            var isPrevious = false
            if let latestYear {
                guard let day = dates?.value(at: row).dayNumber else { outsidePeriods += 1; continue }
                let year = CivilDate.components(days: day).year
                if year == latestYear - 1 { isPrevious = true } else if year != latestYear { outsidePeriods += 1; continue }
            }
            let group = Int(groupIds[row])
            if current[group] == nil && previous[group] == nil { order.append(group) }
            var figures = (isPrevious ? previous[group] : current[group]) ?? Figures()
            figures.responses += 1
            parsed.forEach { figures.add(answer: $0) }
            if let overallAnswer {
                figures.rated += 1
                if overallAnswer >= rules.satisfiedFrom { figures.satisfied += 1 }
            }
            if isPrevious { previous[group] = figures } else { current[group] = figures }
        }

        var rows: [GroupRow] = []
        for group in order {
            guard let figures = current[group] else { continue }
            let key = grouping.keys[group][0]
            let indexInterval = figures.index.flatMap { _ in
                Statistics.tInterval(mean: figures.mean, standardDeviation: figures.answers > 1 ? (figures.squares / Double(figures.answers - 1)).squareRoot() : 0,
                                     count: figures.answers)
            }
            let rateInterval = Statistics.wilson(successes: figures.satisfied, trials: figures.rated)
            let tooSmall = figures.responses < rules.minResponses || rateInterval.map { ($0.high - $0.low) / 2 > rules.maxRateHalfWidth } ?? true
            var row = GroupRow(group: key, responses: figures.responses, index: figures.index, indexLow: indexInterval?.low,
                               indexHigh: indexInterval?.high, rate: figures.rate, rateLow: rateInterval?.low, rateHigh: rateInterval?.high,
                               tooSmall: tooSmall)
            if request.comparePeriod {
                let before = previous[group]
                row.previousIndex = before?.index
                row.indexChange = zip2(figures.index, before?.index).map { $0 - $1 }
                row.previousRate = before?.rate
                row.rateChange = zip2(figures.rate, before?.rate).map { $0 - $1 }
            }
            rows.append(row)
        }
        let ranks = CompetitionRanking.ranks(rows.map { $0.tooSmall ? nil : $0.index }, isBetter: >)
        for index in rows.indices { rows[index].rank = ranks[index] }
        rows.sort { a, b in
            switch (a.rank, b.rank) {
            case let (x?, y?) where x != y: return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default:
                if let order = ValueOrdering.compare(a.index.resultValue, b.index.resultValue), order != 0 { return order > 0 }
                return ValueOrdering.compare(a.group, b.group).map { $0 < 0 } ?? false
            }
        }
        let header = LocalizedText(zh: CaseReview.chineseName(of: groupColumn), en: groupColumn.englishName)
        let labelsText = rules.labels.sorted { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var settings = [
            Provenance.Setting(key: "labels", label: LocalizedText(zh: "答案对照", en: "answer labels"), value: .text(labelsText.joined(separator: ", "))),
            Provenance.Setting(key: "satisfied_from", label: LocalizedText(zh: "总体评价满意起点", en: "satisfied from"), value: .int(Int64(rules.satisfiedFrom))),
            Provenance.Setting(key: "min_responses", label: LocalizedText(zh: "最少问卷数", en: "min responses"), value: .int(Int64(rules.minResponses))),
            Provenance.Setting(key: "max_rate_half_width", label: LocalizedText(zh: "满意率区间半宽上限", en: "max rate half-width"), value: .double(rules.maxRateHalfWidth)),
            Provenance.Setting(key: "confidence", label: LocalizedText(zh: "置信度", en: "confidence"), value: .double(0.95)),
            Provenance.Setting(key: "items", label: LocalizedText(zh: "计入指数的题目", en: "items in the index"), value: .text(items.map(\.name).joined(separator: ", "))),
            Provenance.Setting(key: "group_by", label: LocalizedText(zh: "分组", en: "grouped by"), value: .text(groupColumn.englishName)),
        ]
        if let latestYear {
            settings.append(Provenance.Setting(key: "period", label: LocalizedText(zh: "本期/上期", en: "period / previous"), value: .text("\(latestYear) / \(latestYear - 1)")))
        }
        if let filterText = request.filterText {
            settings.append(Provenance.Setting(key: "where", label: LocalizedText(zh: "筛选", en: "filter"), value: .text(filterText)))
        }
        let rejected = ResultTable(title: LocalizedText(zh: "答案超出量表、未计入的问卷", en: "Responses with answers outside the scale (left out)"),
                                   fields: RejectedRow.fields, rows: rejectedRows)
        return Result(
            table: ResultTable(title: LocalizedText(zh: "满意度（按\(header.zh)）", en: "Satisfaction by \(header.en)"),
                               fields: GroupRow.fields(groupKey: groupColumn.englishName, header: header, comparePeriod: request.comparePeriod),
                               rows: rows),
            groups: rows, rejected: rejected, settings: settings, filteredOut: selectedRows.map { table.rowCount - $0.count } ?? 0, outsidePeriods: outsidePeriods)
    }

    static func isItemName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        for prefix in ["题", "q"] where lowered.hasPrefix(prefix) {
            let rest = lowered.dropFirst(prefix.count)
            if !rest.isEmpty, rest.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
        }
        return false
    }

    private static func zip2(_ a: Double?, _ b: Double?) -> (Double, Double)? {
        guard let a, let b else { return nil }
        return (a, b)
    }

    /// One group of the satisfaction table.
    struct GroupRow: Sendable {
        var group: Value
        var responses: Int
        var index: Double?
        var indexLow: Double?
        var indexHigh: Double?
        var rate: Double?
        var rateLow: Double?
        var rateHigh: Double?
        var tooSmall: Bool
        var previousIndex: Double?
        var indexChange: Double?
        var previousRate: Double?
        var rateChange: Double?
        var rank: Int?

        /// The columns; the previous period's four only when periods are compared.
        static func fields(groupKey: String, header: LocalizedText, comparePeriod: Bool) -> [ResultField<GroupRow>] {
            var fields: [ResultField<GroupRow>] = [
                ResultField(\.group, ResultColumn(key: groupKey, header: header, format: .text)),
                ResultField(\.responses, key: "responses", zh: "问卷数", en: "Responses", format: .integer),
                ResultField(\.index, key: "satisfaction_index", zh: "满意度指数", en: "Index", format: .decimal(2)),
                ResultField(\.indexLow, key: "index_ci_low", zh: "指数下限", en: "Index low", format: .decimal(2)),
                ResultField(\.indexHigh, key: "index_ci_high", zh: "指数上限", en: "Index high", format: .decimal(2)),
                ResultField(\.rate, key: "satisfied_rate", zh: "满意率", en: "Satisfied", format: .percent(2)),
                ResultField(\.rateLow, key: "rate_ci_low", zh: "满意率下限", en: "Rate low", format: .percent(2)),
                ResultField(\.rateHigh, key: "rate_ci_high", zh: "满意率上限", en: "Rate high", format: .percent(2)),
                ResultField(\.tooSmall, key: "too_small", zh: "样本不足", en: "Too small", format: .bool),
            ]
            if comparePeriod {
                fields += [
                    ResultField(\.previousIndex, key: "previous_index", zh: "上期指数", en: "Previous index", format: .decimal(2)),
                    ResultField(\.indexChange, key: "index_change", zh: "指数变化", en: "Index change", format: .decimal(2)),
                    ResultField(\.previousRate, key: "previous_rate", zh: "上期满意率", en: "Previous rate", format: .percent(2)),
                    ResultField(\.rateChange, key: "rate_change", zh: "满意率变化", en: "Rate change", format: .percent(2)),
                ]
            }
            fields.append(ResultField(\.rank, key: "rank", zh: "排名", en: "Rank", format: .integer))
            return fields
        }
    }

    /// A response left out for an answer outside the scale.
    struct RejectedRow {
        var line: Int
        var responseID: Value
        var column: String
        var answer: Value

        static let fields: [ResultField<RejectedRow>] = [
            ResultField(\.line, key: "line", zh: "行号", en: "Line", format: .integer),
            ResultField(\.responseID, ResultColumn(SurveyExport.responseID, format: .text)),
            ResultField(\.column, key: "column", zh: "列", en: "Column", format: .text),
            ResultField(\.answer, key: "value", zh: "答案", en: "Answer", format: .text),
        ]
    }
}
