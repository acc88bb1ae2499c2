import Columnar
import Vocabulary
import Reporting

/// The enforcement competition (比武, DOMAIN.md §2.5): team score = theory average × 40% +
/// simulation × 60% (仅理论: theory × 100%); misconduct (弄虚作假、作弊) scores 0 and is listed as such,
/// a team's (违规 in the competition file) and a person's (违规 in the tests: 0 in the theory average);
/// scores are exact fractions, published to two decimals and ranked on the published value (1, 2, 2, 4).
public enum Competition {
    public struct Result: Sendable {
        public var table: ResultTable
        /// Persons marked for misconduct in the tests (违规 = 是): their theory score counts 0.
        public var misconductPersons: ResultTable
        public var settings: [Provenance.Setting]
        /// Theory-test rows whose 证件号 is not in the roster (left out, counted).
        public var notInRoster: Int
        /// Theory-test rows of persons whose team is not in the competition file.
        public var otherTeams: Int
    }

    static let theoryAndSimulation = "理论+模拟"
    static let theoryOnly = "仅理论"

    /// Scores the teams of `competition`; theory averages come from the `tests` rows of the theory
    /// kind, joined to a team through the roster (the person's 省辖市, or the unit for 省直).
    public static func score(competition: Table, tests: Table, roster: Table, settings: RuleSettings.Competition) throws -> Result {
        let competitionName = CompetitionExport.schema.fileName, testsName = TestsExport.schema.fileName, rosterName = RosterExport.schema.fileName
        let teams = try competition.requiredColumn(CompetitionExport.team, in: competitionName)
        let tracks = try competition.requiredColumn(CompetitionExport.track, in: competitionName)
        let simulations = try competition.requiredColumn(CompetitionExport.simulation, in: competitionName)
        let misconduct = competition.column(named: CompetitionExport.misconduct.header)
        let certs = try tests.requiredColumn(TestsExport.certNo, in: testsName), scores = try tests.requiredColumn(TestsExport.score, in: testsName)
        let kinds = try tests.requiredColumn(TestsExport.testKind, in: testsName)
        let absent = tests.column(named: TestsExport.absentColumn), personMisconduct = tests.column(named: TestsExport.misconduct.header)
        let names = roster.column(named: RosterExport.name.header)
        let rosterCerts = try roster.requiredColumn(RosterExport.certNo, in: rosterName), cities = try roster.requiredColumn(RosterExport.city, in: rosterName)
        let rosterUnits = try roster.requiredColumn(RosterExport.unit, in: rosterName)

        var teamOf: [String: String] = [:]
        var nameOf: [String: Value] = [:]
        for row in 0..<roster.rowCount {
            let city = cities.value(at: row).plainText
            let cert = rosterCerts.value(at: row).plainText
            teamOf[cert] = city == "省直" ? rosterUnits.value(at: row).plainText : city
            nameOf[cert] = names?.value(at: row) ?? .null
        }
        var misconductRows: [MisconductRow] = []
        let teamNames = Set((0..<competition.rowCount).map { teams.value(at: $0).plainText })
        var theory: [String: (sum: ExactFraction, count: Int64)] = [:]
        var notInRoster = 0, otherTeams = 0
        for row in 0..<tests.rowCount where kinds.value(at: row).plainText == settings.theoryKind {
            guard let team = teamOf[certs.value(at: row).plainText] else {
                notInRoster += 1
                continue
            }
            guard teamNames.contains(team) else {
                otherTeams += 1
                continue
            }
            let cert = certs.value(at: row).plainText
            let cheated = personMisconduct?.value(at: row) == .bool(true)
            if cheated {
                misconductRows.append(MisconductRow(team: team, certNo: cert, name: nameOf[cert] ?? .null, scoreRecorded: scores.value(at: row)))
            }
            let value = absent?.value(at: row) == .bool(true) || cheated ? ExactFraction(0) : exact(scores.value(at: row))
            let entry = theory[team] ?? (ExactFraction(0), 0)
            theory[team] = (entry.sum + (value ?? ExactFraction(0)), entry.count + 1)
        }

        let theoryWeight = exact(.double(settings.theoryWeight)) ?? ExactFraction(2, 5)
        let simulationWeight = exact(.double(settings.simulationWeight)) ?? ExactFraction(3, 5)
        let places = settings.publishedPlaces
        var results: [TeamRow] = []
        for row in 0..<competition.rowCount {
            let team = teams.value(at: row).plainText, track = tracks.value(at: row).plainText
            let cheated = misconduct?.value(at: row) == .bool(true)
            let average = theory[team].map { $0.sum / $0.count }
            let simulation = exact(simulations.value(at: row))
            var score: ExactFraction?
            var note: String?
            switch track {
            case theoryOnly:
                score = average
                if average == nil { note = "no_theory" }
            case theoryAndSimulation:
                if let average, let simulation {
                    score = average * theoryWeight + simulation * simulationWeight
                } else {
                    note = average == nil ? "no_theory" : "no_simulation"
                }
            default:
                note = "unknown_track"
            }
            if cheated {
                score = ExactFraction(0)
                note = "misconduct"
            }
            let published = score?.published(places: places)
            results.append(TeamRow(team: team, track: track, theoryTested: theory[team]?.count ?? 0,
                                   theoryAverage: average.map { $0.published(places: places) }, simulation: simulation.map(\.doubleValue),
                                   score: published, misconduct: cheated, note: note))
        }
        let ranks = CompetitionRanking.ranks(results.map(\.score), isBetter: >)
        for index in results.indices { results[index].rank = ranks[index] }
        results.sort { left, right in
            switch (left.rank, right.rank) {
            case let (l?, r?) where l != r: return l < r
            case (.some, nil): return true
            case (nil, .some): return false
            default: return left.team.utf8.lexicographicallyPrecedes(right.team.utf8)
            }
        }
        let theoryPercent = Value.formatDouble(settings.theoryWeight * 100), simulationPercent = Value.formatDouble(settings.simulationWeight * 100)
        let table = ResultTable(
            title: LocalizedText(zh: "比武成绩（理论平均分 × \(theoryPercent)% + 模拟执法 × \(simulationPercent)%；仅理论 × 100%）",
                                 en: "Competition (theory average × \(theoryPercent)% + simulation × \(simulationPercent)%; theory only × 100%)"),
            fields: TeamRow.fields(places: places), rows: results)
        let settingsUsed = [
            Provenance.Setting(key: "theory_weight", label: LocalizedText(zh: "理论权重", en: "theory weight"), value: .double(settings.theoryWeight)),
            Provenance.Setting(key: "simulation_weight", label: LocalizedText(zh: "模拟执法权重", en: "simulation weight"), value: .double(settings.simulationWeight)),
            Provenance.Setting(key: "theory_kind", label: LocalizedText(zh: "理论测试类型", en: "theory test kind"), value: .text(settings.theoryKind)),
            Provenance.Setting(key: "published_places", label: LocalizedText(zh: "公布小数位（按此排名）", en: "published decimals (ranked on)"), value: .int(Int64(places))),
        ]
        misconductRows.sort { left, right in
            left.team != right.team ? left.team.utf8.lexicographicallyPrecedes(right.team.utf8)
                                    : left.certNo.utf8.lexicographicallyPrecedes(right.certNo.utf8)
        }
        let persons = ResultTable(
            title: LocalizedText(zh: "个人违规（弄虚作假、作弊）：理论成绩计 0 分", en: "Personal misconduct: theory score counted as 0"),
            fields: MisconductRow.fields, rows: misconductRows)
        return Result(table: table, misconductPersons: persons, settings: settingsUsed, notInRoster: notInRoster, otherTeams: otherTeams)
    }

