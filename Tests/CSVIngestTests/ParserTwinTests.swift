@testable import CSVIngest
import Columnar
import Vocabulary
import DatasetGenerator
import Foundation
import PingchaTestSupport
import Testing

/// The vectorised tokenizer against libcsv: every file read both ways (serially and in chunks,
/// with and without recovery) gives the same table, types, nulls, lines, rejected records,
/// counts and errors; and the tokenizer's SIMD masks equal their scalar twin's.
struct ParserTwinTests {
    /// Everything a load gives that the two parsers must agree on, as text.
    static func signature(_ path: String, parser: LoadOptions.Parser, recover: Bool, chunkBytes: Int?, schema: ExportSchema? = nil,
                          maxFieldBytes: Int = 1 << 20) -> String {
        do {
            let loaded = try TestFiles.load(path, schema: schema, rejects: recover, maxFieldBytes: maxFieldBytes,
                                            threads: chunkBytes == nil ? 1 : 2, chunkBytes: chunkBytes, parser: parser)
            var parts = ["rows \(loaded.table.rowCount) blank \(loaded.source.blankLines) quotes \(loaded.source.textQuotes) "
                         + "\(loaded.source.excelFormulas) delimiter \(loaded.source.delimiter)", "lines \(loaded.lines)"]
            parts += loaded.table.columns.map { column in
                // A null is marked apart from an empty text.
                "\(column.name) \(column.dataType) "
                    + (0..<column.count).map { column.isNull($0) ? "∅" : column.value(at: $0).plainText }.joined(separator: "\u{1F}")
            }
            parts += loaded.rejects.map { "reject \($0.firstLine)-\($0.lastLine):\($0.column ?? 0) \($0.reason.en) [\($0.raw)]" }
            return parts.joined(separator: "\n")
        } catch let error as PingchaError {
            return "error \(error.location.map(String.init(describing:)) ?? "-") \(error.message.en)"
        } catch {
            return "error \(error)"
        }
    }

