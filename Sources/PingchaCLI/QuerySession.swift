import CSVIngest
import Evaluation
import Columnar
import Query
import Reporting

/// The named tables of `query` and `shell`, and the loads their statements share: a table is
/// read once with the columns its statements need, and read again only when a later statement
/// needs a column it lacks.
final class QuerySession {
    private let named: [String: String]
    private let loader: ExportLoader
    /// The analyst's rules file (nil: the bundled rules), and the rules once read: a file of the
    /// analyst's at once (its mistakes are reported whatever the statements), the bundled rules
    /// only when a statement counts from their pass line.
    private let rulesPath: String?
    private var rules: RuleSettings?
    /// Each path's load and the columns it was asked for (nil: every column); for a join's
    /// tables, names of columns they lack may be among them.
    private var loaded: [String: (columns: Set<String>?, table: LoadedTable)] = [:]

    /// `tables` as NAME=FILE (checked by the command); the rules from `rules` or the bundled file.
    init(tables: [String], input: InputOptions, rules: String?, language: Language) throws {
        named = Dictionary(tables.map { entry -> (String, String) in
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0].lowercased(), parts[1])
        }, uniquingKeysWith: { _, last in last })
        loader = ExportLoader(input: input, language: language)
        rulesPath = rules
        if rules != nil { self.rules = try RuleSettings.load(overridePath: rules) }
    }

    private func settings() throws -> RuleSettings {
        if let rules { return rules }
        let read = try RuleSettings.load(overridePath: rulesPath)
        rules = read
        return read
    }

    /// The statements of `text` parsed and run: one section per statement, and the provenance of
    /// the files they read. `command` names the run in the provenance.
    func report(for text: String, command: String) throws -> Report {
        let statements = try Pingcha.QueryCommand.parse(text)
        // A join's tables are each loaded with the names they have of those the statements read.
        // When such a statement fails, it runs again over every column, so that an error about a
        // name is told with all the names there are to suggest (not with a rejects file, which a
        // second load would add the same rows to).
        let pruned = loader.input.rejects == nil && statements.contains { !$0.joins.isEmpty }
            && statements.allSatisfy { $0.namesRead != nil }
        do {
            do {
                return try report(for: text, statements: statements, command: command, pruneJoins: pruned)
            } catch is QueryError where pruned {
                return try report(for: text, statements: statements, command: command, pruneJoins: false)
            }
        } catch let error as QueryError {
            throw error.asPingchaError(in: text)
        }
    }

    private func report(for text: String, statements: [SelectStatement], command: String, pruneJoins: Bool) throws -> Report {
        // pass_rate(score) counts from the rules' pass line (read as their line_reading says).
        let usesDefaultLine = statements.contains(where: \.usesDefaultPassLine)
        let settings = usesDefaultLine ? try self.settings() : nil
        let passLine = settings.map { $0.caseReview.lineReading.strictLine($0.caseReview.passThreshold) }
        // Only the columns the statements read are loaded (from the cache, only those are read);
        // every column for SELECT *, or for a join unless `pruneJoins`.
        let wanted: Set<String>? = pruneJoins ? Set(statements.flatMap { $0.namesRead! })
            : statements.allSatisfy({ $0.columnsRead != nil }) ? Set(statements.flatMap { $0.columnsRead! }) : nil
        var used: [String] = []
        let source: SQLExecutor.TableSource = { reference in
            let path = try self.path(of: reference)
            if !used.contains(path) { used.append(path) }
            return try self.table(at: path, columns: wanted, mayBeMissing: pruneJoins).table
        }
        var sections: [Report.Section] = []
        var plans: [String] = []
        for (index, statement) in statements.enumerated() {
            let result = try SQLExecutor(statement: statement, passLine: passLine, source: source).run()
            plans.append(result.plan)
            let key = statements.count == 1 ? "rows" : "statement_\(index + 1)"
            sections.append(Report.Section(key: key, table: QueryTables.resultTable(result, number: index + 1, of: statements.count)))
        }
        let loads = used.map { loaded[$0]!.table }
        let provenance = Provenance(
            command: command, inputs: loads.map(ExportLoader.provenanceInput),
            settings: [Provenance.Setting(key: "sql", label: LocalizedText(zh: "查询", en: "query"), value: .text(text)),
                       Provenance.Setting(key: "plan", label: LocalizedText(zh: "执行方式", en: "plan"),
                                          value: .text(plans.joined(separator: ",")))]
                + (settings.map { settings in
                    let review = settings.caseReview
                    return [Provenance.Setting(key: "pass_threshold", label: LocalizedText(zh: "pass_rate 的合格线", en: "pass_rate's pass line"),
                                               value: .double(review.passThreshold)),
                            review.lineReading.setting(review.passThreshold), RulesOption.setting(settings.source)]
                } ?? []),
            exclusions: loads.flatMap(ExclusionList.rejected))
        return Report(sections: sections, provenance: provenance)
    }

    /// The file a FROM or JOIN names: a quoted path, or a name given with --table.
    private func path(of reference: SelectStatement.TableReference) throws -> String {
        if reference.isPath { return reference.source }
        if let mapped = named[reference.source.lowercased()] { return mapped }
        let close = NameSuggestions.closest(to: reference.source, among: Array(named.keys).sorted())
        let hint = close.isEmpty ? "" : "（是不是指：\(close.joined(separator: "、"))）"
        let hintEn = close.isEmpty ? "" : " (did you mean: \(close.joined(separator: ", ")))"
        throw QueryError(message: LocalizedText(
            zh: "没有名为「\(reference.source)」的表\(hint)；用 --table 名称=文件 指定，或直接写 FROM '文件.csv'。",
            en: "no table named '\(reference.source)'\(hintEn); name one with --table NAME=FILE, or write FROM 'file.csv'."),
            position: reference.position)
    }

    /// The load of `path` holding `columns` (nil: every column): the one already made when it
    /// holds them, else a new load of those and the ones loaded before.
    private func table(at path: String, columns: Set<String>?, mayBeMissing: Bool) throws -> LoadedTable {
        if let existing = loaded[path] {
            guard let had = existing.columns else { return existing.table }
            if let columns, columns.isSubset(of: had) { return existing.table }
        }
        let union = columns.map { $0.union(loaded[path]?.columns ?? []) }
        let table = try loader.load(path, schema: nil, columns: union.map { $0.sorted() }, columnsMayBeMissing: mayBeMissing,
                                    rowLines: false, valueRules: false)
        loaded[path] = (union, table)
        return table
    }
}
