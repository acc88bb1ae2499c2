import Columnar
import Kernels
import Foundation
import Testing

@Suite struct TableArchiveTests {
    @Test func roundTripKeepsEveryColumnKindAndNulls() throws {
        var validity = Bitmap(count: 3, value: true)
        validity[1] = false
        let table = Table(columns: [
            Column(name: "编号", aliases: ["id"], storage: .int64([1, -2, 3]), validity: validity),
            Column(name: "分", storage: .float64([70, 69.9, 100])),
            Column(name: "日", storage: .date([0, 19000, -1])),
            Column(name: "是否", storage: .bool([true, false, true])),
            Column(name: "单位", storage: .text(codes: [0, 1, 0], dictionary: TextDictionary(["甲局", "乙局"]))),
            Column(name: "时间", storage: .timestamp([0, 1_655_289_000, -1])),
        ], rowCount: 3)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(getpid()).pcc").path
        #expect(TableArchive.write(table, metadata: Array("meta".utf8), lines: [2, 3, 5], to: path))
        let read = try #require(TableArchive.read(path: path))
        #expect(read.metadata == Array("meta".utf8))
        #expect(read.lines == [2, 3, 5])
        #expect(read.table.rowCount == 3)
        for (left, right) in zip(table.columns, read.table.columns) {
            #expect(left.name == right.name && left.aliases == right.aliases)
            #expect((0..<3).map(left.value(at:)) == (0..<3).map(right.value(at:)))
        }
        // The dictionary still finds its strings after the round trip.
        if case .text(_, var dictionary) = read.table.columns[4].storage {
            // Codes (8-bit: two strings) and strings are read in place from the mapped file
            // until something inserts.
            guard case .codes8(let codes)? = read.table.columns[4].narrow?.values else {
                Issue.record("two strings are held as 8-bit codes")
                return
            }
            #expect(codes.isMapped && dictionary.rawParts.arena.isMapped && dictionary.rawParts.offsets.isMapped)
            #expect(dictionary.sortedCodes() == [1, 0])  // 乙 U+4E59 before 甲 U+7532
            #expect(dictionary.lookup("甲局") == 0 && dictionary.lookup("丁局") == nil)
            #expect(dictionary.code(for: "乙局") == 1)
            #expect(dictionary.code(for: "丙局") == 2)
            #expect(!dictionary.rawParts.arena.isMapped)
            #expect(dictionary.strings == ["甲局", "乙局", "丙局"] && dictionary.byteCount == 18)
        }
        // The insert changed that copy only: the column still reads its own two strings.
        #expect((0..<3).map(read.table.columns[4].value(at:)) == [.text("甲局"), .text("乙局"), .text("甲局")])
        // Every single-byte corruption and every truncation is refused.
        let bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        for index in stride(from: 0, to: bytes.count, by: 7) {
            var damaged = bytes
            damaged[index] ^= 0x01
            FileManager.default.createFile(atPath: path, contents: Data(damaged))
            #expect(TableArchive.read(path: path) == nil, "byte \(index)")
        }
        for length in [0, 8, 31, bytes.count - 8, bytes.count - 1] {
            FileManager.default.createFile(atPath: path, contents: Data(bytes.prefix(length)))
            #expect(TableArchive.read(path: path) == nil, "length \(length)")
        }
    }

    @Test func readsOnlyTheColumnsAskedForAndChecksOnlyThose() throws {
        let table = Table(columns: [
            Column(name: "案卷编号", aliases: ["case_id"], storage: .text(codes: [0, 1, 2, 3], dictionary: TextDictionary(["A1", "A2", "A3", "A4"]))),
            Column(name: "执法单位", aliases: ["unit"], storage: .text(codes: [0, 1, 0, 1], dictionary: TextDictionary(["甲局", "乙局"]))),
            Column(name: "评查得分", aliases: ["score"], storage: .float64([69.9, 70, 88.5, 100])),
        ], rowCount: 4)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("archive-select-\(getpid()).pcc").path
        #expect(TableArchive.write(table, metadata: [], lines: [2, 3, 4, 5], to: path))
        let some = try #require(TableArchive.read(path: path, columns: ["UNIT", "评查得分"]))
        #expect(some.table.columns.map(\.name) == ["执法单位", "评查得分"])
        #expect((0..<4).map(some.table.columns[1].value(at:)) == [.double(69.9), .double(70), .double(88.5), .double(100)])
        #expect(some.lines == [2, 3, 4, 5])
        let withoutLines = try #require(TableArchive.read(path: path, columns: ["score"], lines: false))
        #expect(withoutLines.lines.isEmpty)
        #expect((0..<4).map(withoutLines.table.columns[0].value(at:)) == [.double(69.9), .double(70), .double(88.5), .double(100)])
        // A name the table lacks reads every column (so that the error that follows lists them all).
        #expect(TableArchive.read(path: path, columns: ["unit", "县区"])?.table.columns.count == 3)
        // Damage in the first column's section (the dictionary arena "A1"…): a read of other
        // columns does not look at it; a read of it, a full read and a verifying listing refuse it.
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        let arenaOffset = try #require((0..<bytes.count - 1).first { bytes[$0] == 0x41 && bytes[$0 + 1] == 0x31 })
        bytes[arenaOffset + 1] = 0x39
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        #expect(TableArchive.read(path: path, columns: ["unit", "score"])?.table.columns.count == 2)
        #expect(TableArchive.read(path: path, columns: ["case_id"]) == nil)
        #expect(TableArchive.read(path: path) == nil)
        #expect(TableArchive.metadata(path: path, verify: true) == nil)
        #expect(TableArchive.metadata(path: path, verify: false) == [])
    }

