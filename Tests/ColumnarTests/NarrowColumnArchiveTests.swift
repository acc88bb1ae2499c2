import Columnar
import Kernels
import Foundation
import Testing

/// The column cache holds columns narrow where their values allow (`NarrowColumn`); each kind is
/// chosen by the values alone and reads back exactly, as a value and as the widened storage.
@Suite struct NarrowColumnArchiveTests {
    static func path(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("narrow-\(name)-\(getpid()).pcc").path
    }

    /// A name for each narrow kind, to compare with what the file chose.
    static func kind(_ column: Column) -> String {
        guard let narrow = column.narrow else { return "wide" }
        switch narrow.values {
        case .codes8: return "codes8"
        case .codes16: return "codes16"
        case .offsets8(let base, _): return "offsets8 from \(base)"
        case .offsets16(let base, _): return "offsets16 from \(base)"
        case .offsets32(let base, _): return "offsets32 from \(base)"
        case .hundredths: return "hundredths"
        }
    }

    @Test func eachKindIsChosenByTheValuesAndReadsBackExactly() throws {
        let rows = 70_000
        var random = SplitMix64(seed: 7)
        var validity = Bitmap(count: rows, value: true)
        for row in 0..<rows where row % 9 == 4 { validity[row] = false }
        let small = TextDictionary(["乙局", "甲局", "丙局"])
        let middle = TextDictionary((0..<300).map { "单位\($0)" })
        let large = TextDictionary((0..<rows).map { "案卷\($0)" })
        var ints: [String: [Int64]] = [
            "年度": (0..<rows).map { _ in 2020 + Int64(random.next() % 5) },
            "差额": (0..<rows).map { _ in -40_000 + Int64(random.next() % 60_000) },
            "金额": (0..<rows).map { _ in Int64(random.next() % 3_000_000_000) },
            "巨数": (0..<rows).map { _ in Int64(bitPattern: random.next()) },
        ]
        ints["年度"]![1] = 2024  // the span is the largest less the smallest
        ints["年度"]![2] = 2020
        ints["金额"]![3] = 0
        ints["巨数"]![0] = .min
        ints["巨数"]![1] = .max
        let scores = (0..<rows).map { _ in Double(Int(random.next() % 10_001)) / 100 }
        var negativeZero = scores
        negativeZero[5] = -0.0
        var thirds = scores
        thirds[6] = 1.0 / 3
        let table = Table(columns: [
            Column(name: "小字典", storage: .text(codes: (0..<rows).map { UInt32($0 % 3) }, dictionary: small), validity: validity),
            Column(name: "中字典", storage: .text(codes: (0..<rows).map { _ in UInt32(random.next() % 300) }, dictionary: middle)),
            Column(name: "大字典", storage: .text(codes: (0..<rows).map { UInt32($0) }, dictionary: large)),
            Column(name: "年度", storage: .int64(ints["年度"]!), validity: validity),
            Column(name: "差额", storage: .int64(ints["差额"]!)),
            Column(name: "金额", storage: .int64(ints["金额"]!)),
            Column(name: "巨数", storage: .int64(ints["巨数"]!)),
            Column(name: "得分", storage: .float64(scores), validity: validity),
            Column(name: "负零", storage: .float64(negativeZero)),
            Column(name: "三分之一", storage: .float64(thirds)),
            Column(name: "日期", storage: .date((0..<rows).map { Int32($0 % 400) })),
        ], rowCount: rows)
        let path = Self.path("kinds")
        #expect(TableArchive.write(table, metadata: [], lines: [], to: path))
        let read = try #require(TableArchive.read(path: path, lines: false)).table
        #expect(read.columns.map(Self.kind) == ["codes8", "codes16", "wide", "offsets8 from 2020", "offsets16 from -40000",
                                                "offsets32 from 0", "wide", "hundredths", "wide", "wide", "wide"])
        for (original, back) in zip(table.columns, read.columns) {
            #expect(back.count == rows && back.dataType == original.dataType && back.validity == original.validity, "\(original.name)")
            #expect((0..<rows).allSatisfy { original.value(at: $0) == back.value(at: $0) }, "\(original.name)")
            // The widened storage holds every row as it was, null rows too.
            switch (original.storage, back.storage) {
            case (.int64(let a), .int64(let b)): #expect(a.elements == b.elements, "\(original.name)")
            case (.float64(let a), .float64(let b)): #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "\(original.name)")
            case (.text(let a, _), .text(let b, _)): #expect(a.elements == b.elements, "\(original.name)")
            case (.date(let a), .date(let b)): #expect(a.elements == b.elements, "\(original.name)")
            default: Issue.record("\(original.name) changed its type")
            }
        }
        // 44 bytes a row (1 + 2 + 4 + 1 + 2 + 4 + 8 + 2 + 8 + 8 + 4) where wide columns take 72,
        // beside the 70,000 strings (1.37 MB with their offsets) and the two bitmaps.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size < rows * 44 + 1_500_000)
    }

    /// A code beyond its dictionary is refused as the wide codes are, whatever the checksum says.
    @Test func codesBeyondTheirStringsAreRefused() throws {
        let strings = TextDictionary(["甲局", "乙局"])
        for (values, good) in [(NarrowValues.codes8([0, 1, 1]), true), (.codes8([0, 2, 1]), false),
                               (.codes16([1, 0, 1]), true), (.codes16([0, 1, 255]), false)] {
            let table = Table(columns: [Column(name: "单位", narrow: NarrowColumn(values: values, dictionary: strings))], rowCount: 3)
            let path = Self.path("codes")
            #expect(TableArchive.write(table, metadata: [], lines: [2, 3, 4], to: path))
            let read = TableArchive.read(path: path)
            #expect((read != nil) == good)
            if good { #expect(read!.table.columns[0].value(at: 0) == table.columns[0].value(at: 0)) }
        }
    }

    /// Every single-byte corruption and every truncation of a narrow file is refused.
    @Test func damagedNarrowFilesAreRefused() throws {
        var validity = Bitmap(count: 5, value: true)
        validity[3] = false
        let table = Table(columns: [
            Column(name: "领域", storage: .text(codes: [0, 1, 0, 2, 1], dictionary: TextDictionary(["市场监管", "城市管理", "交通运输"]))),
            Column(name: "年度", storage: .int64([2021, 2022, 2023, 0, 2022]), validity: validity),
            Column(name: "得分", storage: .float64([84.6, 69.95, 100, 0, 70])),
        ], rowCount: 5)
        let path = Self.path("damage")
        #expect(TableArchive.write(table, metadata: [1, 2], lines: [2, 3, 4, 5, 6], to: path))
        let read = try #require(TableArchive.read(path: path))
        #expect(read.table.columns.map(Self.kind) == ["codes8", "offsets16 from 0", "hundredths"])
        #expect((0..<5).map(read.table.columns[2].value(at:)) == [.double(84.6), .double(69.95), .double(100), .double(0), .double(70)])
        #expect((0..<5).map(read.table.columns[1].value(at:)) == [.int(2021), .int(2022), .int(2023), .null, .int(2022)])
        let bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        for index in 0..<bytes.count {
            var damaged = bytes
            damaged[index] ^= 0x10
            FileManager.default.createFile(atPath: path, contents: Data(damaged))
            #expect(TableArchive.read(path: path) == nil, "byte \(index)")
        }
        for length in [0, 8, bytes.count / 2, bytes.count - 1] {
            FileManager.default.createFile(atPath: path, contents: Data(bytes.prefix(length)))
            #expect(TableArchive.read(path: path) == nil, "length \(length)")
        }
    }
}
