import ArgumentParser
import Kernels
import CSVIngest
import Columnar
import Vocabulary
import Query
import Reporting

extension Pingcha {
    /// `pingcha describe FILE`: what is in an export.
    struct Describe: ReportCommand {
        static let configuration = CommandConfiguration(
            commandName: "describe",
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
            // The first and last entries in byte order, in one pass (sorting them all was most of a
            // 10M-row describe, for an id column of 10M entries).
            var low: UInt32?, high: UInt32?
            for code in 0..<UInt32(dictionary.count) {
                if low.map({ dictionary.precedes(code, $0) }) ?? true { low = code }
                if high.map({ dictionary.precedes($0, code) }) ?? true { high = code }
            }
            distinct = dictionary.count
            if let low, let high {
                minimum = .text(dictionary.string(at: low))
                maximum = .text(dictionary.string(at: high))
            }
            return
        }
        // The other types on their storage: distinct values by bit pattern (0.0 and -0.0 one value,
        // as they compare equal), the extremes compared as the values' own type.
        let summary: (distinct: Int, minimum: Value, maximum: Value)
        switch column.storage {
        case .int64(let values): summary = Self.scan(column, values, bits: { UInt64(bitPattern: $0) }, less: <, value: Value.int)
        case .float64(let values): summary = Self.scan(column, values, bits: { ($0 == 0 ? 0.0 : $0).bitPattern }, less: <, value: Value.double)
        case .date(let days): summary = Self.scan(column, days, bits: { UInt64(UInt32(bitPattern: $0)) }, less: <, value: Value.date)
        case .timestamp(let seconds): summary = Self.scan(column, seconds, bits: { UInt64(bitPattern: $0) }, less: <, value: Value.timestamp)
        case .bool(let flags): summary = Self.scan(column, flags, bits: { $0 ? 1 : 0 }, less: { !$0 && $1 }, value: Value.bool)
        case .text: preconditionFailure("text columns are summarised from their dictionary above")
        }
        (distinct, minimum, maximum) = summary
    }

    private static func scan<T>(_ column: Column, _ values: ColumnBuffer<T>, bits: (T) -> UInt64, less: (T, T) -> Bool,
                                value: (T) -> Value) -> (distinct: Int, minimum: Value, maximum: Value) {
        var seen = Set<UInt64>()
        var low: T?, high: T?
        for row in 0..<column.count where !column.isNull(row) {
            let item = values[row]
            seen.insert(bits(item))
            if low.map({ less(item, $0) }) ?? true { low = item }
            if high.map({ less($0, item) }) ?? true { high = item }
        }
        return (seen.count, low.map(value) ?? .null, high.map(value) ?? .null)
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
