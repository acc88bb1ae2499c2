import Columnar
import Vocabulary
import Reporting

extension RiskGrading {
    /// The published risk list (§2.8; `003`: 违法风险点(含风险等级)、法律依据(含裁量标准)、防控措施、
    /// 责任单位; `002`: 法律依据、法律后果): the graded violations joined with an office's catalog.
    public struct Published: Sendable {
        public var table: ResultTable
        /// The graded violations the catalog lacks: violation, graded rows, groups.
        public var missing: ResultTable
        /// Catalog entries no graded violation used.
        public var unusedEntries: Int
    }

    /// Joins `graded` (the result of `grade`) with `catalog` on 违法行为 (exact text).
    ///
    /// - Throws: `PingchaError(.data)` for a catalog without its columns, or naming a violation
    ///   the catalog lists twice (the list would be ambiguous), with both lines.
    public static func publish(_ graded: Result, catalog: Table, catalogLines: [Int32], path: String) throws -> Published {
        let purpose = LocalizedText(zh: "无法生成公布清单", en: "cannot draw up the published list")
        let file = RiskCatalogExport.schema.fileName
        let violations = try catalog.requiredColumn(RiskCatalogExport.violation, in: file, for: purpose)
        let fields = try [RiskCatalogExport.legalBasis, RiskCatalogExport.discretion, RiskCatalogExport.consequence,
                          RiskCatalogExport.prevention, RiskCatalogExport.responsibleUnit].map { try catalog.requiredColumn($0, in: file, for: purpose) }
        var entryOf: [String: Int] = [:]
        for row in 0..<catalog.rowCount {
            let violation = violations.value(at: row).plainText
            if let first = entryOf[violation] {
                let line = { (row: Int) in catalogLines.indices.contains(row) ? Int(catalogLines[row]) : row + 2 }
                throw PingchaError(.data, zh: "风险目录中「\(violation)」出现了两次（第 \(line(first)) 行和第 \(line(row)) 行），公布清单会有歧义；请合并为一行。",
                                   en: "the risk catalog lists '\(violation)' twice (lines \(line(first)) and \(line(row))); the published list would be ambiguous. Merge them into one row.",
                                   at: SourceLocation(path: path, line: line(row), column: 1))
            }
            entryOf[violation] = row
        }
        var rows: [[Value]] = []
        var used = Set<Int>()
        var missing: [String: (rows: Int, groups: [String])] = [:]
        var missingOrder: [String] = []
        for graded in graded.table.rows {
            let group = graded[0], period = graded[1], violation = graded[2].plainText, level = graded[3]
            var row: [Value] = [.int(Int64(rows.count + 1)), group, period, .text(violation), level]
            if let entry = entryOf[violation] {
                used.insert(entry)
                row += fields.map { $0.value(at: entry).isNull ? .text("") : .text($0.value(at: entry).plainText) } + [.bool(true)]
            } else {
                row += [.text(LocalizedText(zh: "（风险目录中没有此违法行为）", en: "(not in the risk catalog)").zh), .null, .null, .null, .null, .bool(false)]
                if missing[violation] == nil { missingOrder.append(violation) }
                missing[violation, default: (0, [])].rows += 1
                if !missing[violation]!.groups.contains(group.plainText) { missing[violation]!.groups.append(group.plainText) }
            }
            rows.append(row)
        }
        let groupColumn = graded.table.columns[0]
        let table = ResultTable(
            title: LocalizedText(zh: "违法风险点清单（含风险等级、法律依据、裁量标准、法律后果、防控措施、责任单位）",
                                 en: "Published risk list (levels, legal basis, discretion, consequences, prevention, responsible unit)"),
            columns: [
                ResultColumn(key: "order", zh: "序号", en: "No.", format: .integer),
                groupColumn,
                graded.table.columns[1],
                ResultColumn(key: "violation", zh: "违法风险点", en: "Risk point (violation)", format: .text),
                graded.table.columns[3],
                ResultColumn(RiskCatalogExport.legalBasis, format: .text),
                ResultColumn(RiskCatalogExport.discretion, en: "Discretion standard", format: .text),
                ResultColumn(RiskCatalogExport.consequence, en: "Legal consequence", format: .text),
                ResultColumn(RiskCatalogExport.prevention, format: .text),
                ResultColumn(RiskCatalogExport.responsibleUnit, format: .text),
                ResultColumn(key: "in_catalog", zh: "目录中有", en: "In catalog", format: .bool),
            ],
            rows: rows)
        let missingTable = ResultTable(
            title: LocalizedText(zh: "风险目录中没有的违法行为（需补充法律依据等）", en: "Violations missing from the risk catalog"),
            columns: [ResultColumn(RiskCatalogExport.violation, format: .text),
                      ResultColumn(key: "rows", zh: "清单行数", en: "List rows", format: .integer),
                      ResultColumn(key: "groups", zh: "所在分组", en: "Groups", format: .text)],
            rows: missingOrder.map { [.text($0), .int(Int64(missing[$0]!.rows)), .text(missing[$0]!.groups.joined(separator: "、"))] })
        return Published(table: table, missing: missingTable, unusedEntries: catalog.rowCount - used.count)
    }
}
