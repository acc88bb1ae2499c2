@testable import CSVIngest

/// Random bytes as a worksheet part (`xl/worksheets/sheet1.xml`): the sheet scanner must not
/// crash, and must give the same rows whether the bytes come in one chunk or cut in three
/// (at places taken from the input), as the archive's inflater hands them over.
public func fuzzSheet(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let cells = XLSXWorkbook.CellDecoder(sharedStrings: [Array("零".utf8), Array("一".utf8)], dateStyles: [false, true, false],
                                         date1904: size % 2 == 1)
    func rows(cuts: [Int]) -> [String] {
        var parser = SheetParser(cells: cells)
        var seen: [String] = []
        let emit = { (row: XLSXWorkbook.Row) -> Bool in
            seen.append("\(row.number):" + (0..<row.count).map { "\(row.columns[$0])=\(row.string($0))" }.joined(separator: "\u{1F}"))
            return true
        }
        var start = 0
        for cut in cuts + [size] where cut >= start {
            _ = parser.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<cut]), final: false, emit)
            start = cut
        }
        _ = parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), final: true, emit)
        return seen
    }
    let whole = rows(cuts: [])
    let a = size > 0 ? Int(bytes[0]) % (size + 1) : 0
    let b = size > 1 ? min(size, a + Int(bytes[1]) % (size + 1)) : a
    let split = rows(cuts: [a, b])
    if whole != split {
        fatalError("the sheet scanner gives other rows when the part is cut at \(a) and \(b):\n\(whole)\n---\n\(split)")
    }
    return 0
}
