import CSVIngest
import Columnar
import Foundation
import PingchaTestSupport
import Testing

/// An entry written by a load that kept some columns holds those and answers only for them; a
/// load asking for more reads the CSV again and the entry grows to both sets.
@Suite struct ColumnCacheTests {
    static let csv = """
        案卷编号,省辖市,县区,执法单位,单位层级,执法领域,案件类型,程序类型,重大案件,违法行为,决定日期,备案日期,评查得分,评查年度
        A-1,许昌市,,甲局,市级,城市管理,行政处罚,普通程序,否,乱倒垃圾,2023-11-02,,84.6,2023
        A-2,许昌市,,乙局,市级,城市管理,行政处罚,普通程序,是,乱倒垃圾,2023-11-03,2023-11-20,69.9,2023
        A-3,许昌市,,甲局,市级,城市管理,行政处罚,普通程序,否,乱倒垃圾,2023-11-04,,70,2023

        """

    /// Loads `columns` of the file with the cache in `directory`; whether it came from the CSV.
    static func load(_ path: String, columns: [String]?, mayBeMissing: Bool = false,
                     directory: String, background: Bool = false) throws -> (cells: [[String]], fromCSV: Bool, lines: [Int32]) {
        var options = LoadOptions()
        options.schema = .cases
        options.columns = columns
        options.columnsMayBeMissing = mayBeMissing
        options.cache = ColumnCache(directory: directory, writesInBackground: background)
        let loaded = try CSVLoader.load(path: path, options: options)
        return (TestFiles.cells(loaded.table), loaded.source.parsedChunks > 0, loaded.lines)
    }