    static func assertTwins(_ path: String, _ label: String, schema: ExportSchema? = nil, maxFieldBytes: Int = 1 << 20,
                            chunkSizes: [Int?] = [nil, 7, 64, 1000], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for recover in [false, true] {
            let reference = signature(path, parser: .libcsv, recover: recover, chunkBytes: nil, schema: schema, maxFieldBytes: maxFieldBytes)
            for chunkBytes in chunkSizes {
                let fast = signature(path, parser: .vectorised, recover: recover, chunkBytes: chunkBytes, schema: schema,
                                     maxFieldBytes: maxFieldBytes)
                #expect(fast == reference, Comment(rawValue: "\(label), recover \(recover), chunks \(chunkBytes.map(String.init) ?? "serial")"),
                        sourceLocation: sourceLocation)
            }
        }
    }

    /// Random messy files: quotes, doubled quotes, quoted line breaks, CJK, spaces, empty fields,
    /// ragged rows, blank lines, CRLF, malformed records.
    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func randomMessyFiles(seed: UInt64) throws {
        for malformed in [false, true] {
            let path = Fixtures.write(ChunkedLoadTests.messyText(seed: seed, records: 200, malformed: malformed),
                                       name: "twin-messy-\(seed)-\(malformed).csv")
            Self.assertTwins(path, "seed \(seed) malformed \(malformed)")
        }
    }

    /// Random bytes from a small alphabet that holds every byte the tokenizer looks at.
    @Test(arguments: [21, 22, 23, 24, 25, 26, 27, 28] as [UInt64])
    func randomBytes(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let alphabet: [UInt8] = Array("a,,\n\n\r\"\"  \t5;甲".utf8) + [0x00]
        let bytes = Array("h1,h2,h3\n".utf8) + (0..<600).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
        let path = Fixtures.write(bytes, name: "twin-bytes-\(seed).csv")
        Self.assertTwins(path, "seed \(seed)", maxFieldBytes: 40, chunkSizes: [nil, 3, 17, 100])
    }

    /// Clean files of every shape the fast path reads itself: LF, CRLF, a last line without a
    /// line break, blank lines, empty fields, a tab separator, long lines across blocks.
    @Test func cleanFilesAreReadByTheFastPath() throws {
        var long = "a,b,c\n"
        for number in 0..<500 { long += "\(number),\(String(repeating: "长", count: number % 50)),\(number * 3)\n" }
        let texts = [
            ("lf", "编号,单位,得分\n1,甲,80\n2,乙,70\n"),
            ("crlf", "编号,单位,得分\r\n1,甲,80\r\n\r\n2,乙,70\r\n"),
            ("no final newline", "编号,单位,得分\n1,甲,80\n2,,70"),
            ("blank lines", "编号,单位\n\n1,甲\n\n\n2,乙\n"),
            ("tabs", "编号\t单位\n1\t甲\n2\t乙\n"),
            ("long", long),
        ]
        for (label, text) in texts {
            let path = Fixtures.write(text, name: "twin-clean-\(label.replacingOccurrences(of: " ", with: "-")).csv")
            Self.assertTwins(path, label)
            var options = LoadOptions()
            options.noSchema = true
            options.threads = 1
            let state = LoadState(path: path, options: options)
            let reader = state.makeReader(delimiter: label == "tabs" ? 0x09 : 0x2C)
            let bytes = Array(text.utf8)
            try bytes.withUnsafeBytes { raw in
                try reader.parse(raw)
                try reader.finish()
            }
            // Every record, the header too, read by the fast path.
            #expect(reader.fastRecords == reader.recordCount && reader.recordCount > 0, Comment(rawValue: label))
        }
    }

    /// A quoted field across lines near the top: libcsv reads that record, and the fast path
    /// takes the 2,000 plain records after it (not libcsv, block after block, for the rest).
    @Test func theFastPathTakesOverAfterAQuotedRecord() throws {
        var text = "编号,说明,得分\n1,\"两\n行\",60\n2,\"引号\"\"内\",61\n"
        for number in 3...2002 { text += "\(number),普通,\(number % 100)\n" }
        let path = Fixtures.write(text, name: "twin-takes-over.csv")
        Self.assertTwins(path, "takes over")
        let reader = RecordReader(fastPath: true) { _ in }
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBytes { raw in
            try reader.parse(raw)
            try reader.finish()
        }
        // The header and the 2,000 plain records; libcsv the two quoted ones.
        #expect(reader.recordCount == 2003)
        #expect(reader.fastRecords == 2001)
    }

    /// Files the fast path hands to libcsv record by record: the recovery matrix's files.
    @Test(arguments: RecoveryTests.Kind.allCases, RecoveryTests.Place.allCases)
    func malformedFiles(kind: RecoveryTests.Kind, place: RecoveryTests.Place) throws {
        let path = Fixtures.write(RecoveryTests.fileBytes(kind, place), name: "twin-\(kind)-\(place).csv")
        Self.assertTwins(path, "\(kind) \(place)", maxFieldBytes: kind == .fieldTooLong ? 16 : 1 << 20)
    }

    /// Records the fast path hands over in batches of 1,024 (`RecordBatch`), converted a column
    /// at a time, against libcsv's one at a time: bad cells in every typed column, around the
    /// batches' edges, two bad cells in one row (the first column is named), a row of the wrong
    /// length and a quoted record (read by libcsv) between batches, the absent marker. What is
    /// rejected, and where, is known from how the file was written.
    @Test func batchesOfRecordsRejectWhatRecordsOneByOneReject() throws {
        var lines = ["证件号,执法单位,测试类型,测试日期,得分,违规"]
        // Data row `row` is on line row + 2.
        let bad: [Int: (fields: [String], column: Int?)] = [
            500: (["P500", "甲局", "年度", "2022-06-15", "abc", "否"], 5),
            1023: (["P1023", "甲局", "年度", "2022-13-01", "150", "否"], 4),
            1024: (["", "甲局", "年度", "2022-06-15", "80", "否"], 1),
            1025: (["P1025", "甲局", "年度", "2022-06-15", "80"], nil),
            2047: (["P2047", "甲局", "年度", "2022-06-15", "80", "maybe"], 6),
            2900: (["P2900", "甲局", "年度", "2022-06-15", "-1", "否"], 5),
        ]
        for row in 0..<3000 {
            if let line = bad[row] {
                lines.append(line.fields.joined(separator: ","))
            } else if row == 1500 {
                lines.append("\"P1500\",乙局,年度,2022-06-15,70,是")
            } else if row == 2048 {
                lines.append("P2048,乙局,年度,2022-06-15,缺考,否")
            } else {
                lines.append("P\(row),\(row % 3 == 0 ? "甲局" : "乙局"),年度,2022-06-\(10 + row % 19),\(row % 101),\(row % 2 == 0 ? "是" : "否")")
            }
        }
        let path = Fixtures.write(lines.joined(separator: "\n") + "\n", name: "twin-batches.csv")
        Self.assertTwins(path, "batches", schema: TestsExport.schema, chunkSizes: [nil, 20_000])
        for (threads, chunkBytes) in [(1, nil), (2, 20_000)] as [(Int, Int?)] {
            let loaded = try TestFiles.load(path, schema: TestsExport.schema, rejects: true, threads: threads, chunkBytes: chunkBytes)
            #expect(loaded.table.rowCount == 2994)
            #expect(loaded.rejects.map(\.firstLine) == [502, 1025, 1026, 1027, 2049, 2902])
            #expect(loaded.rejects.map(\.column) == [5, 4, 1, nil, 6, 5])
            #expect(loaded.source.absent == 1)
            let error = TestFiles.loadError(path, schema: TestsExport.schema)
            #expect(error?.location?.line == 502 && error?.location?.column == 5)
        }
    }

    /// The bundled sample exports with their schemas, and the public csv-spectrum corpus.
    @Test func sampleAndCorpusFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sample = root.appendingPathComponent("Datasets/sample")
        for name in try FileManager.default.contentsOfDirectory(atPath: sample.path).filter({ $0.hasSuffix(".csv") }).sorted() {
            let schema = ExportSchema.all.first { name.hasPrefix($0.name) }
            Self.assertTwins(sample.appendingPathComponent(name).path, name, schema: schema, chunkSizes: [nil, 200])
        }
        let corpus = root.deletingLastPathComponent().appendingPathComponent("shared/csv-corpus/csv-spectrum/csvs")
        guard FileManager.default.fileExists(atPath: corpus.path) else { return }
        for name in try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter({ $0.hasSuffix(".csv") }).sorted() {
            Self.assertTwins(corpus.appendingPathComponent(name).path, name, chunkSizes: [nil, 5])
        }
    }

    /// The SIMD masks against the scalar twin, on random blocks over every byte value.
    @Test func masksEqualTheScalarTwin() {
        var random = SplitMix64(seed: 31)
        for delimiter in [UInt8(0x2C), 0x09, 0x3B, 0x7C] {
            let tokenizer = FastTokenizer(delimiter: delimiter, maxFieldBytes: 1 << 20)
            for round in 0..<2000 {
                // Half the rounds over all bytes, half over the bytes that matter.
                let pool: [UInt8] = round % 2 == 0 ? Array(0...255) : [delimiter, 0x0A, 0x0D, 0x22, 0x20, 0x61, 0xE7]
                let block = (0..<64).map { _ in pool[Int(random.next() % UInt64(pool.count))] }
                block.withUnsafeBytes { raw in
                    let fast = tokenizer.classify(raw.baseAddress!), slow = tokenizer.classifyScalar(raw.baseAddress!)
                    #expect(fast.separators == slow.separators && fast.lineFeeds == slow.lineFeeds && fast.special == slow.special)
                }
            }
        }
    }
}
