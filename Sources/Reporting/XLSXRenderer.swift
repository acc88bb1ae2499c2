import Columnar

/// XLSX through libxlsxwriter: one sheet per table, a bold header row, frozen panes, columns as
/// wide as their text (CJK counted double), numbers as numbers and rates as percentages; a last
/// sheet with the notes and the provenance. A report with a print form (the commendation's
/// 附件3) writes those tables in the form's layout instead.
public enum XLSXRenderer {
    /// Writes `report` to `path`.
    ///
    /// - Throws: `PingchaError` when the file cannot be created or written.
    public static func write(_ report: Report, language: Language, to path: String) throws {
        let book = try XLSXWorkbook(path: path)
        let form = report.printForm
        for section in report.sections {
            if let form, let name = form.sections[section.key] {
                writeForm(section.table, form: form, sheet: book.addSheet(named: name.text(language)), language: language)
            } else {
                writeTable(section.table, sheet: book.addSheet(named: section.table.title.text(language)), language: language)
            }
        }
        let about = book.addSheet(named: language == .zh ? "说明" : "About")
        for (index, line) in FooterText.lines(for: report, language: language).dropFirst().enumerated() {
            about.text(index, 0, line, measure: false)
        }
        try book.close()
    }

    static func writeTable(_ table: ResultTable, sheet: XLSXSheet, language: Language) {
        for (column, header) in table.columns.enumerated() {
            sheet.text(0, column, header.header.text(language), bold: true)
        }
        for (index, row) in table.rows.enumerated() {
            for (column, value) in row.enumerated() {
                write(value, format: table.columns[column].format, row: index + 1, column: column, sheet: sheet, language: language)
            }
        }
        sheet.freeze(rows: 1)
        sheet.fitColumns()
    }

    /// The form's layout: its title row, then per group (recommender) a stamp line, the header
    /// row and the rows, without the group column.
    static func writeForm(_ table: ResultTable, form: PrintForm, sheet: XLSXSheet, language: Language) {
        let groupIndex = table.columns.firstIndex { $0.key == form.groupKey }
        let shown = table.columns.indices.filter { $0 != groupIndex }
        let lastColumn = max(shown.count - 1, 0)
        sheet.merge(row: 0, columns: 0...lastColumn, form.title.text(language), bold: true, size: 14)
        sheet.freeze(rows: 1)
        var line = 1
        var groups: [String] = []
        for row in table.rows {
            let group = groupIndex.map { row[$0].plainText } ?? ""
            if !groups.contains(group) { groups.append(group) }
        }
        for group in groups {
            line += 1
            sheet.text(line, 0, form.stampLine(group).text(language), measure: false)
            line += 1
            for (position, column) in shown.enumerated() {
                sheet.text(line, position, table.columns[column].header.text(language), bold: true)
            }
            for row in table.rows where (groupIndex.map { row[$0].plainText } ?? "") == group {
                line += 1
                for (position, column) in shown.enumerated() {
                    write(row[column], format: table.columns[column].format, row: line, column: position, sheet: sheet, language: language)
                }
            }
            line += 1
        }
        sheet.fitColumns()
    }

    static func write(_ value: Value, format: CellFormat, row: Int, column: Int, sheet: XLSXSheet, language: Language) {
        let shown = CellFormatter.display(value, format: format, language: language)
        switch value {
        case .null:
            return
        case .int(let number):
            sheet.number(row, column, Double(number), numberFormat: numberFormat(format, isInteger: true), shownAs: shown)
        case .double(let number) where number.isFinite:
            sheet.number(row, column, number, numberFormat: numberFormat(format, isInteger: false), shownAs: shown)
        case .date(let days):
            // Excel counts days from 1899-12-30; 1970-01-01 is day 25569.
            sheet.number(row, column, Double(days) + 25569, numberFormat: "yyyy-mm-dd", shownAs: shown)
        case .timestamp(let seconds):
            // The same count with the time of day as its fraction.
            sheet.number(row, column, Double(seconds) / 86_400 + 25569, numberFormat: "yyyy-mm-dd hh:mm:ss", shownAs: shown)
        default:
            sheet.text(row, column, CellFormatter.csv(value, format: format, language: language))
        }
    }

    static func numberFormat(_ format: CellFormat, isInteger: Bool) -> String {
        switch format {
        case .percent(let places): return places > 0 ? "0." + String(repeating: "0", count: places) + "%" : "0%"
        case .decimal(let places): return places > 0 ? "0." + String(repeating: "0", count: places) : "0"
        case .integer: return "0"
        default: return isInteger ? "0" : "General"
        }
    }
}
