import Columnar

/// `{"rows": [...], "provenance": {...}}` with stable English snake_case keys.
public enum JSONRenderer {
    public static func render(_ report: Report) -> String {
        document(report).serialized() + "\n"
    }

    public static func document(_ report: Report) -> JSONValue {
        var members: [(String, JSONValue)] = report.sections.map { section in
            (section.key, rows(section.table))
        }
        if !report.notes.isEmpty {
            members.append(("notes", .array(report.notes.map { .string($0.en) })))
        }
        members.append(("provenance", provenance(report.provenance)))
        return .object(members)
    }

    public static func rows(_ table: ResultTable) -> JSONValue {
        .array(table.rows.map { row in
            .object(zip(table.columns, row).map { ($0.key, JSONValue($1)) })
        })
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
