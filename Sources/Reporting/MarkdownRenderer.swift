import Columnar

/// GitHub-flavoured Markdown tables, for reports and notes.
public enum MarkdownRenderer {
    public static func render(_ report: Report, language: Language) -> String {
        var output = ""
        for (index, section) in report.sections.enumerated() {
            if index > 0 { output += "\n" }
            let table = section.table
            output += "### \(table.title.text(language))\n\n"
            output += "| " + table.columns.map { escape($0.header.text(language)) }.joined(separator: " | ") + " |\n"
            output += "|" + table.columns.map { $0.format.isNumeric ? " ---: " : " --- " }.joined(separator: "|") + "|\n"
            for row in table.rows {
                let cells = zip(row, table.columns).map { escape(CellFormatter.display($0, format: $1.format, language: language)) }
                output += "| " + cells.joined(separator: " | ") + " |\n"
            }
        }
        let footer = FooterText.lines(for: report, language: language).dropFirst()
        output += "\n" + footer.map { "- " + escape($0) + "\n" }.joined()
        return output
    }

    private static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "|": escaped += "\\|"
            case "\n", "\r": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