    /// The exact value of a score as written (its shortest decimal text).
    static func exact(_ value: Value) -> ExactFraction? {
        guard let number = value.asDouble, number.isFinite else { return nil }
        return ExactFraction(decimalText: Value.formatDouble(number))
    }

    /// One team's result.
    struct TeamRow {
        var rank: Int?
        var team: String
        var track: String
        var theoryTested: Int64
        /// The theory average as published (rounded to the published places).
        var theoryAverage: Double?
        var simulation: Double?
        /// The score as published; teams are ranked on it.
        var score: Double?
        var misconduct: Bool
        var note: String?

        static func fields(places: Int) -> [ResultField<TeamRow>] {
            [
                ResultField(\.rank, key: "rank", zh: "名次", en: "Rank", format: .integer),
                ResultField(\.team, ResultColumn(CompetitionExport.team, format: .text)),
                ResultField(\.track, ResultColumn(CompetitionExport.track, format: .label([
                    theoryAndSimulation: LocalizedText(zh: theoryAndSimulation, en: "theory + simulation"),
                    theoryOnly: LocalizedText(zh: theoryOnly, en: "theory only"),
                ]))),
                ResultField(\.theoryTested, key: "theory_tested", zh: "理论测试人数", en: "Theory tested", format: .integer),
                ResultField(\.theoryAverage, key: "theory_average", zh: "理论平均分", en: "Theory average", format: .decimal(places)),
                ResultField(\.simulation, ResultColumn(CompetitionExport.simulation, format: .decimal(places))),
                ResultField(\.score, key: "score", zh: "成绩", en: "Score", format: .decimal(places)),
                ResultField(\.misconduct, key: "misconduct", zh: "违规（弄虚作假、作弊）", en: "Misconduct", format: .bool),
                ResultField(\.note, key: "note", zh: "说明", en: "Note", format: .label([
                    "misconduct": LocalizedText(zh: "违规，成绩计 0 分", en: "misconduct: scored 0"),
                    "no_theory": LocalizedText(zh: "无理论测试成绩，未计分", en: "no theory scores: not scored"),
                    "no_simulation": LocalizedText(zh: "缺模拟执法得分，未计分", en: "no simulation score: not scored"),
                    "unknown_track": LocalizedText(zh: "参赛类别应为「理论+模拟」或「仅理论」，未计分", en: "track must be 理论+模拟 or 仅理论: not scored"),
                ])),
            ]
        }
    }

    /// A person whose theory score counts as 0 for misconduct.
    struct MisconductRow {
        var team: String
        var certNo: String
        var name: Value
        var scoreRecorded: Value

        static let fields: [ResultField<MisconductRow>] = [
            ResultField(\.team, ResultColumn(CompetitionExport.team, format: .text)),
            ResultField(\.certNo, ResultColumn(RosterExport.certNo, format: .text)),
            ResultField(\.name, ResultColumn(RosterExport.name, format: .text)),
            ResultField(\.scoreRecorded, key: "score_recorded", zh: "原记录得分", en: "Score recorded", format: .number),
        ]
    }
}
