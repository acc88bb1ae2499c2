import Columnar
import Foundation

/// Loads a sheet of an Excel workbook (`.xlsx`, or `.xls` through libfreexl) into a typed table,
/// through the same column builders, schema checks and rejects as a CSV: each sheet row is a
/// record whose line is its row number, and every message names the sheet and the cell
/// (`roster.xlsx:名册!C17`).
enum WorkbookLoader {
    enum Kind {
        case xlsx, xls
    }

    /// The workbook kind of `path`: by its first bytes (a zip archive, or an OLE2 compound file),
    /// for files named .xlsx, .xlsm or .xls; nil for anything else (read as CSV).
    static func kind(of path: String, firstBytes: UnsafeRawBufferPointer) -> Kind? {
        let lower = path.lowercased()
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") {
            return firstBytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) ? .xlsx : nil
        }
        if lower.hasSuffix(".xls") {
            return firstBytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) ? .xls : nil
        }
        return nil
    }

    /// A source of sheet rows: the workbook formats each give one.
    protocol Sheet {
        var name: String { get }
        /// Streams the rows (non-empty cells only) to `handle`, which returns false to stop.
        /// `progress` is told how far the read is, in bytes of the sheet (when the format knows).
        func rows(progress: ((Int, Int) -> Void)?, _ handle: (XLSXWorkbook.Row) throws -> Bool) throws
    }

    struct XLSXSheet: Sheet {
        let workbook: XLSXWorkbook
        let index: Int
        var name: String { workbook.sheets[index].name }
        func rows(progress: ((Int, Int) -> Void)?, _ handle: (XLSXWorkbook.Row) throws -> Bool) throws {
            try workbook.rows(sheet: index, progress: progress, handle)
        }
    }

    static func load(path: String, kind: Kind, sha256: String, options: LoadOptions) throws -> LoadedTable {
        let sheet: any Sheet
        switch kind {
        case .xlsx:
            let workbook = try XLSXWorkbook(path: path)
            sheet = XLSXSheet(workbook: workbook, index: try workbook.sheetIndex(options.sheet))
        case .xls:
            sheet = try XLSSheet(path: path, selector: options.sheet)
        }
        do {
            return try load(sheet, path: path, kind: kind, sha256: sha256, options: options)
        } catch var error as PingchaError {
            if error.location != nil, error.location?.sheet == nil { error.location?.sheet = sheet.name }
            throw error
        }
    }

    private static func load(_ sheet: any Sheet, path: String, kind: Kind, sha256: String, options: LoadOptions) throws -> LoadedTable {
        let state = LoadState(path: path, options: options)
        var tally = ReadTally()
        var titles: [XLSXWorkbook.Row] = []
        var width = 0
        var headerSeen = false
        var fields: [UInt8] = []
        var ends: [Int] = []

        /// Hands a row to the state as a record of `count` fields (empty cells filled in).
        func feed(_ row: XLSXWorkbook.Row, count: Int) {
            fields.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            var cell = 0
            for column in 0..<count {
                if cell < row.count, row.columns[cell] == column {
                    let end = cell + 1 < row.count ? row.starts[cell + 1] : row.bytes.count
                    fields.append(contentsOf: row.bytes[row.starts[cell]..<end])
                    cell += 1
                }
                ends.append(fields.count)
            }
            fields.withUnsafeBufferPointer { base in
                ends.withUnsafeBufferPointer { offsets in
                    let record = RecordView(base: base.baseAddress ?? UnsafePointer(bitPattern: 1)!, ends: offsets.baseAddress!, gap: 0,
                                            fieldCount: count, firstLine: row.number, lastLine: row.number)
                    state.handle(record)
                }
            }
        }

        func takeHeader(_ row: XLSXWorkbook.Row) {
            width = (row.columns.last ?? 0) + 1
            feed(row, count: width)
            headerSeen = true
        }

        var previousRow = 0
        try sheet.rows(progress: options.progress) { row in
            // Rows a sheet leaves out are empty rows, counted as a CSV's blank lines are.
            if headerSeen { tally.blankLines += max(0, row.number - previousRow - 1) }
            previousRow = row.number
            if !headerSeen {
                if let headerRow = options.headerRow {
                    guard row.number >= headerRow else {
                        if row.count > 0 { titles.append(row) }
                        return true
                    }
                    guard row.number == headerRow, row.count > 0 else {
                        // The row named is empty (or absent): the table starts nowhere.
                        throw PingchaError.emptyHeaderRow(headerRow, in: state.path, sheet: sheet.name)
                    }
                    takeHeader(row)
                    return state.firstError == nil
                }
                if row.count == 0 {
                    tally.blankLines += 1
                    return true
                }
                // One-cell rows above the first row of two or more cells are a title (often merged).
                if row.count == 1 {
                    titles.append(row)
                    return true
                }
                takeHeader(row)
                return state.firstError == nil
            }
            if row.count == 0 {
                tally.blankLines += 1
                return true
            }
            feed(row, count: max(width, (row.columns.last ?? 0) + 1))
            return state.firstError == nil || options.collectRejects
        }
        // A sheet of one column: its first one-cell row is the header, the rest are rows.
        if !headerSeen, options.headerRow == nil, let first = titles.first {
            takeHeader(first)
            for row in titles.dropFirst() { feed(row, count: max(width, (row.columns.last ?? 0) + 1)) }
            titles = []
        }
        if let error = state.firstError { throw error }
        guard headerSeen else {
            throw PingchaError.emptySheet(sheet.name, in: state.path)
        }
        var loaded = state.finish(encoding: kind == .xlsx ? .xlsx : .xls, delimiter: 0x2C, sha256: sha256, tally: tally,
                                  text: UnsafeRawBufferPointer(start: nil, count: 0))
        loaded.source.sheet = sheet.name
        loaded.source.titleRows = titles.count
        if !loaded.rejects.isEmpty {
            // The rejected rows' cells, as the rejects file shows a CSV row's text: read again, only those rows.
            var wanted: [Int: [Int]] = [:]
            for (index, reject) in loaded.rejects.enumerated() { wanted[reject.firstLine, default: []].append(index) }
            var remaining = wanted.count
            try sheet.rows(progress: nil) { row in
                if let indexes = wanted[row.number] {
                    let text = (0..<row.count).map { row.string($0) }.joined(separator: ",")
                    for index in indexes { loaded.rejects[index].raw = text }
                    remaining -= 1
                }
                return remaining > 0
            }
        }
        return loaded
    }
}
