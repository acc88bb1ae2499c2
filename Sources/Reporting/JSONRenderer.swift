import Columnar

/// `{"rows": [...], "provenance": {...}}` with stable English snake_case keys.
public enum JSONRenderer {
    /// The report written straight as JSON text: the result rows cell by cell, never as a tree
    /// of values (a table of thousands of units was a third of a warm run as arrays of members,
    /// each with its keys).
    public static func render(_ report: Report) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(4096 + report.sections.reduce(0) { $0 + $1.table.rows.count * $1.table.columns.count * 16 })
        output.append(UInt8(ascii: "{"))
        for section in report.sections {
            JSONValue.writeString(section.key, into: &output)
            output.append(UInt8(ascii: ":"))
            writeRows(section.table, into: &output)
            output.append(UInt8(ascii: ","))
        }
        if !report.notes.isEmpty {
            JSONValue.writeString("notes", into: &output)
            output.append(UInt8(ascii: ":"))
            JSONValue.array(report.notes.map { .string($0.en) }).write(into: &output)
            output.append(UInt8(ascii: ","))
        }
        JSONValue.writeString("provenance", into: &output)
        output.append(UInt8(ascii: ":"))
        provenance(report.provenance).write(into: &output)
        output.append(contentsOf: "}\n".utf8)
        return String(decoding: output, as: UTF8.self)
    }

    /// `[{"key":value,…},…]`, each column's `"key":` written out once.
    static func writeRows(_ table: ResultTable, into output: inout [UInt8]) {
        let keys = table.columns.map { column -> [UInt8] in
            var key: [UInt8] = []
            JSONValue.writeString(column.key, into: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
        output.append(UInt8(ascii: "["))
        for (index, row) in table.rows.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output.append(UInt8(ascii: "{"))
            for (column, value) in zip(keys.indices, row) {
                if column > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: keys[column])
                JSONValue(value).write(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
        output.append(UInt8(ascii: "]"))
    }

    /// The provenance object; also the line `--log` appends.
    public static func provenance(_ provenance: Provenance) -> JSONValue {
        .object([
            ("command", .string(provenance.command)),
            ("inputs", .array(provenance.inputs.map { input in
                .object([
                    ("path", .string(input.path)),
                ] + (input.sheet.map { [("sheet", JSONValue.string($0)), ("title_rows", .int(Int64(input.titleRows)))] } ?? []) + [
                    ("sha256", .string(input.sha256)),
                    ("encoding", .string(input.encoding)),
                    ("rows", .int(Int64(input.rows))),
                    ("rejected", .int(Int64(input.rejected))),
                    ("blank_lines", .int(Int64(input.blankLines))),
                    ("delimiter", .string(input.delimiter)),
                    ("text_quotes", .int(Int64(input.textQuotes))),
                    ("excel_formulas", .int(Int64(input.excelFormulas))),
                ])
            })),
            ("rules", .object(provenance.settings.map { ($0.key, JSONValue($0.value)) })),
            ("excluded", .array(provenance.exclusions.map { exclusion in
                .object([
                    ("reason", .string(exclusion.key)),
                    ("rows", .int(Int64(exclusion.rows))),
                ])
            })),
            ("version", .string(provenance.version)),
        ])
    }
}
