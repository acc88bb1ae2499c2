import Foundation
import PingchaTestSupport
import Testing

/// The column cache: in the user's cache directory, same results from cache as from CSV,
/// invalidated by any change to the CSV, a damaged or truncated cache file detected and rebuilt,
/// `--no-cache`, `cache ls|clear`, the size cap with least-recently-used eviction.
@Suite(.serialized) struct CacheCommandTests {
    static func freshCopy(_ name: String) throws -> (csv: String, cache: String) {
        let folder = Fixtures.path("cache-\(name)")
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let csv = folder + "/cases.csv"
        try FileManager.default.copyItem(atPath: PingchaRunner.root.path + "/Datasets/sample/cases.csv", toPath: csv)
        return (csv, folder + "/xdg/pingcha")
    }

    /// The environment that puts the cache of `csv`'s folder's test under that folder.
    static func environment(_ csv: String) -> [String: String] {
        ["XDG_CACHE_HOME": URL(fileURLWithPath: csv).deletingLastPathComponent().path + "/xdg"]
    }

    static func cacheFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".pcc") }.map { directory + "/" + $0 }
    }

    static func passRate(_ csv: String, _ extra: [String] = []) throws -> String {
        let result = try PingchaRunner.binary(["cases", "pass-rate", csv, "--by", "unit", "--format", "json"] + extra, environment: environment(csv))
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test func cachedLoadGivesTheSameResultAsTheCSV() throws {
        let (csv, cache) = try Self.freshCopy("same")
        let fromCSV = try Self.passRate(csv, ["--no-cache"])
        #expect(Self.cacheFiles(cache).isEmpty)
        let first = try Self.passRate(csv)
        #expect(Self.cacheFiles(cache).count == 1)
        let second = try Self.passRate(csv)
        #expect(first == fromCSV)
        #expect(second == fromCSV)
    }

    @Test func changedCSVInvalidatesTheEntry() throws {
        let (csv, cache) = try Self.freshCopy("changed")
        _ = try Self.passRate(csv)
        let before = Self.cacheFiles(cache)
        // Same size, one score changed (80.0 → 10.0 keeps the length): a new result, a new entry.
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        let original = "LHSJ-2022-001,漯河市,,漯河市市场监督管理局,市级,市场监管,行政处罚,普通程序,否,未按规定公示价格,2022-06-08,,88.5,2022"
        #expect(text.contains(original))
        try text.replacingOccurrences(of: original, with: original.replacingOccurrences(of: ",88.5,", with: ",18.5,"))
            .write(toFile: csv, atomically: false, encoding: .utf8)
        #expect(try FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int == text.utf8.count)
        let after = try Self.passRate(csv)
        #expect(after == (try Self.passRate(csv, ["--no-cache"])))
        #expect(Self.cacheFiles(cache).count == 1)
        #expect(Self.cacheFiles(cache) != before)
    }

    @Test func damagedOrTruncatedEntryIsRebuiltNotTrusted() throws {
        let (csv, cache) = try Self.freshCopy("damaged")
        let expected = try Self.passRate(csv, ["--no-cache"])
        _ = try Self.passRate(csv)
        let entry = Self.cacheFiles(cache)[0]
        // Flip one byte in the middle of a column buffer.
        var bytes = [UInt8](FileManager.default.contents(atPath: entry)!)
        bytes[bytes.count / 2] ^= 0x40
        FileManager.default.createFile(atPath: entry, contents: Data(bytes))
        let listed = PingchaRunner.run(["cache", "ls", "--cache-dir", cache, "--format", "json"])
        let rows = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as! [String: Any])["rows"] as! [[String: Any]]
        #expect(rows.map { $0["intact"] as! Bool } == [false])
        // pass-rate reads two columns, each checked against its own checksum: the answer is right
        // whether or not the damage lies in them.
        #expect(try Self.passRate(csv) == expected)
        // The audit reads every column, which the pass-rate's entry does not hold: the CSV is
        // read again and the entry written again with every column.
        let audited = try PingchaRunner.binary(["cases", "audit", csv, "--format", "json"], environment: Self.environment(csv))
        #expect(audited.status == 0)
        #expect(audited.stdout == (PingchaRunner.run(["cases", "audit", csv, "--format", "json", "--no-cache"])).stdout)
        let repaired = [UInt8](FileManager.default.contents(atPath: entry)!)
        #expect(repaired != bytes)
        let relisted = PingchaRunner.run(["cache", "ls", "--cache-dir", cache, "--format", "json"])
        let after = (try JSONSerialization.jsonObject(with: Data(relisted.stdout.utf8)) as! [String: Any])["rows"] as! [[String: Any]]
        #expect(after.map { $0["intact"] as! Bool } == [true])
        // Truncate it: the pass-rate reads the CSV and writes an entry of the columns it needs
        // (the truncated entry no longer says what it held), intact and smaller than the audit's.
        FileManager.default.createFile(atPath: entry, contents: Data(repaired.prefix(repaired.count - 100)))
        #expect(try Self.passRate(csv) == expected)
        let rewritten = FileManager.default.contents(atPath: entry)!.count
        #expect(rewritten > 0 && rewritten < repaired.count)
        let listedAgain = PingchaRunner.run(["cache", "ls", "--cache-dir", cache, "--format", "json"])
        let last = (try JSONSerialization.jsonObject(with: Data(listedAgain.stdout.utf8)) as! [String: Any])["rows"] as! [[String: Any]]
        #expect(last.map { $0["intact"] as! Bool } == [true])
        #expect(try Self.passRate(csv) == expected)
    }

    @Test func lsAndClear() throws {
        let (csv, cache) = try Self.freshCopy("ls")
        _ = try Self.passRate(csv)
        let listed = PingchaRunner.run(["cache", "ls", "--cache-dir", cache, "--format", "json"])
        let rows = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as! [String: Any])["rows"] as! [[String: Any]]
        #expect(rows.count == 1)
        #expect(rows[0]["csv"] as? String == csv)
        #expect(rows[0]["rows"] as? Int == 65)
        let cleared = PingchaRunner.run(["cache", "clear", "--cache-dir", cache])
        #expect(cleared.status == 0)
        #expect(cleared.stdout.contains("删除 1 个缓存文件"))
        #expect(Self.cacheFiles(cache).isEmpty)
    }

    /// Entries of three CSVs under a cap that holds two: storing the third removes the one used
    /// least recently (the first, unless it was read again since), never the one just written.
    @Test func theSizeCapEvictsTheLeastRecentlyUsed() throws {
        let (first, cache) = try Self.freshCopy("cap")
        let folder = URL(fileURLWithPath: first).deletingLastPathComponent().path
        let second = folder + "/second.csv", third = folder + "/third.csv"
        try FileManager.default.copyItem(atPath: first, toPath: second)
        try FileManager.default.copyItem(atPath: first, toPath: third)
        _ = try Self.passRate(first)
        let entrySize = try #require(FileManager.default.attributesOfItem(atPath: Self.cacheFiles(cache)[0])[.size] as? Int)
        let cap = ["--cache-limit", String(entrySize * 2 + entrySize / 2)]
        Thread.sleep(forTimeInterval: 0.02)
        _ = try Self.passRate(second, cap)
        #expect(Self.cacheFiles(cache).count == 2)
        Thread.sleep(forTimeInterval: 0.02)
        // A hit marks the first entry used: the second is now the least recently used.
        _ = try Self.passRate(first, cap)
        Thread.sleep(forTimeInterval: 0.02)
        _ = try Self.passRate(third, cap)
        let listed = PingchaRunner.run(["cache", "ls", "--cache-dir", cache, "--format", "json"])
        let rows = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as! [String: Any])["rows"] as! [[String: Any]]
        #expect(Set(rows.compactMap { $0["csv"] as? String }) == [first, third])
        let refused = PingchaRunner.run(["cases", "pass-rate", first, "--cache-limit", "lots"])
        #expect(refused.status == 64)
    }
}
