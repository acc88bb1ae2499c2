import Columnar
import Vocabulary
import Query
import Reporting

extension CaseReview {
    /// The audit of a case-file export (§2.1): duplicate 案卷编号, gaps in each unit's numbering,
    /// the files scoring 0 per unit (each must show responsibility pursuit, `004` item 4.1),
    /// and the yearly-review item (every year of the last three needs a reviewed file; −2 per
    /// missing year of 6 points).
    public struct Audit: Sendable {
        public var duplicates: ResultTable
        public var gaps: ResultTable
        public var reviewYears: ResultTable
        /// Files scoring 0, by unit then line: case_id, unit, line.
        public var zeroScore: ResultTable
        public var settings: [Provenance.Setting]
        /// Case numbers without trailing digits, left out of the gap check.
        public var unnumbered: Int
    }

    /// Audits `table`; `lines` gives each row's line in the file, `lastYear` the latest review
    /// year to look back from (the latest in the data when nil).
    public static func audit(table: Table, lines: [Int32], lastYear: Int?, yearsChecked: Int = 3,
                             pointsPerMissingYear: Double = 2, itemPoints: Double = 6, filter: Expression? = nil) throws -> Audit {
        let selected = try filter.map { try Evaluator(table: table).selectRows(where: $0).map(Int.init) } ?? Array(0..<table.rowCount)
        let purpose = LocalizedText(zh: "无法核查", en: "cannot audit")
        let ids = try table.requiredColumn(CasesExport.caseID, in: CasesExport.schema.fileName, for: purpose)
        let units = try table.requiredColumn(CasesExport.unit, in: CasesExport.schema.fileName, for: purpose)
        let years = try table.requiredColumn(CasesExport.reviewYear, in: CasesExport.schema.fileName, for: purpose)
        let scores = try table.requiredColumn(CasesExport.score, in: CasesExport.schema.fileName, for: purpose)

        // Files scoring 0 (a score is never negative: the schema holds it to 0–100).
        var zeroRows = selected.filter { scores.value(at: $0).asDouble == 0 }.map { row in
            ZeroScoreRow(caseID: ids.value(at: row).plainText, unit: units.value(at: row).plainText, line: Int(lines.isEmpty ? 0 : lines[row]))
        }
        zeroRows.sort { left, right in
            left.unit != right.unit ? left.unit.utf8.lexicographicallyPrecedes(right.unit.utf8) : left.line < right.line
        }

        // Duplicates, in order of first appearance, with every line they stand on.
        var linesById: [String: [Int32]] = [:]
        var idOrder: [String] = []
        for row in selected {
            let id = ids.value(at: row).plainText
            if linesById[id] == nil { idOrder.append(id) }
            linesById[id, default: []].append(lines[row])
        }
        let duplicateRows = idOrder.compactMap { id -> DuplicateRow? in
            guard let found = linesById[id], found.count > 1 else { return nil }
            return DuplicateRow(caseID: id, count: found.count, lines: found.map(String.init).joined(separator: ", "))
        }

        // Gaps: a case number is a prefix and trailing digits; each (unit, prefix) runs 1, 2, 3, …
        var numbers: [[String]: (width: Int, values: Set<Int>)] = [:]
        var seriesOrder: [[String]] = []
        var unnumbered = 0
        for row in selected {
            let id = ids.value(at: row).plainText
            let digits = id.reversed().prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let number = Int(String(digits.reversed())) else {
                unnumbered += 1
                continue
            }
            let key = [units.value(at: row).plainText, String(id.dropLast(digits.count))]
            if numbers[key] == nil { seriesOrder.append(key) }
            numbers[key, default: (digits.count, [])].values.insert(number)
        }
        var gapRows: [GapRow] = []
        for key in seriesOrder.sorted(by: { ($0[0] + "\u{0}" + $0[1]).utf8.lexicographicallyPrecedes(($1[0] + "\u{0}" + $1[1]).utf8) }) {
            let series = numbers[key]!
            guard let highest = series.values.max() else { continue }
            let missing = (1...max(1, highest)).filter { !series.values.contains($0) }
            guard !missing.isEmpty else { continue }
            let shown = ranges(missing).map { range in
                let start = key[1] + padded(range.lowerBound, series.width)
                return range.count == 1 ? start : start + "–" + padded(range.upperBound, series.width)
            }
            gapRows.append(GapRow(unit: key[0], prefix: key[1], missingCount: missing.count, missing: shown.joined(separator: ", ")))
        }

        let review = reviewYears(selected: selected, units: units, years: years, lastYear: lastYear,
                                 yearsChecked: yearsChecked, pointsPerMissingYear: pointsPerMissingYear, itemPoints: itemPoints)
        return Audit(
            duplicates: ResultTable(title: LocalizedText(zh: "重复的案卷编号", en: "Duplicate case numbers"),
                                    fields: DuplicateRow.fields, rows: duplicateRows),
            gaps: ResultTable(title: LocalizedText(zh: "案卷编号断号", en: "Gaps in case numbering"), fields: GapRow.fields, rows: gapRows),
            reviewYears: review.table,
            zeroScore: ResultTable(title: LocalizedText(zh: "0 分案卷（逐件核查责任追究情况）", en: "Files scoring 0 (each checked for responsibility pursuit)"),
                                   fields: ZeroScoreRow.fields, rows: zeroRows),
            settings: review.settings, unnumbered: unnumbered)
    }

