@testable import CSVIngest
import Columnar
import Foundation
import PingchaTestSupport
import Testing

/// Text columns with more distinct strings than the processor's caches hold: their cells are
/// hashed, copied aside and coded a few cells later (`ColumnBuilder.commitText`), and the chunks'
/// dictionaries are merged by `TextDictionary.absorb`. The codes must be exactly those of coding
/// every cell in turn, checked here against Swift's own `Dictionary`.
struct BigDictionaryTests {
    /// `rows` ids, some repeated, some empty, some longer than a waiting cell's room, some quoted
    /// with a doubled quote (the parser unescapes those into a buffer of its own).
    private func cells(rows: Int) -> [String] {
        var generator = SplitMix64(seed: 20261130)
        var cells: [String] = []
        cells.reserveCapacity(rows)
        for row in 0..<rows {
            let draw = generator.next() % 100
            switch draw {
            case 0..<60: cells.append("J\(row)")                                   // new
            case 60..<85: cells.append("J\(generator.next() % UInt64(row + 1))")    // earlier (or itself)
            case 85..<90: cells.append("")                                           // empty
            case 90..<95: cells.append(String(repeating: "长", count: 50) + "\(row)") // 150+ bytes
            default: cells.append("q\"\(row % 5000)")                                // quoted, doubled quote
            }
        }
        return cells
    }

    private func csv(_ cells: [String]) -> String {
        var text = "编号,序号\n"
        for (row, cell) in cells.enumerated() {
            text += cell.contains("\"") ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
            text += ",\(row)\n"
        }
        return text
    }

    /// Codes in order of first appearance, as a reference built with `Dictionary`.
    private func expected(_ cells: [String]) -> (codes: [UInt32], strings: [String]) {
        var index: [String: UInt32] = [:]
        var strings: [String] = []
        var codes: [UInt32] = []
        for cell in cells {
            if cell.isEmpty { codes.append(0); continue }
            if let code = index[cell] {
                codes.append(code)
            } else {
                index[cell] = UInt32(strings.count)
                codes.append(UInt32(strings.count))
                strings.append(cell)
            }
        }
        return (codes, strings)
    }

    @Test func manyDistinctIdsAreCodedInOrderOfFirstAppearance() throws {
        let cells = cells(rows: 300_000)
        let path = Fixtures.write(csv(cells), name: "big-dictionary.csv")
        let reference = expected(cells)
        #expect(reference.strings.count > 2 * WaitingText.minimumStrings)  // the waiting path is taken
        for (threads, chunkBytes) in [(1, nil), (2, nil), (2, 1 << 20)] as [(Int, Int?)] {
            let loaded = try TestFiles.load(path, threads: threads, chunkBytes: chunkBytes)
            let column = try #require(loaded.table.columns.first)
            guard case .text(let codes, let dictionary) = column.storage else {
                Issue.record("编号 should be text")
                continue
            }
            // The first row (and string) that differs, so that a failure prints one place, not 300,000.
            let codeRows = codes.elements
            #expect(codeRows.count == reference.codes.count)
            #expect(zip(codeRows, reference.codes).enumerated().first { $0.element.0 != $0.element.1 }?.offset == nil, "codes, threads \(threads), chunk \(chunkBytes ?? 0)")
            let strings = dictionary.strings
            #expect(strings.count == reference.strings.count)
            #expect(zip(strings, reference.strings).enumerated().first { $0.element.0 != $0.element.1 }?.offset == nil, "strings, threads \(threads), chunk \(chunkBytes ?? 0)")
            let validity = try #require(column.validity)
            #expect((0..<cells.count).filter { !validity[$0] } == cells.indices.filter { cells[$0].isEmpty })
            // The table was placed right: every string is found under its code.
            var indexed = dictionary
            indexed.ensureIndexed()
            #expect(reference.strings.indices.allSatisfy { indexed.lookup(reference.strings[$0]) == UInt32($0) })
        }
    }

    /// A builder fed `rows` distinct ids of one width, `prefix1000000`, `prefix1000001`, … (as
    /// an export's case numbers are), as a load's chunk feeds it.
    private func builder(ids rows: Int, prefix: String, roomForRows: Int = 0) -> ColumnBuilder {
        let builder = ColumnBuilder(kind: .declared(.text), spec: nil, expectedRows: rows, roomForRows: roomForRows)
        for row in 0..<rows {
            var cell = "\(prefix)\(1_000_000 + row)"
            cell.withUTF8 { bytes in
                let raw = UnsafeRawBufferPointer(bytes)
                #expect(builder.stage(raw) == nil)
                builder.commit(raw)
            }
        }
        return builder
    }

