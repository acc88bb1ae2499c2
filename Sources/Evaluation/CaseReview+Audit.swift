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

        let idKeys = TextKeys(ids), unitKeys = TextKeys(units)

        // Files scoring 0 (a score is never negative: the schema holds it to 0–100).
        var zeroRows = selected.filter { scores.value(at: $0).asDouble == 0 }.map { row in
            ZeroScoreRow(caseID: idKeys.text(ofRow: row), unit: unitKeys.text(ofRow: row), line: Int(lines.isEmpty ? 0 : lines[row]))
        }
        zeroRows.sort { left, right in
            left.unit != right.unit ? left.unit.utf8.lexicographicallyPrecedes(right.unit.utf8) : left.line < right.line
        }

        // Duplicates, in order of first appearance, with every line they stand on: counted by key
        // first, so that lines are kept only for the ids seen twice.
        var seen = [Int32](repeating: 0, count: idKeys.count)
        for row in selected { seen[Int(idKeys.keys[row])] &+= 1 }
        var linesOfDuplicate: [Int32: [Int32]] = [:]
        var duplicateOrder: [Int32] = []
        for row in selected where seen[Int(idKeys.keys[row])] > 1 {
            let key = idKeys.keys[row]
            if linesOfDuplicate[key] == nil { duplicateOrder.append(key) }
            linesOfDuplicate[key, default: []].append(lines[row])
        }
        let duplicateRows = duplicateOrder.map { key in
            let found = linesOfDuplicate[key]!
            return DuplicateRow(caseID: idKeys.text(ofKey: key), count: found.count, lines: found.map(String.init).joined(separator: ", "))
        }

        // Gaps: a case number is a prefix and trailing digits; each (unit, prefix) runs 1, 2, 3, …
        // Each distinct id is split once; rows then add their number to their series.
        let split = idKeys.mapBytes { CaseNumber(utf8: $0) }
        var prefixIds: [String: Int] = [:]
        let prefixOf = split.map { number -> Int? in
            guard let number else { return nil }
            if let id = prefixIds[number.prefix] { return id }
            prefixIds[number.prefix] = prefixIds.count
            return prefixIds.count - 1
        }
        var seriesIndex: [Int: Int] = [:]
        var series: [(unit: Int32, prefix: String, width: Int, numbers: [Int])] = []
        var unnumbered = 0
        for row in selected {
            let key = Int(idKeys.keys[row])
            guard let number = split[key], let prefix = prefixOf[key] else {
                unnumbered += 1
                continue
            }
            let unit = unitKeys.keys[row]
            let composite = Int(unit) &* (prefixIds.count + 1) &+ prefix  // prefixIds is complete: fixed width
            let index = seriesIndex[composite] ?? {
                series.append((unit, number.prefix, number.width, []))
                seriesIndex[composite] = series.count - 1
                return series.count - 1
            }()
            series[index].numbers.append(number.value)
        }
        var gapRows: [GapRow] = []
        let ordered = series.indices.sorted { a, b in
            (unitKeys.text(ofKey: series[a].unit) + "\u{0}" + series[a].prefix).utf8
                .lexicographicallyPrecedes((unitKeys.text(ofKey: series[b].unit) + "\u{0}" + series[b].prefix).utf8)
        }
        for index in ordered {
            let entry = series[index]
            let present = Set(entry.numbers)
            guard let highest = present.max() else { continue }
            let missing = (1...max(1, highest)).filter { !present.contains($0) }
            guard !missing.isEmpty else { continue }
            let shown = ranges(missing).map { range in
                let start = entry.prefix + padded(range.lowerBound, entry.width)
                return range.count == 1 ? start : start + "–" + padded(range.upperBound, entry.width)
            }
            gapRows.append(GapRow(unit: unitKeys.text(ofKey: entry.unit), prefix: entry.prefix, missingCount: missing.count,
                                  missing: shown.joined(separator: ", ")))
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
        // Years by unit key, then by unit text (two keys may share a text: a null unit and an empty one).
        let unitKeys = TextKeys(units)
        var yearsByKey = [Set<Int>?](repeating: nil, count: unitKeys.count)
        for row in selected {
            let key = Int(unitKeys.keys[row])
            if yearsByKey[key] == nil { yearsByKey[key] = [] }
            if case .int(let year) = years.value(at: row) { yearsByKey[key]!.insert(Int(year)) }
        }
        var yearsByUnit: [String: Set<Int>] = [:]
        for (key, found) in yearsByKey.enumerated() {
            if let found { yearsByUnit[unitKeys.text(ofKey: Int32(key)), default: []].formUnion(found) }
        }
        let unitOrder = Array(yearsByUnit.keys)
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

    /// A text column's rows as integer keys (its dictionary codes; a null row the key of `""`,
    /// as its text reads), each key's text made when asked; any other column through the text of
    /// its values.
    struct TextKeys {
        var keys: [Int32]
        var count: Int
        private var dictionary: TextDictionary?
        private var texts: [String] = []

        init(_ column: Column) {
            if case .text(let codes, let dictionary) = column.storage {
                self.dictionary = dictionary
                let empty = dictionary.lookup("").map(Int32.init) ?? Int32(dictionary.count)
                count = dictionary.count + (empty == Int32(dictionary.count) ? 1 : 0)
                keys = column.validity == nil ? codes.map { Int32($0) }
                    : (0..<column.count).map { column.isNull($0) ? empty : Int32(codes[$0]) }
            } else {
                var index: [String: Int32] = [:]
                var texts: [String] = []
                keys = (0..<column.count).map { row in
                    let text = column.value(at: row).plainText
                    if let key = index[text] { return key }
                    index[text] = Int32(texts.count)
                    texts.append(text)
                    return Int32(texts.count - 1)
                }
                self.texts = texts
                count = texts.count
            }
        }

        func text(ofKey key: Int32) -> String {
            guard let dictionary else { return texts[Int(key)] }
            return Int(key) < dictionary.count ? dictionary.string(at: UInt32(key)) : ""
        }

        func text(ofRow row: Int) -> String { text(ofKey: keys[row]) }

        /// `body` over the UTF-8 bytes of each key's text, in key order.
        func mapBytes<T>(_ body: (UnsafeRawBufferPointer) -> T) -> [T] {
            guard let dictionary else { return texts.map { text in var copy = text; return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) } } }
            var result = (0..<dictionary.count).map { dictionary.withBytes(at: UInt32($0), body) }
            if count > dictionary.count { result.append(body(UnsafeRawBufferPointer(start: nil, count: 0))) }
            return result
        }
    }

    /// A case number as a prefix and up to nine trailing ASCII digits (`漯市监罚〔2022〕017`:
    /// prefix `漯市监罚〔2022〕`, number 17, width 3); nil without trailing digits.
    struct CaseNumber {
        var prefix: String
        var value: Int
        var width: Int

        /// From the id's UTF-8 bytes: ASCII digits are single bytes, and no other character ends
        /// in one.
        init?(utf8 bytes: UnsafeRawBufferPointer) {
            var start = bytes.count
            while start > 0, bytes.count - start < 10, (0x30...0x39).contains(bytes[start - 1]) { start -= 1 }
            let width = bytes.count - start
            guard width > 0, width <= 9 else { return nil }
            // A tenth digit before them: more than nine, as the character scan counted.
            if start > 0, (0x30...0x39).contains(bytes[start - 1]) { return nil }
            var number = 0
            for index in start..<bytes.count { number = number * 10 + Int(bytes[index] - 0x30) }
            prefix = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<start]), as: UTF8.self)
            value = number
            self.width = width
        }
    }
}
