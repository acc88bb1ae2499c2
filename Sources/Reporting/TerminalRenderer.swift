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

    /// The table as lines of text, each cell padded to its column's display width (numbers on
    /// the right), two spaces between columns, no spaces at a line's end. The lines are written
    /// as bytes into one buffer, each cell's width measured once (padding strings per cell and
    /// joining them was a fifth of a warm pass rate by unit with thousands of units).
    static func renderTable(_ table: ResultTable, language: Language) -> String {
        let headers = table.columns.map { $0.header.text(language) }
        let cells = table.rows.map { row in
            zip(row, table.columns).map { CellFormatter.display($0, format: $1.format, language: language) }
        }
        let headerWidths = headers.map(DisplayWidth.of)
        let cellWidths = cells.map { $0.map(DisplayWidth.of) }
        var widths = headerWidths
        for row in cellWidths {
            for (column, width) in row.enumerated() { widths[column] = max(widths[column], width) }
        }
        let alignRight = table.columns.map(\.format.isNumeric)
        var output: [UInt8] = []
        func append(_ text: String) {
            var text = text
            text.withUTF8 { output.append(contentsOf: $0) }
        }
        func line(_ texts: [String], _ textWidths: [Int]) {
            let start = output.count
            for (column, text) in texts.enumerated() {
                if column > 0 { output.append(contentsOf: [0x20, 0x20]) }
                let padding = max(0, widths[column] - textWidths[column])
                if alignRight[column] {
                    output.append(contentsOf: repeatElement(0x20, count: padding))
                    append(text)
                } else {
                    append(text)
                    output.append(contentsOf: repeatElement(0x20, count: padding))
                }
            }
            while output.count > start, output.last == 0x20 { output.removeLast() }
            output.append(0x0A)
        }
        append(table.title.text(language) + "\n")
        line(headers, headerWidths)
        append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n")
        for (row, rowWidths) in zip(cells, cellWidths) { line(row, rowWidths) }
        if cells.isEmpty {
            append((language == .zh ? "（没有数据行）" : "(no rows)") + "\n")
        }
        return String(decoding: output, as: UTF8.self)
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
