import CFreeXL
import Columnar

/// A sheet of an `.xls` (BIFF) workbook, read through Debian's libfreexl: it opens the whole
/// workbook, knows its shared strings and which cells are dates, and gives one cell at a time.
struct XLSSheet: WorkbookLoader.Sheet {
    let name: String
    private let handle: XLSHandle
    private let rowCount: UInt32
    private let columnCount: UInt16

    /// Owns libfreexl's handle and closes it.
    final class XLSHandle {
        let pointer: UnsafeRawPointer
        init(_ pointer: UnsafeRawPointer) { self.pointer = pointer }
        deinit { freexl_close(pointer) }
    }

    init(path: String, selector: String?) throws {
        var opened: UnsafeRawPointer?
        guard freexl_open(path, &opened) == FREEXL_OK, let opened else {
            throw PingchaError.notXLS(path)
        }
        handle = XLSHandle(opened)
        var sheetCount: UInt32 = 0
        freexl_get_info(opened, UInt16(FREEXL_BIFF_SHEET_COUNT), &sheetCount)
        var names: [String] = []
        for index in 0..<UInt16(min(sheetCount, UInt32(UInt16.max))) {
            var text: UnsafePointer<CChar>?
            names.append(freexl_get_worksheet_name(opened, index, &text) == FREEXL_OK ? text.map { String(cString: $0) } ?? "" : "")
        }
        guard !names.isEmpty else {
            throw PingchaError.noSheet(in: path)
        }
        var chosen = 0
        if let selector {
            if let index = names.firstIndex(of: selector) {
                chosen = index
            } else if let number = Int(selector), (1...names.count).contains(number) {
                chosen = number - 1
            } else {
                throw PingchaError.unknownSheet(selector, in: path, names: names)
            }
        }
        name = names[chosen]
        var rows: UInt32 = 0
        var columns: UInt16 = 0
        guard freexl_select_active_worksheet(opened, UInt16(chosen)) == FREEXL_OK,
              freexl_worksheet_dimensions(opened, &rows, &columns) == FREEXL_OK else {
            throw PingchaError.unreadableSheet(name, in: path)
        }
        rowCount = rows
        columnCount = columns
    }

    /// libfreexl has read the whole workbook when the sheet is opened: no progress to tell.
    func rows(progress: ((Int, Int) -> Void)?, _ handle: (XLSXWorkbook.Row) throws -> Bool) throws {
        var row = XLSXWorkbook.Row()
        for index in 0..<rowCount {
            row.reset(number: Int(index) + 1)
            for column in 0..<columnCount {
                var cell = FreeXL_CellValue()
                guard freexl_get_cell_value(self.handle.pointer, index, column, &cell) == FREEXL_OK else { continue }
                let text: String
                switch Int32(cell.type) {
                case FREEXL_CELL_INT: text = String(cell.value.int_value)
                case FREEXL_CELL_DOUBLE:
                    let number = cell.value.double_value
                    text = number == number.rounded() && abs(number) < 9_007_199_254_740_992 ? String(Int64(number)) : Value.formatDouble(number)
                case FREEXL_CELL_TEXT, FREEXL_CELL_SST_TEXT, FREEXL_CELL_DATE, FREEXL_CELL_DATETIME, FREEXL_CELL_TIME:
                    text = cell.value.text_value.map { String(cString: $0) } ?? ""
                default: continue
                }
                guard !text.isEmpty else { continue }
                row.columns.append(Int(column))
                row.starts.append(row.bytes.count)
                row.bytes.append(contentsOf: Array(text.utf8))
            }
            if try !handle(row) { return }
        }
    }
}