    /// Lines that follow one another are stored as the first alone and come back whole; one
    /// gap anywhere stores them all.
    @Test func consecutiveLinesAreStoredAsTheFirst() throws {
        let rows = 1000
        let table = Table(columns: [Column(name: "分", storage: .float64((0..<rows).map(Double.init)))], rowCount: rows)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("archive-lines-\(getpid()).pcc").path
        let consecutive = (0..<Int32(rows)).map { $0 + 3 }
        #expect(TableArchive.write(table, metadata: [], lines: consecutive, to: path))
        let compactSize = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(TableArchive.read(path: path)?.lines == consecutive)
        var gap = consecutive
        gap[rows - 1] += 1
        #expect(TableArchive.write(table, metadata: [], lines: gap, to: path))
        let fullSize = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(TableArchive.read(path: path)?.lines == gap)
        // 999 more 4-byte lines, padded to 8 bytes.
        #expect(fullSize - compactSize == 4000 - 8)
    }

    /// A text column whose cells are all empty has an empty dictionary; it is read back (it was
    /// refused, so an export with such a column was parsed again on every run).
    @Test func textColumnOfEmptyCellsIsReadBack() throws {
        let table = Table(columns: [
            Column(name: "县区", storage: .text(codes: [0, 0], dictionary: TextDictionary([])), validity: Bitmap(count: 2, value: false)),
        ], rowCount: 2)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("archive-empty-\(getpid()).pcc").path
        #expect(TableArchive.write(table, metadata: [], lines: [2, 3], to: path))
        let read = try #require(TableArchive.read(path: path))
        #expect(read.table.columns[0].value(at: 0) == .null && read.table.columns[0].value(at: 1) == .null)
        // Not when a row claims a value the empty dictionary cannot hold.
        let claimed = Table(columns: [Column(name: "县区", storage: .text(codes: [0, 0], dictionary: TextDictionary([])))], rowCount: 2)
        #expect(TableArchive.write(claimed, metadata: [], lines: [2, 3], to: path))
        #expect(TableArchive.read(path: path) == nil)
    }

    @Test func checksumIsTheSameForAnySplit() {
        var generator = SplitMix64(seed: 112)
        let bytes = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var whole = ArchiveChecksum()
        bytes.withUnsafeBytes { whole.update($0) }
        for split in [0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 999] {
            var parts = ArchiveChecksum()
            bytes.withUnsafeBytes {
                parts.update(UnsafeRawBufferPointer(rebasing: $0[0..<split]))
                parts.update(UnsafeRawBufferPointer(rebasing: $0[split...]))
            }
            #expect(parts.value == whole.value, "split \(split)")
        }
        var other = ArchiveChecksum()
        (bytes.dropLast() + [bytes.last! ^ 1]).withUnsafeBytes { other.update($0) }
        #expect(other.value != whole.value)
    }

