import Columnar

/// CSV in UTF-8 with a byte-order mark, so Excel on Chinese Windows opens it correctly.
public enum CSVRenderer {
    public static let byteOrderMark = "\u{FEFF}"

    /// The main table only (a CSV holds one table); other sections go to their own files.
    public static func render(_ report: Report, language: Language) -> String {
        guard let table = report.sections.first?.table else { return byteOrderMark }
        return render(table, language: language)
    }

    public static func render(_ table: ResultTable, language: Language) -> String {
        var output = byteOrderMark
        output += table.columns.map { quote($0.header.text(language)) }.joined(separator: ",") + "\r\n"
        for row in table.rows {
            output += zip(row, table.columns).map { quote(CellFormatter.csv($0, format: $1.format, language: language)) }
                .joined(separator: ",") + "\r\n"
        }
        return output
    }

    /// RFC 4180 quoting: fields with a comma, quote, line break or edge space are quoted.
    public static func quote(_ field: String) -> String {
        let needsQuotes = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || field.first == " " || field.last == " "
        guard needsQuotes else { return field }
        var quoted = "\""
        for character in field {
            if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }
}
