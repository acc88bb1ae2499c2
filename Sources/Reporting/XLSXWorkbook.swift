#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CXLSXWriter
import Columnar

/// The one place that holds libxlsxwriter's pointers: a workbook being written, its formats by
/// number format, and the sheets added to it.
final class XLSXWorkbook {
    private let workbook: UnsafeMutablePointer<lxw_workbook>
    private var formats: [String: UnsafeMutablePointer<lxw_format>] = [:]
    private var sheetNames: Set<String> = []
    let path: String

    /// - Throws: `PingchaError(.cannotCreate)` when the file cannot be created.
    init(path: String) throws {
        // The file is tried first, so that a folder that does not exist is said in pingcha's
        // words (libxlsxwriter would print its own line when the workbook is closed).
        guard let probe = fopen(path, "wb") else {
            throw PingchaError(.cannotCreate, zh: "无法创建 XLSX 文件 \(path)", en: "cannot create the XLSX file \(path)")
        }
        fclose(probe)
        guard let created = workbook_new(path) else {
            throw PingchaError(.cannotCreate, zh: "无法创建 XLSX 文件 \(path)", en: "cannot create the XLSX file \(path)")
        }
        workbook = created
        self.path = path
    }

    /// A format: bold or not, with an Excel number format ("" for general), optionally larger.
    func format(bold: Bool = false, numberFormat: String = "", size: Double? = nil) -> UnsafeMutablePointer<lxw_format> {
        let key = "\(bold)|\(numberFormat)|\(size ?? 0)"
        if let existing = formats[key] { return existing }
        let created = workbook_add_format(workbook)!
        if bold { format_set_bold(created) }
        if !numberFormat.isEmpty { format_set_num_format(created, numberFormat) }
        if let size { format_set_font_size(created, size) }
        formats[key] = created
        return created
    }

    /// Adds a sheet, its name made valid (at most 31 characters, none of []:*?/\) and unique.
    func addSheet(named wanted: String) -> XLSXSheet {
        let name = uniqueName(wanted)
        return XLSXSheet(sheet: workbook_add_worksheet(workbook, name)!, book: self, name: name)
    }

    /// A valid, unused sheet name made from `wanted`.
    private func uniqueName(_ wanted: String) -> String {
        var base = String(wanted.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(28))
        if base.isEmpty { base = "Sheet" }
        var name = base, counter = 2
        while sheetNames.contains(name.lowercased()) {
            name = "\(base)\(counter)"
            counter += 1
        }
        sheetNames.insert(name.lowercased())
        return name
    }

    /// Adds a chart sheet holding `chart` (made by `chart(_:)`).
    func addChartSheet(named wanted: String, chart: UnsafeMutablePointer<lxw_chart>) {
        let sheet = workbook_add_chartsheet(workbook, uniqueName(wanted))!
        chartsheet_set_chart(sheet, chart)
        chartsheet_set_landscape(sheet)
        chartsheet_set_paper(sheet, 9)
    }

    /// A new chart of a libxlsxwriter chart type (`LXW_CHART_BAR`, …).
    func chart(_ type: lxw_chart_type) -> UnsafeMutablePointer<lxw_chart> {
        workbook_add_chart(workbook, UInt8(type.rawValue))!
    }

    /// Writes the file.
    ///
    /// - Throws: `PingchaError(.cannotCreate)` with libxlsxwriter's reason when it cannot be written.
    func close() throws {
        let result = workbook_close(workbook)
        guard result == LXW_NO_ERROR else {
            let reason = String(cString: lxw_strerror(result))
            throw PingchaError.cannotWrite(path, LocalizedText(zh: "XLSX 文件", en: "XLSX file"), reason: reason)
        }
    }
}

/// One worksheet of an `XLSXWorkbook`, with the widest text seen per column.
final class XLSXSheet {
    private let sheet: UnsafeMutablePointer<lxw_worksheet>
    private unowned let book: XLSXWorkbook
    private var widths: [Int: Int] = [:]
    /// The sheet's name in the workbook (chart series refer to it).
    let name: String

    init(sheet: UnsafeMutablePointer<lxw_worksheet>, book: XLSXWorkbook, name: String) {
        self.sheet = sheet
        self.book = book
        self.name = name
    }

    /// The width of the columns written so far, in characters (CJK counted double).
    var totalWidth: Int { widths.values.reduce(0) { $0 + min(max($1, 4), 80) + 2 } }

    /// Print setup as an office prints a table: A4, landscape when the columns are wide,
    /// one page wide, `repeatRows` at the top of every page, the title in the page header and
    /// `footer` with the page number in the footer.
    func pageSetup(title: String, footer: String, pageLabel: String, repeatRows: ClosedRange<Int>?) {
        worksheet_set_paper(sheet, 9)
        if totalWidth > 100 { worksheet_set_landscape(sheet) } else { worksheet_set_portrait(sheet) }
        worksheet_fit_to_pages(sheet, 1, 0)
        if let repeatRows { worksheet_repeat_rows(sheet, lxw_row_t(repeatRows.lowerBound), lxw_row_t(repeatRows.upperBound)) }
        // Header and footer are at most 255 characters, and & starts a code (&& is a plain &).
        func escaped(_ text: String, limit: Int) -> String {
            String(text.prefix(limit)).replacingOccurrences(of: "&", with: "&&")
        }
        worksheet_set_header(sheet, "&C" + escaped(title, limit: 120))
        worksheet_set_footer(sheet, "&L" + escaped(footer, limit: 150) + "&R" + pageLabel)
    }

    /// IDs written as text (证件号, 身份证号) show no "number stored as text" warning.
    func ignoreNumbersStoredAsText() {
        worksheet_ignore_errors(sheet, UInt8(LXW_IGNORE_NUMBER_STORED_AS_TEXT.rawValue), "A1:XFD1048576")
    }

    func text(_ row: Int, _ column: Int, _ value: String, bold: Bool = false, size: Double? = nil, measure: Bool = true) {
        worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), value, book.format(bold: bold, size: size))
        if measure { note(column, DisplayWidth.of(value)) }
    }

    func number(_ row: Int, _ column: Int, _ value: Double, numberFormat: String, shownAs: String) {
        worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(column), value, book.format(numberFormat: numberFormat))
        note(column, DisplayWidth.of(shownAs))
    }

    func merge(row: Int, columns: ClosedRange<Int>, _ value: String, bold: Bool, size: Double?) {
        worksheet_merge_range(sheet, lxw_row_t(row), lxw_col_t(columns.lowerBound), lxw_row_t(row), lxw_col_t(columns.upperBound),
                              value, book.format(bold: bold, size: size))
    }

    func freeze(rows: Int) {
        worksheet_freeze_panes(sheet, lxw_row_t(rows), 0)
    }

    /// Sets every column's width to its widest text (CJK characters count two), within reason.
    func fitColumns() {
        for (column, width) in widths {
            worksheet_set_column(sheet, lxw_col_t(column), lxw_col_t(column), Double(min(max(width, 4), 80)) + 2, nil)
        }
    }

    private func note(_ column: Int, _ width: Int) {
        widths[column] = max(widths[column] ?? 0, width)
    }
}