    /// Summing while copying gives the plain sum and an exact copy, whatever was fed before
    /// (a part-filled block) and at every length around the 32-byte block.
    @Test func checksumWhileCopyingIsTheSumAndTheCopy() {
        var generator = SplitMix64(seed: 9)
        let bytes = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for head in [0, 1, 8, 31, 32, 40] {
            for length in [0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 960 - head] {
                var plain = ArchiveChecksum()
                var copying = ArchiveChecksum()
                var copy = [UInt8](repeating: 0xAA, count: length + 2)
                bytes.withUnsafeBytes { all in
                    let first = UnsafeRawBufferPointer(rebasing: all[0..<head])
                    let rest = UnsafeRawBufferPointer(rebasing: all[head..<(head + length)])
                    plain.update(first)
                    plain.update(rest)
                    copying.update(first)
                    copy.withUnsafeMutableBytes { copying.update(rest, copyingTo: $0.baseAddress! + 1) }
                }
                #expect(copying.value == plain.value, "head \(head), length \(length)")
                #expect(Array(copy[1..<(length + 1)]) == Array(bytes[head..<(head + length)]), "head \(head), length \(length)")
                #expect(copy[0] == 0xAA && copy[length + 1] == 0xAA, "head \(head), length \(length): nothing written outside")
            }
        }
    }

    /// Summing while finding the largest UInt32 gives the plain sum and the largest value found
    /// by a scan, whatever was fed before (whole words, as sections hold) and at every length
    /// around the 32-byte block, the largest placed in the head, a block and the tail in turn.
    @Test func checksumWhileFindingTheLargestIsTheSumAndTheLargest() {
        var generator = SplitMix64(seed: 21)
        let values = (0..<300).map { _ in UInt32.random(in: 0..<1_000_000, using: &generator) }
        for head in [0, 8, 16, 24, 32, 40] {
            for count in [0, 1, 5, 6, 7, 8, 9, 14, 16, 17, 100, 250] {
                for peak in [0, count / 2, count - 1] where count > 0 || peak == 0 {
                    var words = values
                    if count > 0 { words[head / 4 + peak] = 4_000_000_000 }
                    var plain = ArchiveChecksum()
                    var finding = ArchiveChecksum()
                    var largest: UInt32 = 7
                    words.withUnsafeBytes { all in
                        let first = UnsafeRawBufferPointer(rebasing: all[0..<head])
                        let rest = UnsafeRawBufferPointer(rebasing: all[head..<(head + count * 4)])
                        plain.update(first)
                        plain.update(rest)
                        finding.update(first)
                        finding.update(rest, largestUInt32: &largest)
                    }
                    let label = Comment(rawValue: "head \(head), count \(count), peak \(peak)")
                    #expect(finding.value == plain.value, label)
                    #expect(largest == (count == 0 ? 7 : 4_000_000_000), label)
                }
            }
        }
        // Without a peak: the largest of the values themselves, as a scan finds it.
        var largest: UInt32 = 0
        var checksum = ArchiveChecksum()
        values.withUnsafeBytes { checksum.update($0, largestUInt32: &largest) }
        #expect(largest == values.max()!)
    }

    /// A column of millions of bytes (read into huge pages, summed as it is copied) comes back
    /// exact, and one flipped bit in the middle of it is refused.
    @Test func largeColumnRoundTripAndDamage() throws {
        let rows = 700_000   // 5.6 MB of doubles: above MemoryAdvice's 4 MiB
        // Thirds, which no narrow kind holds (tenths would be stored as hundredths).
        let scores = (0..<rows).map { Double($0 % 1001) / 3 }
        let table = Table(columns: [Column(name: "评查得分", storage: .float64(scores))], rowCount: rows)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("archive-large-\(getpid()).pcc").path
        #expect(TableArchive.write(table, metadata: [], lines: (0..<rows).map { Int32($0 + 2) }, to: path))
        let read = try #require(TableArchive.read(path: path, lines: false))
        guard case .float64(let values) = read.table.columns[0].storage else {
            Issue.record("not a float column")
            return
        }
        // Read in place from the mapped file, not copied; the values outlive the file's name.
        #expect(values.isMapped)
        unlink(path)
        #expect(values.elements == scores)
        #expect(TableArchive.write(table, metadata: [], lines: (0..<rows).map { Int32($0 + 2) }, to: path))
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        bytes[8 + 8 + rows * 4] ^= 0x10   // inside the scores, half-way
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        #expect(TableArchive.read(path: path, lines: false) == nil)
    }

    /// The advice changes no byte of a buffer already written.
    @Test func memoryAdviceKeepsTheBytes() {
        let count = 6 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 64)
        defer { buffer.deallocate() }
        for index in stride(from: 0, to: count, by: 4096) { buffer[index] = UInt8(truncatingIfNeeded: index >> 12) | 1 }
        MemoryAdvice.prepareForWriting(buffer.baseAddress!, byteCount: count)
        let kept = stride(from: 0, to: count, by: 4096).allSatisfy { buffer[$0] == UInt8(truncatingIfNeeded: $0 >> 12) | 1 }
        #expect(kept)
    }
}