    /// Where the builder's codes and its dictionary's strings lie in memory.
    private func places(of builder: ColumnBuilder) -> (codes: UnsafeRawPointer?, strings: UnsafeRawPointer?) {
        (builder.codes.withUnsafeBytes { $0.baseAddress }, builder.dictionary.withBytes(at: 0) { $0.baseAddress })
    }

    /// The first chunk's builders make room for the whole file (`roomForRows`), so that the
    /// merge of the other chunks' rows appends in place: a column of ids is not copied into
    /// bigger arrays, its strings neither. The merged codes and strings are those of coding
    /// every cell in turn.
    @Test func aFirstChunkWithRoomForTheFileTakesTheOthersInPlace() {
        let rows = 3 * WaitingText.minimumStrings  // big enough for the dictionary's projection
        for room in [2 * rows, 0] {
            let first = builder(ids: rows, prefix: "A", roomForRows: room)
            let before = places(of: first)
            first.append(contentsOf: [builder(ids: rows, prefix: "B")])
            let after = places(of: first)
            if room > 0 {
                #expect(after.codes == before.codes && after.strings == before.strings, "appended in place")
            } else {
                // Without the room, the same merge moves both: what the room saves.
                #expect(after.codes != before.codes && after.strings != before.strings, "moved without room")
            }
            let (storage, _) = first.finish()
            guard case .text(let codes, let dictionary) = storage else {
                Issue.record("the column should be text")
                continue
            }
            #expect(codes.elements == (0..<UInt32(2 * rows)).map { $0 })
            #expect(dictionary.count == 2 * rows)
            #expect(dictionary.string(at: 0) == "A1000000" && dictionary.string(at: UInt32(rows - 1)) == "A1196607")
            #expect(dictionary.string(at: UInt32(rows)) == "B1000000" && dictionary.string(at: UInt32(2 * rows - 1)) == "B1196607")
        }
    }

    @Test func absorbTranslatesAsCodingEachStringInTurn() {
        // 100,000 strings each side, 30,000 shared, shared ones scattered through the other.
        var mine = TextDictionary()
        for n in 0..<100_000 { _ = mine.code(for: "m\(n)") }
        var theirs = TextDictionary()
        var theirStrings: [String] = []
        for n in 0..<100_000 {
            let string = n % 10 < 3 ? "m\(n * 7 % 100_000)" : "t\(n)"
            if theirs.lookup(string) == nil { theirStrings.append(string) }
            _ = theirs.code(for: string)
        }
        var serial = mine
        let expectedTranslation = theirStrings.map { serial.code(for: $0) }
        let translation = mine.absorb(theirs)
        #expect(translation == expectedTranslation)
        #expect(mine.strings == serial.strings)
        #expect(mine.count == 100_000 + 70_000)
        #expect(translation[0] == 0 && translation[1] == 7 && translation[3] == 100_000)  // "m0", "m7" shared; "t3" the first new one
        let merged = mine.strings
        #expect(merged.indices.allSatisfy { mine.lookup(merged[$0]) == UInt32($0) })
        // The last merge of a load may leave a big dictionary without its table: the codes are
        // the same, and the first insert rebuilds the table from the hashes kept.
        var fresh = TextDictionary()
        for n in 0..<100_000 { _ = fresh.code(for: "m\(n)") }
        #expect(fresh.absorb(theirs, keepIndex: false) == expectedTranslation)
        #expect(fresh.storedHash(of: 0) == nil)  // no table now
        #expect(fresh.code(for: "t3") == 100_000 && fresh.code(for: "new") == 170_000)
        #expect(merged.indices.allSatisfy { fresh.lookup(merged[$0]) == UInt32($0) })
        // Absorbing again adds nothing.
        #expect(mine.absorb(theirs) == expectedTranslation)
        #expect(mine.count == 170_000)
    }

    /// Strings of every length up to 70 bytes (the inline comparison takes up to 64, eight bytes
    /// at a time), and the same with one byte changed at the start, middle or end: each distinct
    /// string gets its own code, and a string seen again gets its first code.
    @Test func stringsDifferingInOneByteKeepTheirOwnCodes() {
        var dictionary = TextDictionary()
        var reference: [[UInt8]: UInt32] = [:]
        for round in 0..<2 {
            for length in 1...70 {
                for position in [-1, 0, length / 2, length - 1] {
                    var bytes = [UInt8](repeating: 0x61, count: length)
                    if position >= 0 { bytes[position] = 0x62 }
                    let code = bytes.withUnsafeBytes { dictionary.code(for: $0) }
                    if round == 0, reference[bytes] == nil { reference[bytes] = UInt32(reference.count) }
                    #expect(code == reference[bytes], "length \(length), changed at \(position), round \(round)")
                }
            }
        }
        #expect(dictionary.count == reference.count)
    }
}
