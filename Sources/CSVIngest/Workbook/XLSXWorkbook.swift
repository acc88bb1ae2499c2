import Columnar
import Foundation
import CCRC32
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
            throw PingchaError.notXLSX(path)
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
        // The message names the file itself; no row or cell is to blame.
        PingchaError.damagedPart(path, part: part)
    }

    private mutating func readWorkbook() throws {
        guard let workbook = try part("xl/workbook.xml") else {
            throw PingchaError.noWorkbookPart(path)
        }
        var relations: [String: String] = [:]
        if let rels = try part("xl/_rels/workbook.xml.rels") {
            var scanner = XMLScanner()
            rels.withUnsafeBytes { bytes in
                _ = scanner.feed(bytes, final: true) { event in
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
            _ = scanner.feed(bytes, final: true) { event in
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
            throw PingchaError.noSheet(in: path)
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
            _ = scanner.feed(bytes, final: true) { event in
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
            _ = scanner.feed(bytes, final: true) { event in
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
        throw PingchaError.unknownSheet(selector, in: path, names: names)
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

        func string(_ index: Int) -> String {
            let end = index + 1 < starts.count ? starts[index + 1] : bytes.count
            return String(decoding: bytes[starts[index]..<end], as: UTF8.self)
        }
    }

    /// Streams the rows of sheet `index` to `handle` (which returns false to stop); cells hold
    /// their text as the loader reads text: numbers in their shortest form, dates as
    /// `2024-06-18` (or with the time), booleans as `true`/`false`, shared and inline strings as written.
    /// `progress` is told the part's bytes scanned so far and its size, as a CSV load tells its bytes.
    func rows(sheet index: Int, progress: ((Int, Int) -> Void)? = nil, _ handle: (Row) throws -> Bool) throws {
        try withoutActuallyEscaping(handle) { handle in try streamRows(sheet: index, progress: progress, handle) }
    }

    private func streamRows(sheet index: Int, progress: ((Int, Int) -> Void)?, _ handle: @escaping (Row) throws -> Bool) throws {
        let part = sheets[index].part
        guard let entry = archive[part] else { throw damaged(part) }
        var parser = SheetParser(cells: CellDecoder(sharedStrings: sharedStrings, dateStyles: dateStyles, date1904: date1904))
        // The part is inflated on another thread while this one scans it (inflating was a fifth
        // of a large sheet's load), a few megabytes apart at most.
        let chunks = ChunkPipe(capacity: 4)
        let source = ArchiveBox(archive: archive, entry: entry)
        let inflating = DispatchGroup()
        DispatchQueue.global().async(group: inflating) {
            // The entry's CRC-32 is checked with zlib's (ZIPFoundation's own, byte by byte,
            // took a quarter of a 1M-row sheet's load); a part read to its end must match it.
            var crc = crc32(0, nil, 0)
            do {
                _ = try source.archive.extract(source.entry, bufferSize: 1 << 20, skipCRC32: true) { data in
                    data.withUnsafeBytes { crc = crc32(crc, $0.baseAddress?.assumingMemoryBound(to: UInt8.self), uInt($0.count)) }
                    guard chunks.put(data) else { throw CancellationError() }
                }
                chunks.finish(intact: UInt32(truncatingIfNeeded: crc) == source.entry.checksum)
            } catch {
                chunks.finish(intact: false)
            }
        }
        defer {
            chunks.cancel()
            inflating.wait()
        }
        // A read that stops early (an error in a row, or all rows wanted found) still reads the
        // part to its end: damage that inflates to garbage shows only in the CRC, and must be
        // named as damage, not as a bad cell.
        func drain() throws {
            while chunks.take() != nil {}
            guard chunks.intact else { throw damaged(part) }
        }
        var scanned = 0
        let size = Int(entry.uncompressedSize)
        while let data = chunks.take() {
            scanned += data.count
            progress?(scanned, size)
            let going: Bool
            do {
                going = try data.withUnsafeBytes { try parser.feed($0, final: false, handle) }
            } catch {
                try drain()
                throw error
            }
            if !going {
                try drain()
                return
            }
        }
        guard chunks.intact else { throw damaged(part) }
        _ = try parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), final: true, handle)
    }

    /// The archive and the entry handed to the inflating thread (used by it alone meanwhile).
    private struct ArchiveBox: @unchecked Sendable {
        let archive: Archive
        let entry: Entry
    }

    /// Chunks from the inflating thread to the scanning one, at most `capacity` waiting.
    private final class ChunkPipe: @unchecked Sendable {
        private let lock = NSLock()
        private var waiting: [Data] = []
        private var finished = false
        private var cancelled = false
        private(set) var intact = false
        private let filled = DispatchSemaphore(value: 0)
        private let space: DispatchSemaphore

        init(capacity: Int) { space = DispatchSemaphore(value: capacity) }

        /// Adds a chunk; false when the reader has gone (the inflating stops).
        func put(_ data: Data) -> Bool {
            space.wait()
            lock.lock()
            defer { lock.unlock() }
            guard !cancelled else {
                space.signal()
                return false
            }
            waiting.append(data)
            filled.signal()
            return true
        }

        func finish(intact: Bool) {
            lock.lock()
            self.intact = intact
            finished = true
            lock.unlock()
            filled.signal()
        }

        /// The next chunk, or nil at the end of the part (or when it failed).
        func take() -> Data? {
            filled.wait()
            lock.lock()
            defer { lock.unlock() }
            guard !waiting.isEmpty else {
                filled.signal()  // the end stays visible to any later call
                return nil
            }
            space.signal()
            return waiting.removeFirst()
        }

        /// The reader stops early: wakes the inflating thread so that it stops too.
        func cancel() {
            lock.lock()
            cancelled = true
            lock.unlock()
            space.signal()
        }
    }

    enum CellType {
        case number, shared, inline, boolean, error, string, date

        init(attribute: UnsafeRawBufferPointer) {
            if XMLScanner.equals(attribute, "s") { self = .shared }
            else if XMLScanner.equals(attribute, "inlineStr") { self = .inline }
            else if XMLScanner.equals(attribute, "b") { self = .boolean }
            else if XMLScanner.equals(attribute, "e") { self = .error }
            else if XMLScanner.equals(attribute, "str") { self = .string }
            else if XMLScanner.equals(attribute, "d") { self = .date }
            else { self = .number }
        }
    }

    /// A cell's reference column, type and style, read in one pass over its attributes (a
    /// sheet of a million rows has tens of millions of cells).
    static func cellAttributes(_ attributes: UnsafeRawBufferPointer) -> (column: Int?, type: CellType, style: Int) {
        var column: Int?
        var type = CellType.number
        var style = 0
        var index = 0
        let count = attributes.count
        while index < count {
            while index < count && XMLScanner.isSpace(attributes[index]) { index += 1 }
            let nameStart = index
            while index < count && attributes[index] != 0x3D && !XMLScanner.isSpace(attributes[index]) { index += 1 }
            let nameLength = index - nameStart
            while index < count && (XMLScanner.isSpace(attributes[index]) || attributes[index] == 0x3D) { index += 1 }
            guard index < count else { break }
            let quote = attributes[index]
            let valueStart = index + 1
            index = valueStart
            while index < count && attributes[index] != quote { index += 1 }
            let value = UnsafeRawBufferPointer(rebasing: attributes[valueStart..<min(index, count)])
            index += 1
            guard nameLength == 1 else { continue }
            switch attributes[nameStart] {
            case 0x72: column = Self.column(ofReference: value)  // r
            case 0x74: type = CellType(attribute: value)  // t
            case 0x73: style = Self.integer(value) ?? 0  // s
            default: break
            }
        }
        return (column, type, style)
    }

    /// A non-negative decimal integer written in ASCII digits.
    static func integer(_ bytes: some Collection<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count < 19 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// The 0-based column of a reference such as `C17`; nil past Excel's last column (XFD,
    /// 16,384 columns), so that a damaged reference cannot ask for millions of empty fields.
    static func column(ofReference reference: UnsafeRawBufferPointer) -> Int? {
        var column = 0
        var letters = 0
        for byte in reference {
            guard byte >= 0x41 && byte <= 0x5A else { break }
            letters += 1
            guard letters <= 3 else { return nil }
            column = column * 26 + Int(byte - 0x40)
        }
        return letters > 0 && column <= 16_384 ? column - 1 : nil
    }

    /// Turns a cell's raw value into the text the loader reads.
    struct CellDecoder {
        /// The shared strings back to back, and where each starts (one more entry: the end).
        let arena: [UInt8]
        let offsets: [Int]
        let dateStyles: [Bool]
        let date1904: Bool

        init(sharedStrings: [[UInt8]], dateStyles: [Bool], date1904: Bool) {
            var arena: [UInt8] = []
            var offsets = [0]
            offsets.reserveCapacity(sharedStrings.count + 1)
            for string in sharedStrings {
                arena.append(contentsOf: string)
                offsets.append(arena.count)
            }
            (self.arena, self.offsets, self.dateStyles, self.date1904) = (arena, offsets, dateStyles, date1904)
        }

        func append(column: Int, type: CellType, style: Int, raw: [UInt8], to row: inout Row) {
            let start = row.bytes.count
            switch type {
            case .shared:
                guard let index = XLSXWorkbook.integer(raw), index + 1 < offsets.count else { return }
                row.bytes.append(contentsOf: arena[offsets[index]..<offsets[index + 1]])
            case .inline, .string, .error:
                row.bytes.append(contentsOf: raw)
            case .boolean:
                row.bytes.append(contentsOf: (raw == [0x31] ? "true" : "false").utf8)
            case .date:
                let iso = String(decoding: raw, as: UTF8.self)
                row.bytes.append(contentsOf: (iso.hasSuffix("T00:00:00") ? String(iso.prefix(10)) : iso.replacingOccurrences(of: "T", with: " ")).utf8)
            case .number:
                let isDate = dateStyles.indices.contains(style) && dateStyles[style]
                // A whole number is already written as the loader reads it.
                if !isDate, raw.count < 16, XLSXWorkbook.integer(raw.first == 0x2D ? raw.dropFirst() : raw[...]) != nil {
                    row.bytes.append(contentsOf: raw)
                    break
                }
                guard !raw.isEmpty, let number = raw.withUnsafeBytes({ XLSXWorkbook.double($0) }) else {
                    row.bytes.append(contentsOf: raw)
                    break
                }
                // Excel's dates run from serial 0 to 2,958,465 (9999-12-31); a number outside
                // that in a date style is no date, and stays a number (the fuzzer's 1e300 trapped).
                if isDate && number >= 0 && number < 2_958_466 {
                    XLSXWorkbook.appendDate(serial: number, date1904: date1904, to: &row.bytes)
                } else if number == number.rounded(), abs(number) < 9_007_199_254_740_992 {
                    row.bytes.append(contentsOf: String(Int64(number)).utf8)
                } else {
                    row.bytes.append(contentsOf: Value.formatDouble(number).utf8)
                }
            }
            guard row.bytes.count > start else { return }
            row.columns.append(column)
            row.starts.append(start)
        }
    }

    /// A number written in the sheet (`84.599999999999994`, `1.5E-3`), read with strtod.
    static func double(_ bytes: UnsafeRawBufferPointer) -> Double? {
        guard bytes.count < 64 else { return Double(String(decoding: bytes, as: UTF8.self)) }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer -> Double? in
            for (index, byte) in bytes.enumerated() { buffer[index] = CChar(bitPattern: byte) }
            buffer[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            guard let end, end == buffer.baseAddress! + bytes.count, bytes.count > 0 else { return nil }
            return value
        }
    }

    /// `dateText`'s text written straight into `bytes` for the common case, a date with no time.
    static func appendDate(serial: Double, date1904: Bool, to bytes: inout [UInt8]) {
        let day = Int(serial.rounded(.down))
        guard serial == Double(day), date1904 || day >= 61 else {
            bytes.append(contentsOf: dateText(serial: serial, date1904: date1904).utf8)
            return
        }
        let (year, month, dayOfMonth) = CivilDate.components(days: Int32(date1904 ? day - 24_107 : day - 25_569))
        guard (1000...9999).contains(year) else {
            bytes.append(contentsOf: dateText(serial: serial, date1904: date1904).utf8)
            return
        }
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(0x30 + value / divisor % 10))
                divisor /= 10
            }
        }
        digits(year, 4)
        bytes.append(0x2D)
        digits(month, 2)
        bytes.append(0x2D)
        digits(dayOfMonth, 2)
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
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let time = two(seconds / 3600) + ":" + two(seconds / 60 % 60) + ":" + two(seconds % 60)
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
