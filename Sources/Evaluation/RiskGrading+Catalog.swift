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
        var rows: [PublishedRow] = []
        var used = Set<Int>()
        var missing: [MissingRow] = []
        var missingIndex: [String: Int] = [:]
        for risk in graded.risks {
            var row = PublishedRow(order: rows.count + 1, risk: risk)
            if let entry = entryOf[risk.violation] {
                used.insert(entry)
                let texts = fields.map { $0.value(at: entry).isNull ? "" : $0.value(at: entry).plainText }
                row.catalog = PublishedRow.CatalogEntry(legalBasis: texts[0], discretion: texts[1], consequence: texts[2], prevention: texts[3],
                                                        responsibleUnit: texts[4])
            } else {
                let index = missingIndex[risk.violation] ?? {
                    missing.append(MissingRow(violation: risk.violation))
                    missingIndex[risk.violation] = missing.count - 1
                    return missing.count - 1
                }()
                missing[index].rows += 1
                if !missing[index].groupList.contains(risk.group) { missing[index].groupList.append(risk.group) }
            }
            rows.append(row)
        }
        let table = ResultTable(
            title: LocalizedText(zh: "违法风险点清单（含风险等级、法律依据、裁量标准、法律后果、防控措施、责任单位）",
                                 en: "Published risk list (levels, legal basis, discretion, consequences, prevention, responsible unit)"),
            fields: PublishedRow.fields(groupColumn: graded.groupColumn), rows: rows)
        let missingTable = ResultTable(title: LocalizedText(zh: "风险目录中没有的违法行为（需补充法律依据等）", en: "Violations missing from the risk catalog"),
                                       fields: MissingRow.fields, rows: missing)
        return Published(table: table, missing: missingTable, unusedEntries: catalog.rowCount - used.count)
    }

    /// A line of the published list: a graded risk and its catalog entry.
    struct PublishedRow {
        struct CatalogEntry {
            var legalBasis: String
            var discretion: String
            var consequence: String
            var prevention: String
            var responsibleUnit: String
        }

        var order: Int
        var risk: RiskRow
        /// Nil when the catalog has no entry for the violation.
        var catalog: CatalogEntry?

        var legalBasis: String { catalog?.legalBasis ?? LocalizedText(zh: "（风险目录中没有此违法行为）", en: "(not in the risk catalog)").zh }
        var inCatalog: Bool { catalog != nil }

        static func fields(groupColumn: ResultColumn) -> [ResultField<PublishedRow>] {
            [
                ResultField(\.order, key: "order", zh: "序号", en: "No.", format: .integer),
                ResultField(\.risk.group, groupColumn),
                ResultField(\.risk.period, RiskRow.periodColumn),
                ResultField(\.risk.violation, key: "violation", zh: "违法风险点", en: "Risk point (violation)", format: .text),
                ResultField(\.risk.level, RiskRow.levelColumn),
                ResultField(\.legalBasis, ResultColumn(RiskCatalogExport.legalBasis, format: .text)),
                ResultField(\.catalog?.discretion, ResultColumn(RiskCatalogExport.discretion, en: "Discretion standard", format: .text)),
                ResultField(\.catalog?.consequence, ResultColumn(RiskCatalogExport.consequence, en: "Legal consequence", format: .text)),
                ResultField(\.catalog?.prevention, ResultColumn(RiskCatalogExport.prevention, format: .text)),
                ResultField(\.catalog?.responsibleUnit, ResultColumn(RiskCatalogExport.responsibleUnit, format: .text)),
                ResultField(\.inCatalog, key: "in_catalog", zh: "目录中有", en: "In catalog", format: .bool),
            ]
        }
    }

    /// A violation of the list that the catalog lacks.
    struct MissingRow {
        var violation: String
        var rows = 0
        var groupList: [String] = []
        var groups: String { groupList.joined(separator: "、") }

        static let fields: [ResultField<MissingRow>] = [
            ResultField(\.violation, ResultColumn(RiskCatalogExport.violation, format: .text)),
            ResultField(\.rows, key: "rows", zh: "清单行数", en: "List rows", format: .integer),
            ResultField(\.groups, key: "groups", zh: "所在分组", en: "Groups", format: .text),
        ]
    }
}
