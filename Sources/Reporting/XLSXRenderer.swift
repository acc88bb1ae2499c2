import Columnar

/// XLSX through libxlsxwriter: one sheet per table, a bold header row, frozen panes, columns as
/// wide as their text (CJK counted double), numbers as numbers and rates as percentages; a last
/// sheet with the notes and the provenance. A report with a print form (the commendation's
/// 附件3) writes those tables in the form's layout instead.
///
/// Every table sheet prints as an office expects: A4, landscape when wide, one page wide, the
/// header row repeated on every page, the title in the page header and the first input with the
/// page number in the footer; IDs stored as text show no warning. A table longer than a sheet
/// holds goes on as many sheets as it needs, said in the 说明 sheet. Charts (`XLSXCharts`) go on
/// chart sheets of their own.
public enum XLSXRenderer {
    /// Data rows one sheet holds: Excel's 1,048,576 rows less the header. Tests lower it.
    nonisolated(unsafe) static var rowsPerSheet = 1_048_575

    /// Writes `report` to `path`.
    ///
    /// - Throws: `PingchaError` when the file cannot be created or written.
    public static func write(_ report: Report, language: Language, to path: String) throws {
        let book = try XLSXWorkbook(path: path)
        let form = report.printForm
        let footer = FooterText.lines(for: report, language: language).first { $0.hasPrefix("输入：") || $0.hasPrefix("Input: ") } ?? ""
        let pageLabel = language == .zh ? "第 &P 页，共 &N 页" : "Page &P of &N"
        var splitNotes: [String] = []
        var tableSheets: [String: (sheet: String, rows: Int)] = [:]
        for section in report.sections {
            let title = section.table.title.text(language)
            if let form, let name = form.sections[section.key] {
                let sheet = book.addSheet(named: name.text(language))
                writeForm(section.table, form: form, sheet: sheet, language: language)
                sheet.pageSetup(title: form.title.text(language), footer: footer, pageLabel: pageLabel, repeatRows: 0...0)
                sheet.ignoreNumbersStoredAsText()
                continue
            }
            let parts = stride(from: 0, to: max(section.table.rows.count, 1), by: rowsPerSheet).map { $0..<min($0 + rowsPerSheet, section.table.rows.count) }
            for (index, range) in parts.enumerated() {
                let sheet = book.addSheet(named: parts.count > 1 ? "\(title.prefix(24)) (\(index + 1))" : title)
                var part = section.table
                part.rows = Array(section.table.rows[range])
                writeTable(part, sheet: sheet, language: language)
                sheet.pageSetup(title: parts.count > 1 ? "\(title) (\(index + 1)/\(parts.count))" : title, footer: footer,
                                pageLabel: pageLabel, repeatRows: 0...0)
                sheet.ignoreNumbersStoredAsText()
                if index == 0 { tableSheets[section.key] = (sheet.name, range.count) }
            }
            if parts.count > 1 {
                splitNotes.append(language == .zh
                    ? "「\(title)」共 \(section.table.rows.count) 行，超过 Excel 每个工作表 1,048,576 行的上限，已分为 \(parts.count) 个工作表，每个至多 \(rowsPerSheet) 行数据。"
                    : "'\(title)' has \(section.table.rows.count) rows, more than an Excel sheet's 1,048,576: it is split into \(parts.count) sheets of at most \(rowsPerSheet) data rows.")
            }
        }
        XLSXCharts.add(for: report, tables: tableSheets, book: book, language: language)
        let about = book.addSheet(named: language == .zh ? "说明" : "About")
        for (index, line) in (FooterText.lines(for: report, language: language).dropFirst() + splitNotes).enumerated() {
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
