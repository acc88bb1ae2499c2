import Kernels
import Columnar
import Vocabulary
import Query
import Reporting

/// Legal knowledge tests (法律知识测试, DOMAIN.md §2.4): per group the average score; anyone below
/// 60 fails and costs the responsibility item all its 20 points (otherwise 20 × average / 100);
/// the Pingdingshan item 2.3 scores 8 × average / 100; an absent person (`缺考`) counts 0 and is listed.
public enum KnowledgeTest {
    public struct Request: Sendable {
        public var groupBy: String
        /// The test kind scored (现场测试 by default); nil scores every kind.
        public var kind: String?
        /// Only these certificate numbers (the drawn persons of a draw record), when given.
        public var onlyCertificates: Set<String>?
        public var settings: RuleSettings.KnowledgeTest
        /// A filter on the tests file.
        public var filter: Expression?

        public init(groupBy: String, kind: String?, onlyCertificates: Set<String>?, settings: RuleSettings.KnowledgeTest,
                    filter: Expression? = nil) {
            self.filter = filter
            self.groupBy = groupBy
            self.kind = kind
            self.onlyCertificates = onlyCertificates
            self.settings = settings
        }
    }

    public struct Result: Sendable {
        public var table: ResultTable
        /// The table's rows by name.
        var groups: [GroupRow] = []
        /// The absent persons, listed.
        public var absent: ResultTable
        public var settings: [Provenance.Setting]
        /// Test rows whose 证件号 is not in the roster (left out, counted).
        public var notInRoster: Int
        public var otherKinds: Int
        public var notDrawn: Int
        public var filteredOut: Int
    }

    /// Scores `tests`, grouping by a column of the tests file or, through 证件号, of the roster.
    public static func score(tests: Table, roster: Table, request: Request) throws -> Result {
        let testsName = TestsExport.schema.fileName, rosterName = RosterExport.schema.fileName
        let certs = try tests.requiredColumn(TestsExport.certNo, in: testsName), scores = try tests.requiredColumn(TestsExport.score, in: testsName)
        let absentFlags = tests.column(named: TestsExport.absentColumn), kinds = tests.column(named: TestsExport.testKind.header)
        let rosterCerts = try roster.requiredColumn(RosterExport.certNo, in: rosterName)
        let names = roster.column(named: RosterExport.name.header)
        // The group column: the tests file's own, else the roster's through 证件号.
        let groupInTests = tests.column(named: request.groupBy)
        let groupInRoster = groupInTests == nil ? roster.column(named: request.groupBy) : nil
        guard let groupColumn = groupInTests ?? groupInRoster else {
            throw Evaluator.unknownColumn(request.groupBy, candidates: tests.allColumnNames + roster.allColumnNames)
        }
        // The rows scored, on the query engine: the filter's, then those of the kind asked, then
        // the drawn persons', then those whose 证件号 the roster has (each exclusion counted).
        let selected = try request.filter.map { try Evaluator(table: tests).selectRows(where: $0) }
        var scored = selected ?? Array(0..<Int32(tests.rowCount))
        var otherKinds = 0, notDrawn = 0, notInRoster = 0
        if let kind = request.kind {
            // 测试类型 = kind, the column read as text when it is not (a type error otherwise).
            let isKind = try kinds.map { column -> Vector in
                let value: Expression = column.dataType == .text ? .column(column.name, .start) : .cast(.column(column.name, .start), .text, .start)
                return try Evaluator(table: tests).evaluate(.binary(.equal, value, .literal(.text(kind), .start), .start))
            }
            let flags = isKind?.boolBytes(rowCount: tests.rowCount)
            let kept = scored.filter { flags?[Int($0)] == Vector.trueValue }
            otherKinds = scored.count - kept.count
            scored = kept
        }
        if let only = request.onlyCertificates {
            let kept = scored.filter { only.contains(certs.value(at: Int($0)).plainText) }
            notDrawn = scored.count - kept.count
            scored = kept
        }
        let rosterRow = KeyJoin.lastMatch(left: certs, right: rosterCerts)
        let inRoster = scored.filter { rosterRow[Int($0)] >= 0 }
        notInRoster = scored.count - inRoster.count
        scored = inRoster

        // Each scored row's group, score (absent and blank count 0) and absence, grouped by the
        // engine's grouping and summed by its grouped statistics.
        let keyColumn = groupInTests != nil ? groupColumn.gathered(scored) : groupColumn.gathered(scored.map { rosterRow[Int($0)] })
        let grouping = Grouping.make(table: Table(columns: [keyColumn], rowCount: scored.count), columns: [keyColumn], selected: nil)
        let absent = scored.map { absentFlags?.value(at: Int($0)) == .bool(true) }
        let scoreValues = Vector(column: scores).gathered(scored).doubles
        let effective = scored.indices.map { index -> Double in
            guard !absent[index], let (values, validity) = scoreValues, validity?[index] ?? true else { return 0 }
            return values[index]
        }
        let rules = request.settings
        let groupIds = grouping.groupIds
        let statistics = GroupedStatistics.compute(values: ColumnBuffer(effective), validity: nil, groupIds: groupIds,
                                                   groupCount: grouping.groupCount, belowThresholds: [rules.failBelow])
        var absentCount = [Int](repeating: 0, count: grouping.groupCount)
        var absentRows: [AbsentRow] = []
        for (index, row) in scored.enumerated() where absent[index] {
            let group = Int(groupIds[index])
            absentCount[group] += 1
            absentRows.append(AbsentRow(group: grouping.keys[group][0], certNo: certs.value(at: Int(row)).plainText,
                                        name: names?.value(at: Int(rosterRow[Int(row)])) ?? .null))
        }
        var rows: [GroupRow] = []
        for (group, key) in grouping.keys.enumerated() {
            let tested = statistics.rows[group]
            let average = statistics.sum[group] / Double(tested)
            let failed = statistics.below[0][group]
            rows.append(GroupRow(group: key[0], tested: tested, average: average, failed: failed, absent: absentCount[group],
                                 itemPoints: failed > 0 ? 0 : rules.responsibilityItemPoints * average / 100,
                                 acceptancePoints: rules.acceptanceItemPoints * average / 100))
        }
        rows.sort { ValueOrdering.precedesNullsLast($0.group, $1.group) }
        let header = LocalizedText(zh: CaseReview.chineseName(of: groupColumn), en: groupColumn.englishName)
        let table = ResultTable(
            title: LocalizedText(zh: "法律知识测试成绩（低于 \(Value.formatDouble(rules.failBelow)) 分为不及格）",
                                 en: "Legal knowledge tests (below \(Value.formatDouble(rules.failBelow)) fails)"),
            fields: GroupRow.fields(groupKey: groupColumn.englishName, header: header, rules: rules), rows: rows)
        let absentTable = ResultTable(title: LocalizedText(zh: "缺考人员（按 0 分计）", en: "Absent (counted as 0)"),
                                      fields: AbsentRow.fields(groupKey: groupColumn.englishName, header: header), rows: absentRows)
        let settings = [
            Provenance.Setting(key: "fail_below", label: LocalizedText(zh: "及格线", en: "fail below"), value: .double(rules.failBelow)),
            Provenance.Setting(key: "responsibility_item_points", label: LocalizedText(zh: "责任制本项分值", en: "responsibility item"), value: .double(rules.responsibilityItemPoints)),
            Provenance.Setting(key: "acceptance_item_points", label: LocalizedText(zh: "验收本项分值", en: "acceptance item"), value: .double(rules.acceptanceItemPoints)),
            Provenance.Setting(key: "kind", label: LocalizedText(zh: TestsExport.testKind.header, en: "test kind"), value: request.kind.map(Value.text) ?? .text("all")),
            Provenance.Setting(key: "group_by", label: LocalizedText(zh: "分组", en: "grouped by"), value: .text(groupColumn.englishName)),
        ]
        return Result(table: table, groups: rows, absent: absentTable, settings: settings, notInRoster: notInRoster, otherKinds: otherKinds, notDrawn: notDrawn,
                      filteredOut: selected.map { tests.rowCount - $0.count } ?? 0)
    }

