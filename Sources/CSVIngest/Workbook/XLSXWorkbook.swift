import Columnar
import Foundation
import ZIPFoundation

/// An `.xlsx` workbook opened for reading its sheets as rows of cell texts: the sheet list,
/// the shared strings, which cell styles are dates, and the date system (1900 or 1904).
/// A sheet is streamed out of the archive and scanned as it comes (`rows`), never held whole.
struct XLSXWorkbook {
    let path: String
    private let archive: Archive
    /// Sheet names and their parts in the archive, in workbook order.
    private(set) var sheets: [(name: String, part: String)] = []
    private var date1904 = false
    private var sharedStrings: [[UInt8]] = []
    /// Per cell style (`s`): a date or time format.
    private var dateStyles: [Bool] = []

    init(path: String) throws {
        self.path = path
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw PingchaError(.data, zh: "\(path) 不是有效的 xlsx 工作簿（无法作为 zip 打开）。", en: "\(path) is not a valid xlsx workbook (it does not open as a zip archive).",
                               at: SourceLocation(path: path, line: 1))
        }
        try readWorkbook()
        sharedStrings = try readSharedStrings()
        dateStyles = try readStyles()
    }

    private func part(_ name: String) throws -> [UInt8]? {
        guard let entry = archive[name] else { return nil }
        var bytes: [UInt8] = []
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 20, skipCRC32: false) { data in bytes.append(contentsOf: data) }
        } catch {
            throw damaged(name)
        }
        return bytes
    }

    private func damaged(_ part: String) -> PingchaError {
        PingchaError(.data, zh: "\(path) 已损坏：无法解压其中的 \(part)。", en: "\(path) is damaged: its part \(part) does not decompress.",
                     at: SourceLocation(path: path, line: 1))
    }

    private mutating func readWorkbook() throws {
        guard let workbook = try part("xl/workbook.xml") else {
            throw PingchaError(.data, zh: "\(path) 中没有 xl/workbook.xml，不是 Excel 工作簿。", en: "\(path) has no xl/workbook.xml: not an Excel workbook.",
                               at: SourceLocation(path: path, line: 1))
        }
        var relations: [String: String] = [:]
        if let rels = try part("xl/_rels/workbook.xml.rels") {
            var scanner = XMLScanner()
            rels.withUnsafeBytes { bytes in
                scanner.feed(bytes, final: true) { event in
                    if case .start(let name, let attributes, _) = event, XMLScanner.equals(name, "Relationship"),
                       let id = XMLScanner.attribute("Id", in: attributes), let target = XMLScanner.attribute("Target", in: attributes) {
                        relations[XMLScanner.decodedString(id)] = XMLScanner.decodedString(target)
                    }
                    return true
                }
            }
        }
        var found: [(String, String)] = []
        var scanner = XMLScanner()
        var uses1904 = false
        workbook.withUnsafeBytes { bytes in
            scanner.feed(bytes, final: true) { event in
                guard case .start(let name, let attributes, _) = event else { return true }
                if XMLScanner.equals(name, "workbookPr"), let value = XMLScanner.attribute("date1904", in: attributes) {
                    uses1904 = XMLScanner.equals(value, "1") || XMLScanner.equals(value, "true")
                } else if XMLScanner.equals(name, "sheet"), let sheetName = XMLScanner.attribute("name", in: attributes),
                          let id = XMLScanner.attribute("r:id", in: attributes) {
                    let target = relations[XMLScanner.decodedString(id)] ?? ""
                    let part = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
                    found.append((XMLScanner.decodedString(sheetName), part))
                }
                return true
            }
        }
        date1904 = uses1904
        sheets = found
        guard !sheets.isEmpty else {
            throw PingchaError(.data, zh: "\(path) 中没有工作表。", en: "\(path) holds no sheet.", at: SourceLocation(path: path, line: 1))
        }
    }

    /// The shared strings: plain `<t>` and rich-text runs, without phonetic guides (`<rPh>`).
    private func readSharedStrings() throws -> [[UInt8]] {
        guard let table = try part("xl/sharedStrings.xml") else { return [] }
        var strings: [[UInt8]] = []
        var current: [UInt8] = []
        var inText = false, phonetic = 0
        var scanner = XMLScanner()
        table.withUnsafeBytes { bytes in
            scanner.feed(bytes, final: true) { event in
                switch event {
                case .start(let name, _, let selfClosing):
                    if XMLScanner.equals(name, "si") { current = [] }
                    else if XMLScanner.equals(name, "t") { inText = !selfClosing }
                    else if XMLScanner.equals(name, "rPh") { phonetic += 1 }
                    if XMLScanner.equals(name, "si") && selfClosing { strings.append([]) }
                case .end(let name):
                    if XMLScanner.equals(name, "si") { strings.append(current) }
                    else if XMLScanner.equals(name, "t") { inText = false }
                    else if XMLScanner.equals(name, "rPh") { phonetic -= 1 }
                case .text(let text):
                    if inText && phonetic == 0 { XMLScanner.decode(text, into: &current) }
                }
                return true
            }
        }
        return strings
    }

    /// Which cell styles (`cellXfs` entries) show a date or a time.
    private func readStyles() throws -> [Bool] {
        guard let styles = try part("xl/styles.xml") else { return [] }
        var customFormats: [Int: String] = [:]
        var formats: [Int] = []
        var inCellXfs = false
        var scanner = XMLScanner()
        styles.withUnsafeBytes { bytes in
            scanner.feed(bytes, final: true) { event in
                switch event {
                case .start(let name, let attributes, let selfClosing):
                    if XMLScanner.equals(name, "numFmt"), let id = XMLScanner.attribute("numFmtId", in: attributes),
                       let code = XMLScanner.attribute("formatCode", in: attributes), let number = Int(XMLScanner.decodedString(id)) {
                        customFormats[number] = XMLScanner.decodedString(code)
                    } else if XMLScanner.equals(name, "cellXfs") {
                        inCellXfs = !selfClosing
                    } else if inCellXfs, XMLScanner.equals(name, "xf") {
                        formats.append(XMLScanner.attribute("numFmtId", in: attributes).flatMap { Int(XMLScanner.decodedString($0)) } ?? 0)
                    }
                case .end(let name):
                    if XMLScanner.equals(name, "cellXfs") { inCellXfs = false }
                case .text:
                    break
                }
                return true
            }
        }
        return formats.map { Self.isDateFormat(id: $0, code: customFormats[$0]) }
    }

    /// Excel's built-in date and time formats (14–22, 45–47, and the CJK ones 27–36, 50–58), or
    /// a custom code with a y, m, d, h or s outside quotes, brackets and escapes.
    static func isDateFormat(id: Int, code: String?) -> Bool {
        if (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id) { return true }
        guard let code else { return false }
        var inQuote = false, inBracket = false, escaped = false
        for character in code.lowercased() {
            if escaped { escaped = false; continue }
            switch character {
            case "\\": escaped = true
            case "\"": inQuote.toggle()
            case "[": if !inQuote { inBracket = true }
            case "]": if !inQuote { inBracket = false }
            case "y", "m", "d", "h", "s": if !inQuote && !inBracket { return true }
            default: break
            }
        }
        return false
    }

    /// The sheet `selector` names: its name, else its 1-based position; the first when nil.
    func sheetIndex(_ selector: String?) throws -> Int {
        guard let selector else { return 0 }
        if let index = sheets.firstIndex(where: { $0.name == selector }) { return index }
        if let number = Int(selector), (1...sheets.count).contains(number) { return number - 1 }
        let names = sheets.map(\.name)
        throw PingchaError(.usage, zh: "\(path) 中没有工作表「\(selector)」；有：\(names.joined(separator: "、"))（也可用序号 1–\(sheets.count)）。",
                           en: "\(path) has no sheet '\(selector)'; it has: \(names.joined(separator: ", ")) (or give its number, 1–\(sheets.count)).")
    }

    // MARK: rows

    /// One row of a sheet: its number, and its non-empty cells' 0-based columns and texts.
    struct Row {
        var number = 0
        var columns: [Int] = []
        var starts: [Int] = []
        var bytes: [UInt8] = []

        mutating func reset(number: Int) {
            self.number = number
            columns.removeAll(keepingCapacity: true)
            starts.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
        }

        var count: Int { columns.count }

        func text(_ index: Int) -> UnsafeRawBufferPointer.SubSequence {
            bytes.withUnsafeBytes { $0[starts[index]..<(index + 1 < starts.count ? starts[index + 1] : bytes.count)] }
        }

        func string(_ index: Int) -> String {
            let end = index + 1 < starts.count ? starts[index + 1] : bytes.count
            return String(decoding: bytes[starts[index]..<end], as: UTF8.self)
        }
    }

    /// Streams the rows of sheet `index` to `handle` (which returns false to stop); cells hold
    /// their text as the loader reads text: numbers in their shortest form, dates as
    /// `2024-06-18` (or with the time), booleans as `true`/`false`, shared and inline strings as written.
    func rows(sheet index: Int, _ handle: (Row) throws -> Bool) throws {
        try withoutActuallyEscaping(handle) { handle in try streamRows(sheet: index, handle) }
    }

    private func streamRows(sheet index: Int, _ handle: @escaping (Row) throws -> Bool) throws {
        let part = sheets[index].part
        guard let entry = archive[part] else { throw damaged(part) }
        var scanner = XMLScanner()
        var row = Row()
        var inRow = false
        var cellColumn = 0, nextColumn = 0
        var cellType: CellType = .number
        var cellStyle = 0
        var value: [UInt8] = []
        var inValue = false, inInlineText = false
        var stopped = false
        var failure: Error?
        let handleEvent = { (event: XMLScanner.Event) -> Bool in
            switch event {
            case .start(let name, let attributes, let selfClosing):
                if XMLScanner.equals(name, "row") {
                    let number = XMLScanner.attribute("r", in: attributes).flatMap { Int(XMLScanner.decodedString($0)) } ?? (row.number + 1)
                    row.reset(number: number)
                    nextColumn = 0
                    inRow = true
                    if selfClosing {
                        inRow = false
                        do { if try !handle(row) { stopped = true; return false } } catch { failure = error; return false }
                    }
                } else if XMLScanner.equals(name, "c") {
                    cellColumn = XMLScanner.attribute("r", in: attributes).flatMap(Self.column(ofReference:)) ?? nextColumn
                    nextColumn = cellColumn + 1
                    cellType = XMLScanner.attribute("t", in: attributes).map(CellType.init(attribute:)) ?? .number
                    cellStyle = XMLScanner.attribute("s", in: attributes).flatMap { Int(XMLScanner.decodedString($0)) } ?? 0
                    value.removeAll(keepingCapacity: true)
                } else if XMLScanner.equals(name, "v") {
                    inValue = !selfClosing
                } else if XMLScanner.equals(name, "t"), cellType == .inline {
                    inInlineText = !selfClosing
                }
            case .end(let name):
                if XMLScanner.equals(name, "v") {
                    inValue = false
                } else if XMLScanner.equals(name, "t") {
                    inInlineText = false
                } else if XMLScanner.equals(name, "c") {
                    self.appendCell(column: cellColumn, type: cellType, style: cellStyle, raw: value, to: &row)
                } else if XMLScanner.equals(name, "row"), inRow {
                    inRow = false
                    do { if try !handle(row) { stopped = true; return false } } catch { failure = error; return false }
                }
            case .text(let text):
                if inValue || inInlineText { XMLScanner.decode(text, into: &value) }
            }
            return true
        }
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 20, skipCRC32: false) { data in
                guard !stopped, failure == nil else { return }
                data.withUnsafeBytes { bytes in _ = scanner.feed(bytes, handleEvent) }
            }
        } catch {
            if failure == nil { throw damaged(part) }
        }
        if let failure { throw failure }
        if !stopped { scanner.feed(UnsafeRawBufferPointer(start: nil, count: 0), final: true, handleEvent) }
        if let failure { throw failure }
    }

    enum CellType {
        case number, shared, inline, boolean, error, string, date

        init(attribute: UnsafeRawBufferPointer) {
            switch String(decoding: attribute, as: UTF8.self) {
            case "s": self = .shared
            case "inlineStr": self = .inline
            case "b": self = .boolean
            case "e": self = .error
            case "str": self = .string
            case "d": self = .date
            default: self = .number
            }
        }
    }

    /// The 0-based column of a reference such as `C17`.
    static func column(ofReference reference: UnsafeRawBufferPointer) -> Int? {
        var column = 0
        var letters = 0
        for byte in reference {
            guard byte >= 0x41 && byte <= 0x5A else { break }
            column = column * 26 + Int(byte - 0x40)
            letters += 1
        }
        return letters > 0 ? column - 1 : nil
    }

    /// The letters of a 0-based column (0 → A, 26 → AA).
    static func letters(ofColumn column: Int) -> String {
        var number = column + 1
        var result = ""
        while number > 0 {
            let remainder = (number - 1) % 26
            result = String(UnicodeScalar(UInt8(65 + remainder))) + result
            number = (number - 1) / 26
        }
        return result
    }

    private func appendCell(column: Int, type: CellType, style: Int, raw: [UInt8], to row: inout Row) {
        var text: [UInt8]
        switch type {
        case .shared:
            guard let index = Int(String(decoding: raw, as: UTF8.self)), sharedStrings.indices.contains(index) else { return }
            text = sharedStrings[index]
        case .inline, .string, .error:
            text = raw
        case .boolean:
            text = Array((raw == [0x31] ? "true" : "false").utf8)
        case .date:
            let iso = String(decoding: raw, as: UTF8.self)
            text = Array((iso.hasSuffix("T00:00:00") ? String(iso.prefix(10)) : iso.replacingOccurrences(of: "T", with: " ")).utf8)
        case .number:
            guard !raw.isEmpty, let number = Double(String(decoding: raw, as: UTF8.self)) else { text = raw; break }
            if dateStyles.indices.contains(style) && dateStyles[style] {
                text = Array(Self.dateText(serial: number, date1904: date1904).utf8)
            } else if number == number.rounded(), abs(number) < 9_007_199_254_740_992 {
                text = Array(String(Int64(number)).utf8)
            } else {
                text = Array(Value.formatDouble(number).utf8)
            }
        }
        guard !text.isEmpty else { return }
        row.columns.append(column)
        row.starts.append(row.bytes.count)
        row.bytes.append(contentsOf: text)
    }

    /// A date serial as text: `2024-06-18`, or `2024-06-18 08:30:00` with a time of day, or
    /// `08:30:00` for a time alone. In the 1900 system serial 60 is Excel's 1900-02-29, a day
    /// that never was; it is written as such, and the loader refuses it as a date.
    static func dateText(serial: Double, date1904: Bool) -> String {
        var day = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(day)) * 86_400).rounded())
        if seconds >= 86_400 {
            day += 1
            seconds -= 86_400
        }
        let time = String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        if !date1904 && day == 0 { return time }
        if !date1904 && day == 60 { return "1900-02-29" + (seconds > 0 ? " " + time : "") }
        let daysSince1970: Int
        if date1904 {
            daysSince1970 = day - 24_107
        } else {
            daysSince1970 = day < 60 ? day - 25_568 : day - 25_569
        }
        let date = CivilDate.isoString(days: Int32(daysSince1970))
        return seconds > 0 ? date + " " + time : date
    }
}
