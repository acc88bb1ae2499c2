import CSVIngest
import Columnar
import Foundation
import Query

/// A small cases-like table (nulls, text, numbers, dates, booleans) that every table name in a
/// fuzzed statement reads.
let fuzzTable: Table = {
    let text = """
        案卷编号,执法单位,县区,评查得分,评查年度,决定日期,重大案件,备注
        A-1,漯河市市场监督管理局,,69.9,2022,2022-06-15,是,"含,逗号"
        A-2,舞阳县交通运输局,舞阳县,70,2023,2023-01-02,否,
        A-3,漯河市市场监督管理局,郾城区,,2022,,是,5"3

        """
    let path = FuzzFile.path + ".table.csv"
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    var options = LoadOptions()
    options.valueRules = false
    return try! CSVLoader.load(path: path, options: options).table
}()

/// Random and mutated statements (the seed corpus is the cross-check's queries): parsed,
/// bound and run. A query error is an answer; a crash or a hang is a failure.
public func fuzzQuery(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let sql = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        for statement in try SQLParser.parse(sql) {
            // A pass line for pass_rate(x) without one of its own (the fuzzer reads no rules file).
            _ = try SQLExecutor(statement: statement, passLine: 70) { _ in fuzzTable }.run()
        }
    } catch {
        // Refused statements are fine; only crashes and hangs are findings.
    }
    return 0
}

/// Builds the table before the first input, so that libFuzzer's leak check around each input
/// does not count the table's one-time allocations.
public func prepareQueryFuzzing() {
    _ = fuzzTable.rowCount
}
