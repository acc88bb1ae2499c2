import Columnar
import Query

/// The exports' names as the rules' messages use them.
enum ExportFileName {
    static let cases = LocalizedText(zh: "案卷文件", en: "cases file")
    static let roster = LocalizedText(zh: "名册", en: "roster")
    static let tests = LocalizedText(zh: "测试成绩文件", en: "tests file")
    static let competition = LocalizedText(zh: "比武成绩文件", en: "competition file")
    static let acceptance = LocalizedText(zh: "验收扣分表", en: "acceptance sheet")
    static let candidates = LocalizedText(zh: "推荐对象文件", en: "candidates file")
    static let riskCatalog = LocalizedText(zh: "风险目录", en: "risk catalog")
}

extension Table {
    /// The column answering to `name`.
    ///
    /// - Throws: `PingchaError(.data)` naming the file, the column and, when given, what the
    ///   rule could not do without it.
    func requiredColumn(_ name: String, in file: LocalizedText, for purpose: LocalizedText? = nil) throws -> Column {
        guard let found = column(named: name) else {
            throw PingchaError(.data, zh: "\(file.zh)缺少「\(name)」列" + (purpose.map { "，\($0.zh)" } ?? "") + "。",
                               en: "the \(file.en) has no '\(name)' column" + (purpose.map { "; \($0.en)" } ?? "") + ".")
        }
        return found
    }

    /// The column a command groups by (`--by`): any column the file has.
    ///
    /// - Throws: `QueryError` for a name no column answers to, listing the columns there are.
    func groupingColumn(_ name: String) throws -> Column {
        guard let found = column(named: name) else { throw Evaluator.unknownColumn(name, candidates: allColumnNames) }
        return found
    }
}