    /// A load asked not to keep the rows' lines keeps none when it fills no cache (the query's
    /// cold load), and keeps them when it fills one (the entry serves the commands that name rows
    /// by line): lines 2, 3 and 5 here, the blank line 4 skipped.
    @Test func rowLinesAreKeptOnlyWhereSomethingReadsThem() throws {
        let path = Fixtures.write("a,b\n1,x\n2,y\n\n3,z\n", name: "cache-row-lines.csv")
        let directory = Fixtures.folder.appendingPathComponent("cache-row-lines").path
        try? FileManager.default.removeItem(atPath: directory)
        for (threads, chunkBytes) in [(1, nil), (2, 4)] as [(Int, Int?)] {
            var options = LoadOptions()
            options.noSchema = true
            options.threads = threads
            options.chunkBytes = chunkBytes
            options.rowLines = false
            let bare = try CSVLoader.load(path: path, options: options)
            #expect(bare.lines.isEmpty)
            #expect(TestFiles.cells(bare.table) == [["1", "x"], ["2", "y"], ["3", "z"]])
            options.cache = ColumnCache(directory: directory, writesInBackground: false)
            #expect(try CSVLoader.load(path: path, options: options).lines == [2, 3, 5])
            options.rowLines = true
            #expect(try CSVLoader.load(path: path, options: options).lines == [2, 3, 5])
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// Entries written in the background (the command line's way): a load of the same entry
    /// right after waits for the write and answers from it, one that needs more columns reads
    /// the CSV and the entry grows as a foreground write grows it; once the writes are finished
    /// one entry is left and no temporary file.
    @Test func entriesWrittenInTheBackgroundAnswerAsTheOthers() throws {
        let path = Fixtures.write(Self.csv, name: "cache-background.csv")
        let directory = Fixtures.folder.appendingPathComponent("cache-background").path
        try? FileManager.default.removeItem(atPath: directory)

        let first = try Self.load(path, columns: ["unit", "score"], directory: directory, background: true)
        #expect(first.fromCSV)
        #expect(first.cells == [["甲局", "84.6"], ["乙局", "69.9"], ["甲局", "70"]])
        let score = try Self.load(path, columns: ["评查得分"], directory: directory, background: true)
        #expect(!score.fromCSV)
        #expect(score.cells == [["84.6"], ["69.9"], ["70"]])
        #expect(score.lines == [2, 3, 4])
        let caseIDs = try Self.load(path, columns: ["case_id"], directory: directory, background: true)
        #expect(caseIDs.fromCSV)
        #expect(caseIDs.cells.map { $0[0] } == ["A-1", "A-2", "A-3"])
        let three = try Self.load(path, columns: ["case_id", "unit", "score"], directory: directory, background: true)
        #expect(!three.fromCSV)
        #expect(three.cells == [["A-1", "甲局", "84.6"], ["A-2", "乙局", "69.9"], ["A-3", "甲局", "70"]])
        ColumnCache.finishWrites()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files.filter { $0.hasSuffix(".pcc") }.count == 1)
        #expect(!files.contains { $0.contains(".tmp-") })
    }

    @Test func anEntryAnswersForTheColumnsItHoldsAndGrows() throws {
        let path = Fixtures.write(Self.csv, name: "cache-columns.csv")
        let directory = Fixtures.folder.appendingPathComponent("cache-columns").path
        try? FileManager.default.removeItem(atPath: directory)

        let first = try Self.load(path, columns: ["unit", "score"], directory: directory)
        #expect(first.fromCSV)
        #expect(first.cells == [["甲局", "84.6"], ["乙局", "69.9"], ["甲局", "70"]])
        // Fewer columns, by header or alias: from the entry.
        let score = try Self.load(path, columns: ["评查得分"], directory: directory)
        #expect(!score.fromCSV)
        #expect(score.cells == [["84.6"], ["69.9"], ["70"]])
        #expect(score.lines == [2, 3, 4])
        // A column the entry lacks: from the CSV, and the entry now holds all three.
        let caseIDs = try Self.load(path, columns: ["case_id"], directory: directory)
        #expect(caseIDs.fromCSV)
        #expect(caseIDs.cells.map { $0[0] } == ["A-1", "A-2", "A-3"])
        let three = try Self.load(path, columns: ["case_id", "unit", "score"], directory: directory)
        #expect(!three.fromCSV)
        #expect(three.cells == [["A-1", "甲局", "84.6"], ["A-2", "乙局", "69.9"], ["A-3", "甲局", "70"]])
        // A name no column answers to: a load from the CSV keeps every column (so that the error
        // can list them); an entry of some columns must not answer with only its own.
        let unknown = try Self.load(path, columns: ["县", "score"], directory: directory)
        #expect(unknown.fromCSV)
        #expect(unknown.cells[0].count == 14)
        // That load kept every column, so the entry now holds them all: every column from the entry.
        let all = try Self.load(path, columns: nil, directory: directory)
        #expect(!all.fromCSV)
        #expect(all.cells == unknown.cells)
        #expect(all.cells.count == 3 && all.cells[1][3] == "乙局" && all.cells[1][11] == "2023-11-20")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pcc") }
        #expect(files.count == 1)
    }

    /// A join asks each table for every name it reads; names of no column of the file are passed
    /// over, from the CSV and from the entry, and the entry records only the file's own names.
    @Test func namesAJoinMayReadElsewhereArePassedOver() throws {
        let path = Fixtures.write(Self.csv, name: "cache-join-columns.csv")
        let directory = Fixtures.folder.appendingPathComponent("cache-join-columns").path
        try? FileManager.default.removeItem(atPath: directory)

        let first = try Self.load(path, columns: ["unit", "证件号", "score"], mayBeMissing: true, directory: directory)
        #expect(first.fromCSV)
        #expect(first.cells == [["甲局", "84.6"], ["乙局", "69.9"], ["甲局", "70"]])
        let again = try Self.load(path, columns: ["证件号", "评查得分", "得分"], mayBeMissing: true, directory: directory)
        #expect(!again.fromCSV)
        #expect(again.cells == [["84.6"], ["69.9"], ["70"]])
        // A column the entry left out is a miss, even among names of no column; the new load
        // keeps the entry's columns too.
        let year = try Self.load(path, columns: ["证件号", "评查年度"], mayBeMissing: true, directory: directory)
        #expect(year.fromCSV)
        #expect(year.cells == [["甲局", "84.6", "2023"], ["乙局", "69.9", "2023"], ["甲局", "70", "2023"]])
        let unit = try Self.load(path, columns: ["执法单位"], directory: directory)
        #expect(!unit.fromCSV)
        #expect(unit.cells == [["甲局"], ["乙局"], ["甲局"]])
        // The entry recorded the file's names only: a plain load that misses keeps those and its
        // own, four columns (证件号 recorded would have made it keep all fourteen).
        let caseIDs = try Self.load(path, columns: ["case_id"], directory: directory)
        #expect(caseIDs.fromCSV)
        #expect(caseIDs.cells == [["A-1", "甲局", "84.6", "2023"], ["A-2", "乙局", "69.9", "2023"], ["A-3", "甲局", "70", "2023"]])
        // None of the names: no column at all, every row still counted.
        let none = try Self.load(path, columns: ["证件号"], mayBeMissing: true, directory: directory)
        #expect(none.cells == [[], [], []])
    }
}
