import Columnar

/// Plain-text tables for a terminal, aligned by display width so Chinese text lines up.
public enum TerminalRenderer {
    public static func render(_ report: Report, language: Language) -> String {
        var output = ""
        for (index, section) in report.sections.enumerated() {
            if index > 0 { output += "\n" }
            output += renderTable(section.table, language: language)
        }
        output += FooterText.lines(for: report, language: language).map { $0 + "\n" }.joined()
        return output
    }

    static func renderTable(_ table: ResultTable, language: Language) -> String {
        let headers = table.columns.map { $0.header.text(language) }
        let cells = table.rows.map { row in
            zip(row, table.columns).map { CellFormatter.display($0, format: $1.format, language: language) }
        }
        var widths = headers.map(DisplayWidth.of)
        for row in cells {
            for (column, text) in row.enumerated() { widths[column] = max(widths[column], DisplayWidth.of(text)) }
        }
        func line(_ texts: [String]) -> String {
            var parts: [String] = []
            for (column, text) in texts.enumerated() {
                parts.append(DisplayWidth.pad(text, to: widths[column], alignRight: table.columns[column].format.isNumeric))
            }
            return trimTrailingSpaces(parts.joined(separator: "  ")) + "\n"
        }
        var output = table.title.text(language) + "\n"
        output += line(headers)
        output += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in cells { output += line(row) }
        if cells.isEmpty {
            output += (language == .zh ? "（没有数据行）" : "(no rows)") + "\n"
        }
        return output
    }

    private static func trimTrailingSpaces(_ text: String) -> String {
        var result = Substring(text)
        while result.last == " " { result = result.dropLast() }
        return String(result)
    }
}

/// The lines under a table that say where the figures come from.
enum FooterText {
    static func lines(for report: Report, language: Language) -> [String] {
        let zh = language == .zh
        var lines: [String] = [""]
        for note in report.notes {
            lines.append((zh ? "注意：" : "Note: ") + note.text(language))
        }
        let provenance = report.provenance
        for input in provenance.inputs {
            let digest = String(input.sha256.prefix(16))
            // The separator is named when it is not the comma; quotes read as text when there were any.
            let separator = input.delimiter == "comma" ? "" : (zh ? "\(input.delimiterLabel.zh)分隔，" : "\(input.delimiterLabel.en)-separated, ")
            var quotes = ""
            if input.textQuotes > 0 { quotes += zh ? "，\(input.textQuotes) 个字段内的引号按文字读" : ", \(input.textQuotes) fields with quotes read as text" }
            if input.excelFormulas > 0 { quotes += zh ? "，\(input.excelFormulas) 个 =\"…\" 按文字读" : ", \(input.excelFormulas) =\"…\" formulas read as text" }
            if let sheet = input.sheet {
                let titles = input.titleRows > 0 ? (zh ? "，跳过标题 \(input.titleRows) 行" : ", \(input.titleRows) title rows skipped") : ""
                if zh {
                    lines.append("输入：\(input.path)（工作表「\(sheet)」\(titles)，\(input.rows) 行，拒收 \(input.rejected) 行，空行 \(input.blankLines)，SHA-256 \(digest)…）")
                } else {
                    lines.append("Input: \(input.path) (sheet '\(sheet)'\(titles), \(input.rows) rows, \(input.rejected) rejected, \(input.blankLines) blank rows, SHA-256 \(digest)…)")
                }
            } else if zh {
                lines.append("输入：\(input.path)（\(input.encoding)，\(separator)\(input.rows) 行，拒收 \(input.rejected) 行，空行 \(input.blankLines)\(quotes)，SHA-256 \(digest)…）")
            } else {
                lines.append("Input: \(input.path) (\(input.encoding), \(separator)\(input.rows) rows, \(input.rejected) rejected, \(input.blankLines) blank lines\(quotes), SHA-256 \(digest)…)")
            }
        }
        if !provenance.settings.isEmpty {
            let parts = provenance.settings.map { setting in
                "\(setting.label.text(language)) = \(setting.value.isNull ? "-" : setting.value.plainText)"
            }
            lines.append((zh ? "规则：" : "Rules: ") + parts.joined(separator: zh ? "；" : "; "))
        }
        for exclusion in provenance.exclusions where exclusion.rows > 0 {
            lines.append((zh ? "未计入：" : "Left out: ") + "\(exclusion.rows) " + (zh ? "行，" : "rows, ") + exclusion.reason.text(language))
        }
        lines.append((zh ? "版本：" : "Version: ") + "pingcha \(provenance.version)")
        return lines
    }
}
