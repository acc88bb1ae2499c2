import Columnar
import Vocabulary
import Reporting

extension Commendation {
    /// The measured figures a composite ranking weighs (§2.9): pass rate, satisfaction index,
    /// test average and acceptance total, each from its own rule.
    public struct Figures: Sendable {
        public struct Measured: Sendable, Equatable {
            public var passRate: Double?
            public var satisfactionIndex: Double?
            public var testAverage: Double?
            public var standardTotal: Double?
        }

        public var passRateByUnit: [String: Double] = [:]
        public var satisfactionByUnit: [String: Double] = [:]
        public var testAverageByUnit: [String: Double] = [:]
        public var testAverageByCertificate: [String: Double] = [:]
        public var standardTotalByUnit: [String: Double] = [:]
        /// The standard's highest total, to put totals on a 0–100 scale.
        public var standardMaximum: Double = 100

        public init() {}

        /// A candidate's figures: a person's own test average, the unit's for the rest.
        public func measured(unit: String, certNo: String?) -> Measured {
            let test = certNo.flatMap { testAverageByCertificate[$0] } ?? (certNo == nil ? testAverageByUnit[unit] : nil)
            return Measured(passRate: passRateByUnit[unit], satisfactionIndex: satisfactionByUnit[unit], testAverage: test,
                            standardTotal: standardTotalByUnit[unit])
        }

        /// Σ weight × figure on a 0–100 scale, over the figures measured, divided by their weights;
        /// nil when none is measured.
        public func composite(_ figures: Measured, weights: [String: Double]) -> Double? {
            let scaled: [(String, Double?)] = [
                ("pass_rate", figures.passRate.map { $0 * 100 }),
                ("satisfaction_index", figures.satisfactionIndex),
                ("test_average", figures.testAverage),
                ("standard_total", figures.standardTotal.map { $0 * 100 / standardMaximum }),
            ]
            var sum = 0.0, weight = 0.0
            for (key, value) in scaled {
                guard let value, let w = weights[key], w > 0 else { continue }
                sum += w * value
                weight += w
            }
            return weight > 0 ? sum / weight : nil
        }

        /// Each row's `value` (where it has one) by the text of its `key`.
        static func lookup<Row>(_ rows: [Row], key: (Row) -> String, value: (Row) -> Double?) -> [String: Double] {
            var result: [String: Double] = [:]
            for row in rows {
                if let found = value(row) { result[key(row)] = found }
            }
            return result
        }

        /// Measures the figures from whichever exports are given.
        public static func measure(cases: Table?, survey: (table: Table, lines: [Int32])?, tests: Table?, roster: Table?,
                                   acceptance: (table: Table, lines: [Int32])?, standard: ScoringStandard?, settings: RuleSettings) throws -> Figures {
            var figures = Figures()
            if let cases {
                let result = try CaseReview.passRate(table: cases, request: CaseReview.PassRateRequest(
                    groupBy: CasesExport.unit.header, filter: nil, filterText: nil, passThreshold: settings.caseReview.passThreshold,
                    lineReading: settings.caseReview.lineReading, excellentThreshold: settings.caseReview.excellentThreshold))
                figures.passRateByUnit = lookup(result.groups, key: \.group.plainText, value: \.passRate.asDouble)
            }
            if let survey {
                let result = try Satisfaction.evaluate(table: survey.table, lines: survey.lines, request: Satisfaction.Request(
                    groupBy: SurveyExport.unit.header, filter: nil, filterText: nil, settings: settings.satisfaction, comparePeriod: false))
                figures.satisfactionByUnit = lookup(result.groups, key: \.group.plainText, value: \.index)
            }
            if let tests, let roster {
                let byUnit = try KnowledgeTest.score(tests: tests, roster: roster, request: KnowledgeTest.Request(
                    groupBy: TestsExport.unit.header, kind: settings.knowledgeTest.kind, onlyCertificates: nil, settings: settings.knowledgeTest))
                figures.testAverageByUnit = lookup(byUnit.groups, key: \.group.plainText, value: \.average)
                let byPerson = try KnowledgeTest.score(tests: tests, roster: roster, request: KnowledgeTest.Request(
                    groupBy: TestsExport.certNo.header, kind: settings.knowledgeTest.kind, onlyCertificates: nil, settings: settings.knowledgeTest))
                figures.testAverageByCertificate = lookup(byPerson.groups, key: \.group.plainText, value: \.average)
            }
            if let acceptance, let standard {
                // The standard's data items are computed from the same exports, as `standard score` would.
                let units = try StandardScoring.units(onSheet: acceptance.table, standard: standard)
                let outcomes = try StandardScoring.computeDataItems(standard: standard, units: units, inputs: StandardScoring.DataInputs(
                    cases: cases, tests: tests, roster: roster, drawn: nil, settings: settings))
                let scored = try StandardScoring.score(sheet: acceptance.table, lines: acceptance.lines, request: StandardScoring.Request(
                    standard: standard, dataOutcomes: outcomes))
                figures.standardTotalByUnit = lookup(scored.scores, key: \.unit, value: \.total)
                figures.standardMaximum = standard.generalPoints + standard.bonusCap
            }
            return figures
        }
    }
}