    /// The yearly-review item (§2.1): for each unit among `selected` rows, the years of the last
    /// `yearsChecked` (back from `lastYear`, or the latest in the data) with no reviewed file, and
    /// the item's points after −`pointsPerMissingYear` for each.
    static func reviewYears(selected: [Int], units: Column, years: Column, lastYear: Int?, yearsChecked: Int,
                            pointsPerMissingYear: Double, itemPoints: Double) -> (table: ResultTable, rows: [ReviewYearsRow], settings: [Provenance.Setting]) {
        var latest = lastYear
        if latest == nil {
            for row in selected { if case .int(let year) = years.value(at: row) { latest = max(latest ?? Int(year), Int(year)) } }
        }
        var yearsByUnit: [String: Set<Int>] = [:]
        var unitOrder: [String] = []
        for row in selected {
            let unit = units.value(at: row).plainText
            if yearsByUnit[unit] == nil { unitOrder.append(unit) }
            if case .int(let year) = years.value(at: row) { yearsByUnit[unit, default: []].insert(Int(year)) } else { yearsByUnit[unit, default: []] = yearsByUnit[unit] ?? [] }
        }
        let window = latest.map { Array(($0 - yearsChecked + 1)...$0) } ?? []
        let yearRows = unitOrder.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { unit in
            let reviewed = yearsByUnit[unit] ?? []
            let missing = window.filter { !reviewed.contains($0) }
            return ReviewYearsRow(unit: unit, yearsReviewed: window.filter { reviewed.contains($0) }.map(String.init).joined(separator: ", "),
                                  missingYears: missing.map(String.init).joined(separator: ", "),
                                  itemPoints: max(0, itemPoints - pointsPerMissingYear * Double(missing.count)))
        }
        let settings = [
            Provenance.Setting(key: "years_checked", label: LocalizedText(zh: "核查年度", en: "years checked"),
                               value: .text(window.map(String.init).joined(separator: ", "))),
            Provenance.Setting(key: "points_per_missing_year", label: LocalizedText(zh: "每缺一年扣", en: "per missing year"), value: .double(pointsPerMissingYear)),
            Provenance.Setting(key: "item_points", label: LocalizedText(zh: "本项分值", en: "item points"), value: .double(itemPoints)),
        ]
        let reviewTable = ResultTable(
            title: LocalizedText(
                zh: "年度案卷评查（近 \(yearsChecked) 年，每缺一年扣 \(Value.formatDouble(pointsPerMissingYear)) 分）",
                en: "Yearly case-file review (last \(yearsChecked) years, −\(Value.formatDouble(pointsPerMissingYear)) per missing year)"),
            fields: ReviewYearsRow.fields, rows: yearRows)
        return (reviewTable, yearRows, settings)
    }

    private static func padded(_ number: Int, _ width: Int) -> String {
        let text = String(number)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// Consecutive runs of sorted numbers.
    private static func ranges(_ numbers: [Int]) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        for number in numbers {
            if let last = result.last, last.upperBound + 1 == number {
                result[result.count - 1] = last.lowerBound...number
            } else {
                result.append(number...number)
            }
        }
        return result
    }

    /// A case number that stands on more than one line.
    struct DuplicateRow {
        var caseID: String
        var count: Int
        var lines: String

        static let fields: [ResultField<DuplicateRow>] = [
            ResultField(\.caseID, ResultColumn(CasesExport.caseID, format: .text)),
            ResultField(\.count, key: "count", zh: "出现次数", en: "Times", format: .integer),
            ResultField(\.lines, key: "lines", zh: "所在行", en: "Lines", format: .text),
        ]
    }

    /// The numbers missing from one unit's series of case numbers.
    struct GapRow {
        var unit: String
        var prefix: String
        var missingCount: Int
        var missing: String

        static let fields: [ResultField<GapRow>] = [
            ResultField(\.unit, ResultColumn(CasesExport.unit, format: .text)),
            ResultField(\.prefix, key: "prefix", zh: "编号前缀", en: "Prefix", format: .text),
            ResultField(\.missingCount, key: "missing_count", zh: "缺号数", en: "Missing", format: .integer),
            ResultField(\.missing, key: "missing", zh: "缺少的编号", en: "Missing numbers", format: .text),
        ]
    }

    /// A file scoring 0.
    struct ZeroScoreRow {
        var caseID: String
        var unit: String
        var line: Int

        static let fields: [ResultField<ZeroScoreRow>] = [
            ResultField(\.caseID, ResultColumn(CasesExport.caseID, format: .text)),
            ResultField(\.unit, ResultColumn(CasesExport.unit, format: .text)),
            ResultField(\.line, key: "line", zh: "所在行", en: "Line", format: .integer),
        ]
    }

    /// A unit's reviewed and missing years, and the item's points.
    struct ReviewYearsRow {
        var unit: String
        var yearsReviewed: String
        var missingYears: String
        var itemPoints: Double

        static let fields: [ResultField<ReviewYearsRow>] = [
            ResultField(\.unit, ResultColumn(CasesExport.unit, format: .text)),
            ResultField(\.yearsReviewed, key: "years_reviewed", zh: "已评查年度", en: "Years reviewed", format: .text),
            ResultField(\.missingYears, key: "missing_years", zh: "缺评查年度", en: "Missing years", format: .text),
            ResultField(\.itemPoints, key: "item_points", zh: "得分", en: "Points", format: .decimal(1)),
        ]
    }
}
