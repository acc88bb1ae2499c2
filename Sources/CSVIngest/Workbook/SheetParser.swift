#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The worksheet part's own scanner (`xl/worksheets/sheetN.xml`): a sheet of a million rows is
/// some 500 MB of XML, so the markup is matched in place (`<row>`, `<c>`, `<v>`, `<t>`), with no
/// event values or closures per tag — the general `XMLScanner` spent more time on those than on
/// the bytes. Everything else in the part (formulas, styles, merged cells) is skipped.
struct SheetParser {
    private var carry: [UInt8] = []
    private var row = XLSXWorkbook.Row()
    private var inRow = false
    private var cellColumn = 0
    private var nextColumn = 0
    private var cellType = XLSXWorkbook.CellType.number
    private var cellStyle = 0
    private var value: [UInt8] = []
    private var capturing = false
    private let cells: XLSXWorkbook.CellDecoder

    init(cells: XLSXWorkbook.CellDecoder) {
        self.cells = cells
    }

    /// Feeds a chunk of the part; `emit` gets each finished row and returns false to stop.
    /// Returns false once stopped.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, final: Bool, _ emit: (XLSXWorkbook.Row) throws -> Bool) rethrows -> Bool {
        if carry.isEmpty {
            guard let consumed = try scan(chunk, final: final, emit) else { return false }
            if consumed < chunk.count { carry = Array(chunk[consumed...]) }
            return true
        }
        carry.append(contentsOf: chunk)
        var buffer: [UInt8] = []
        swap(&buffer, &carry)
        let consumed = try buffer.withUnsafeBytes { try scan($0, final: final, emit) }
        guard let consumed else { return false }
        if consumed < buffer.count { carry = Array(buffer[consumed...]) }
        return true
    }

    @inline(__always)
    private static func name(_ tag: UnsafeRawBufferPointer, from start: Int) -> (Int, Int) {
        var end = start
        while end < tag.count {
            let byte = tag[end]
            if byte == 0x20 || byte == 0x2F || byte == 0x09 || byte == 0x0A || byte == 0x0D { break }
            end += 1
        }
        return (start, end)
    }

    @inline(__always)
    private static func isName(_ tag: UnsafeRawBufferPointer, _ range: (Int, Int), _ a: UInt8, _ b: UInt8 = 0, _ c: UInt8 = 0) -> Bool {
        let length = range.1 - range.0
        let expected = c != 0 ? 3 : (b != 0 ? 2 : 1)
        guard length == expected, tag[range.0] == a else { return false }
        if expected >= 2 && tag[range.0 + 1] != b { return false }
        if expected == 3 && tag[range.0 + 2] != c { return false }
        return true
    }

    /// Scans complete markup; returns how far it got, or nil when `emit` asked to stop.
    private mutating func scan(_ bytes: UnsafeRawBufferPointer, final: Bool, _ emit: (XLSXWorkbook.Row) throws -> Bool) rethrows -> Int? {
        guard let base = bytes.baseAddress else { return 0 }
        let count = bytes.count
        var position = 0
        while position < count {
            if bytes[position] != 0x3C {
                let found = memchr(base + position, 0x3C, count - position)
                let end = found.map { base.distance(to: UnsafeRawPointer($0)) } ?? count
                if found == nil && !final { return position }
                if capturing { XMLScanner.decode(UnsafeRawBufferPointer(rebasing: bytes[position..<end]), into: &value) }
                position = end
                continue
            }
            // The tag's end: the next '>' outside quotes.
            var search = position + 1
            var close = -1
            while search < count {
                guard let found = memchr(base + search, 0x3E, count - search) else { break }
                let candidate = base.distance(to: UnsafeRawPointer(found))
                var quotes = 0, apostrophes = 0
                for index in (position + 1)..<candidate {
                    let byte = bytes[index]
                    if byte == 0x22 { quotes += 1 } else if byte == 0x27 { apostrophes += 1 }
                }
                if quotes % 2 == 0 && apostrophes % 2 == 0 {
                    close = candidate
                    break
                }
                search = candidate + 1
            }
            if close < 0 { return final ? count : position }
            let tag = UnsafeRawBufferPointer(rebasing: bytes[(position + 1)..<close])
            position = close + 1
            guard let first = tag.first else { continue }
            if first == 0x2F {  // an end tag
                let range = Self.name(tag, from: 1)
                if Self.isName(tag, range, 0x76) || Self.isName(tag, range, 0x74) {  // </v>, </t>
                    capturing = false
                } else if Self.isName(tag, range, 0x63) {  // </c>
                    cells.append(column: cellColumn, type: cellType, style: cellStyle, raw: value, to: &row)
                    capturing = false
                } else if Self.isName(tag, range, 0x72, 0x6F, 0x77), inRow {  // </row>
                    inRow = false
                    if try !emit(row) { return nil }
                }
                continue
            }
            if first == 0x3F || first == 0x21 { continue }  // <?xml?>, <!-- -->
            let selfClosing = tag.last == 0x2F
            let range = Self.name(tag, from: 0)
            if Self.isName(tag, range, 0x63) {  // <c>
                let attributes = UnsafeRawBufferPointer(rebasing: tag[range.1..<(selfClosing ? tag.count - 1 : tag.count)])
                let cell = XLSXWorkbook.cellAttributes(attributes)
                cellColumn = cell.column ?? nextColumn
                nextColumn = cellColumn + 1
                cellType = cell.type
                cellStyle = cell.style
                value.removeAll(keepingCapacity: true)
            } else if Self.isName(tag, range, 0x76) {  // <v>
                capturing = !selfClosing
            } else if Self.isName(tag, range, 0x74) {  // <t>, the text of an inline string
                capturing = !selfClosing && cellType == .inline
            } else if Self.isName(tag, range, 0x72, 0x6F, 0x77) {  // <row>
                let attributes = UnsafeRawBufferPointer(rebasing: tag[range.1..<(selfClosing ? tag.count - 1 : tag.count)])
                let number = XMLScanner.attribute("r", in: attributes).flatMap { XLSXWorkbook.integer($0) } ?? (row.number + 1)
                row.reset(number: number)
                nextColumn = 0
                inRow = !selfClosing
                if selfClosing, try !emit(row) { return nil }
            }
        }
        return position
    }
}
