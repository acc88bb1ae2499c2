import CSVIngest
import Columnar
import Foundation
import PingchaTestSupport
import Testing

@Suite struct BadInputTests {
    static let header = "案卷编号,执法单位,评查得分,评查年度\n"

    @Test func emptyFileAndHeaderOnly() throws {
        let empty = try #require(TestFiles.loadError(Fixtures.write("", name: "empty0.csv")))
        #expect(empty.kind == .data)
        #expect(empty.message.zh.contains("空"))
        let headerOnly = try TestFiles.load(Fixtures.write(Self.header, name: "header.csv"), schema: .cases)
        #expect(headerOnly.table.rowCount == 0)
        #expect(TestFiles.headers(headerOnly.table) == ["案卷编号", "执法单位", "评查得分", "评查年度"])
        let blanks = try #require(TestFiles.loadError(Fixtures.write("\n\n  \n", name: "blanks.csv")))
        #expect(blanks.kind == .data)
    }

    @Test func raggedRowStopsWithItsLine() throws {
        let path = Fixtures.write(Self.header + "A-1,甲,80,2022\nA-2,甲,75\nA-3,甲,90,2022\n", name: "ragged.csv")
        let error = try #require(TestFiles.loadError(path, schema: .cases))
        #expect(error.location == SourceLocation(path: path, line: 3, column: nil))
        #expect(error.message.en.contains("3 fields"))
    }

    @Test func raggedRowSetAsideWithRejects() throws {
        let path = Fixtures.write(Self.header + "A-1,甲,80,2022\n\"A-2\nx\",甲,75\nA-3,甲,90,2022\nA-4,甲,八十,2022\n", name: "ragged2.csv")
        let loaded = try TestFiles.load(path, schema: .cases, rejects: true)
        #expect(loaded.source.rows == 2)
        #expect(loaded.source.rejected == 2)
        #expect(loaded.rejects.map(\.firstLine) == [3, 6])
        #expect(loaded.rejects.map(\.lastLine) == [4, 6])
        #expect(loaded.rejects[0].raw == "\"A-2\nx\",甲,75")
        #expect(loaded.rejects[1].raw == "A-4,甲,八十,2022")
        #expect(loaded.rejects[1].column == 3)
        #expect(TestFiles.cells(loaded.table).map { $0[0] } == ["A-1", "A-3"])
    }

    /// A load that keeps some columns checks the others all the same: the same rows are set
    /// aside, for the same column, as when it keeps every column. Line 3 lacks its required case
    /// id, line 5 has a date that is not one; line 4's empty county (optional text) is a value.
    @Test func columnsNotKeptAreCheckedAllTheSame() throws {
        let path = Fixtures.write("""
            案卷编号,县区,执法单位,决定日期,评查得分,评查年度
            A-1,宁北县,甲局,2023-11-02,84.6,2023
            ,宁北县,乙局,2023-11-03,69.9,2023
            A-3,,甲局,2023-11-04,70,2023
            A-4,宁北县,乙局,2023-02-30,75,2023
            A-5,宁北县,甲局,2023-11-05,60,2022

            """, name: "unkept-checked.csv")
        for columns in [nil, ["评查得分"], ["执法单位", "评查年度"]] as [[String]?] {
            var options = LoadOptions()
            options.schema = .cases
            options.columns = columns
            options.collectRejects = true
            let loaded = try CSVLoader.load(path: path, options: options)
            #expect(loaded.rejects.map(\.firstLine) == [3, 5])
            #expect(loaded.rejects.map(\.column) == [1, 4])
            #expect(loaded.source.rows == 3)
            #expect(loaded.lines == [2, 4, 6])
            options.collectRejects = false
            let error = try #require(throws: PingchaError.self) { try CSVLoader.load(path: path, options: options) }
            #expect(error.location == SourceLocation(path: path, line: 3, column: 1))
        }
    }

    @Test func unterminatedQuoteNamesTheLineWhereItOpens() throws {
        let path = Fixtures.write(Self.header + "A-1,甲,80,2022\nA-2,\"甲,75,2022\nA-3,乙,90,2022\n", name: "open.csv")
        let error = try #require(TestFiles.loadError(path, schema: .cases))
        #expect(error.location?.line == 3)
        #expect(error.location?.column == 2)
        #expect(error.message.en.contains("unterminated quote"))
    }

    @Test func quoteInsideAnUnquotedFieldIsText() throws {
        let path = Fixtures.write(Self.header + "A-1,甲,80,2022\nA-2,甲\"乙,75,2022\nA-3,违反\"三项制度\",70,2022\n", name: "stray.csv")
        let loaded = try TestFiles.load(path, schema: .cases)
        #expect(TestFiles.cells(loaded.table).map { $0[1] } == ["甲", "甲\"乙", "违反\"三项制度\""])
        #expect(loaded.source.textQuotes == 2)
        #expect(loaded.rejects.isEmpty)
    }

    @Test func fieldSizeCapStopsAnOpenQuote() throws {
        var text = Self.header + "A-1,\"甲,80,2022\n"
        for index in 0..<200 { text += "A-\(index),乙,80,2022\n" }
        let path = Fixtures.write(text, name: "cap.csv")
        do {
            _ = try TestFiles.load(path, schema: .cases, maxFieldBytes: 1000)
            Issue.record("expected an error")
        } catch let error as PingchaError {
            #expect(error.location?.line == 2)
            #expect(error.message.en.contains("longer than 1000 bytes"))
        }
    }

    @Test func scoresAreCheckedAndBoundaryKept() throws {
        let path = Fixtures.write(Self.header + "A-1,甲,70.0,2022\nA-2,甲,69.9,2022\nA-3,甲,100.5,2022\nA-4,甲,-1,2022\nA-5,甲,,2022\nA-6,甲,85,二〇二二\n",
                                   name: "scores.csv")
        let loaded = try TestFiles.load(path, schema: .cases, rejects: true)
        #expect(TestFiles.cells(loaded.table).map { $0[2] } == ["70", "69.9"])
        #expect(loaded.rejects.map(\.firstLine) == [4, 5, 6, 7])
        #expect(loaded.rejects.map(\.column) == [3, 3, 3, 4])
        #expect(loaded.rejects[0].reason.en.contains("outside the allowed range 0–100"))
        #expect(loaded.rejects[2].reason.en.contains("must not be empty"))
        #expect(loaded.rejects[3].reason.en.contains("not a whole number"))
    }

    @Test func missingRequiredColumnsAreNamed() throws {
        let path = Fixtures.write("案卷编号,单位,得分\nA-1,甲,80\n", name: "missing.csv")
        let error = try #require(TestFiles.loadError(path, schema: .cases))
        #expect(error.kind == .data)
        #expect(error.message.zh.contains("执法单位（unit）"))
        #expect(error.message.zh.contains("评查得分（score）"))
        #expect(error.message.zh.contains("文件中的列：案卷编号、单位、得分"))
    }

    @Test func badDateIsRejectedWithColumn() throws {
        let path = Fixtures.write("案卷编号,执法单位,评查得分,决定日期\nA-1,甲,80,2022-02-30\n", name: "date.csv")
        let error = try #require(TestFiles.loadError(path, schema: .cases))
        #expect(error.location == SourceLocation(path: path, line: 2, column: 4))
    }

    @Test func missingFileIsMissingInput() throws {
        let error = try #require(TestFiles.loadError("/nonexistent/cases.csv"))
        #expect(error.kind == .missingInput)
        #expect(error.kind.exitCode == 66)
    }
}
