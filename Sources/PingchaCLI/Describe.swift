import ArgumentParser
import CSVIngest
import Columnar
import Vocabulary
import Query
import Reporting

extension Pingcha {
    /// `pingcha describe FILE`: what is in an export.
    struct Describe: ReportCommand {
        static let configuration = CommandConfiguration(
            abstract: "列出文件各列的类型、空值、不同值个数和最小最大值 / Show each column's type, nulls, distinct values, min and max.")

        @Argument(help: "CSV 文件 The CSV export.")
        var file: String

        @Option(help: "按哪种导出读取（默认按表头识别）Read as this export: cases, survey, roster, tests, competition, acceptance, candidates, or none.")
        var schema: String?

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if let schema, schema != "none", ExportSchema.named(schema) == nil {
                throw ValidationError("不认识的导出类型「\(schema)」/ unknown schema '\(schema)'; use one of: \(ExportSchema.all.map(\.name).joined(separator: ", ")), none.")
            }
        }

        func makeReport() throws -> Report {
            let loader = ExportLoader(input: input, language: output.lang)
            let loaded = try loader.load(file, schema: schema.flatMap(ExportSchema.named), noSchema: schema == "none")
            let rows = loaded.table.columns.map(ColumnSummary.init)
            let schemaName = loaded.schema?.title ?? LocalizedText(zh: "未识别的导出", en: "unrecognised export")
            let title = LocalizedText(zh: "\(file)：\(loaded.table.rowCount) 行，\(schemaName.zh)",
                                      en: "\(file): \(loaded.table.rowCount) rows, \(schemaName.en)")
            let provenance = Provenance(
                command: "describe", inputs: [ExportLoader.provenanceInput(loaded)],
                settings: [Provenance.Setting(key: "schema", label: LocalizedText(zh: "导出类型", en: "schema"),
                                              value: loaded.schema.map { .text($0.name) } ?? .null)],
                exclusions: ExclusionList.rejected(loaded))
            return Report(table: ResultTable(title: title, fields: ColumnSummary.fields, rows: rows), provenance: provenance)
        }
    }
}

/// One `describe` row per column.
struct ColumnSummary {
    var name: String
    var type: String
    var nulls: Int
    var distinct: Int
    var minimum: Value = .null
    var maximum: Value = .null

    static let fields: [ResultField<ColumnSummary>] = [
        ResultField(\.name, key: "name", zh: "列名", en: "Column", format: .text),
        ResultField(\.type, key: "type", zh: "类型", en: "Type", format: .text),
        ResultField(\.nulls, key: "nulls", zh: "空值", en: "Nulls", format: .integer),
        ResultField(\.distinct, key: "distinct", zh: "不同值", en: "Distinct", format: .integer),
        ResultField(\.minimum, key: "min", zh: "最小值", en: "Min", format: .text),
        ResultField(\.maximum, key: "max", zh: "最大值", en: "Max", format: .text),
    ]

    init(_ column: Column) {
        name = column.name
        type = column.dataType.displayName
        nulls = column.nullCount
        if case .text(_, let dictionary) = column.storage {
            let sorted = dictionary.sortedCodes()
            distinct = dictionary.count
            if let first = sorted.first, let last = sorted.last {
                minimum = .text(dictionary.string(at: first))
                maximum = .text(dictionary.string(at: last))
            }
            return
        }
        var seen = Set<Value>()
        for row in 0..<column.count where !column.isNull(row) {
            let value = column.value(at: row)
            seen.insert(value)
            if minimum.isNull || ValueOrdering.compare(value, minimum)! < 0 { minimum = value }
            if maximum.isNull || ValueOrdering.compare(value, maximum)! > 0 { maximum = value }
        }
        distinct = seen.count
    }
}

/// The provenance entries for rows left out.
enum ExclusionList {
    /// Rows a `--where` filter left out.
    static func filteredOut(_ rows: Int) -> Provenance.Exclusion {
        Provenance.Exclusion(key: "filtered_out", reason: LocalizedText(zh: "不符合筛选条件", en: "did not match the filter"), rows: rows)
    }

    static func rejected(_ loaded: LoadedTable) -> [Provenance.Exclusion] {
        guard loaded.source.rejected > 0 else { return [] }
        return [Provenance.Exclusion(
            key: "rejected_rows",
            reason: LocalizedText(zh: "\(loaded.source.path) 中的坏行，见拒收文件", en: "bad rows of \(loaded.source.path), see the rejects file"),
            rows: loaded.source.rejected)]
    }
}