    /// One group of the test table.
    struct GroupRow: Sendable {
        var group: Value
        var tested: Int
        var average: Double
        var failed: Int
        var absent: Int
        /// The responsibility item: no points when anyone failed.
        var itemPoints: Double
        var acceptancePoints: Double

        static func fields(groupKey: String, header: LocalizedText, rules: RuleSettings.KnowledgeTest) -> [ResultField<GroupRow>] {
            let responsibility = Value.formatDouble(rules.responsibilityItemPoints), acceptance = Value.formatDouble(rules.acceptanceItemPoints)
            return [
                ResultField(\.group, ResultColumn(key: groupKey, header: header, format: .text)),
                ResultField(\.tested, key: "tested", zh: "测试人数", en: "Tested", format: .integer),
                ResultField(\.average, key: "average", zh: "平均分", en: "Average", format: .decimal(2)),
                ResultField(\.failed, key: "failed", zh: "不及格", en: "Failed", format: .integer),
                ResultField(\.absent, key: "absent", zh: TestsExport.absentColumn, en: "Absent", format: .integer),
                ResultField(\.itemPoints, key: "item_points", zh: "责任制得分（\(responsibility) 分）", en: "Responsibility item (\(responsibility))",
                            format: .decimal(2)),
                ResultField(\.acceptancePoints, key: "acceptance_points", zh: "验收得分（\(acceptance) 分）", en: "Acceptance item (\(acceptance))",
                            format: .decimal(2)),
            ]
        }
    }

    /// A person absent from the test (counted as 0).
    struct AbsentRow {
        var group: Value
        var certNo: String
        var name: Value

        static func fields(groupKey: String, header: LocalizedText) -> [ResultField<AbsentRow>] {
            [
                ResultField(\.group, ResultColumn(key: groupKey, header: header, format: .text)),
                ResultField(\.certNo, ResultColumn(RosterExport.certNo, format: .text)),
                ResultField(\.name, ResultColumn(RosterExport.name, format: .text)),
            ]
        }
    }
}
