import Columnar
import Foundation

/// The rules an office may change (DOMAIN.md §2): bundled as `rules.json`, overridable in part
/// by `--rules FILE`, whose keys replace the bundled ones and leave the others as they are.
public struct RuleSettings: Sendable {
    /// The case-file review (§2.1).
    public struct CaseReview: Sendable, Codable, Equatable {
        /// How the pass line reads (§2.1): the product card's "below 70" (70.0 passes), or the
        /// Civil Code's convention for seed `004`'s 70分以下 (以下 includes the number: 70.0 fails).
        public enum LineReading: String, Sendable, Codable, Equatable {
            case below
            case atOrBelow = "at_or_below"
        }

        /// The pass line; a file scoring below it (or at it, by `lineReading`) is unqualified (不合格).
        public var passThreshold: Double
        public var lineReading: LineReading
        /// At or above this a file is excellent (优秀).
        public var excellentThreshold: Double
        /// The yearly-review item: how many recent years must each have a reviewed file,
        /// what a missing year costs, and the item's points.
        public var reviewYearsChecked: Int
        public var missingYearDeduction: Double
        public var reviewItemPoints: Double

        public init(passThreshold: Double, lineReading: LineReading = .below, excellentThreshold: Double, reviewYearsChecked: Int = 3,
                    missingYearDeduction: Double = 2, reviewItemPoints: Double = 6) {
            self.passThreshold = passThreshold
            self.lineReading = lineReading
            self.excellentThreshold = excellentThreshold
            self.reviewYearsChecked = reviewYearsChecked
            self.missingYearDeduction = missingYearDeduction
            self.reviewItemPoints = reviewItemPoints
        }

        enum CodingKeys: String, CodingKey {
            case passThreshold = "pass_threshold"
            case lineReading = "line_reading"
            case excellentThreshold = "excellent_threshold"
            case reviewYearsChecked = "review_years_checked"
            case missingYearDeduction = "missing_year_deduction"
            case reviewItemPoints = "review_item_points"
        }
    }

    /// Major-penalty filing (§2.7).
    public struct Filing: Sendable, Codable, Equatable {
        /// A filing this many days after the decision is still on time (day 15 is on time).
        public var daysAllowed: Int
        public var itemPoints: Double
        public var unfiledDeduction: Double
        public var lateDeduction: Double

        enum CodingKeys: String, CodingKey {
            case daysAllowed = "days_allowed"
            case itemPoints = "item_points"
            case unfiledDeduction = "unfiled_deduction"
            case lateDeduction = "late_deduction"
        }
    }

    /// Legal knowledge tests (§2.4).
    public struct KnowledgeTest: Sendable, Codable, Equatable {
        /// A score below this fails.
        public var failBelow: Double
        /// Responsibility standard item 2.1: 0 when anyone fails, else points × average / 100.
        public var responsibilityItemPoints: Double
        /// Pingdingshan item 2.3: points × average / 100.
        public var acceptanceItemPoints: Double
        /// The test kind scored by default (现场测试).
        public var kind: String
        /// The on-line test of Pingdingshan item 2.3 (在线测试).
        public var onlineKind: String
        /// The share of each unit drawn for the on-line test (`draw --proportional`; 001 按比例随机抽取).
        public var onlineDrawShare: Double

        enum CodingKeys: String, CodingKey {
            case failBelow = "fail_below"
            case responsibilityItemPoints = "responsibility_item_points"
            case acceptanceItemPoints = "acceptance_item_points"
            case kind
            case onlineKind = "online_kind"
            case onlineDrawShare = "online_draw_share"
        }
    }

    /// Satisfaction (§2.2).
    public struct Satisfaction: Sendable, Codable, Equatable {
        /// Answer labels and the number each stands for.
        public var labels: [String: Int]
        /// 总体评价 at or above this counts as satisfied (基本满意 or better).
        public var satisfiedFrom: Int
        public var minResponses: Int
        /// A group whose satisfied-rate interval is wider than ± this is too small to rank.
        public var maxRateHalfWidth: Double

        enum CodingKeys: String, CodingKey {
            case labels
            case satisfiedFrom = "satisfied_from"
            case minResponses = "min_responses"
            case maxRateHalfWidth = "max_rate_half_width"
        }
    }

    /// The competition (§2.5).
    public struct Competition: Sendable, Codable, Equatable {
        public var theoryWeight: Double
        public var simulationWeight: Double
        /// The test kind whose scores make the theory average (理论测试).
        public var theoryKind: String
        /// Scores are published, and ranked, at this many decimals.
        public var publishedPlaces: Int

        enum CodingKeys: String, CodingKey {
            case theoryWeight = "theory_weight"
            case simulationWeight = "simulation_weight"
            case theoryKind = "theory_kind"
            case publishedPlaces = "published_places"
        }
    }

    /// Legal-risk grading (§2.8).
    public struct Risk: Sendable, Codable, Equatable {
        /// Frequent (多发): in this top share of a group and period's violation counts.
        public var frequentTopShare: Double
        /// Rare (偶发): fewer than this many cases in the period.
        public var rareBelow: Int
        public var compulsionCaseType: String
        public var simpleProcedure: String
        /// How many of the most affected units to name.
        public var topUnits: Int

        enum CodingKeys: String, CodingKey {
            case frequentTopShare = "frequent_top_share"
            case rareBelow = "rare_below"
            case compulsionCaseType = "compulsion_case_type"
            case simpleProcedure = "simple_procedure"
            case topUnits = "top_units"
        }
    }

    /// Commendation (§2.9).
    public struct Commendation: Sendable, Codable, Equatable {
        /// Grades by rank, after the 2019 rules on parallel posts and grades.
        public struct GradeTable: Sendable, Codable, Equatable {
            public enum Rank: String, Sendable {
                case above, division, below
            }

            public var above: [String]
            public var division: [String]
            public var below: [String]

            /// The rank of `grade` (spaces ignored); nil when the table does not know it.
            public func rank(of grade: String) -> Rank? {
                let key = grade.filter { !$0.isWhitespace }
                if above.contains(key) { return .above }
                if division.contains(key) { return .division }
                if below.contains(key) { return .below }
                return nil
            }
        }

        public struct Quota: Sendable, Codable, Equatable {
            public var units: Int
            public var persons: Int
        }

        /// Places per recommender kind: `city`, `jiyuan`, `department`.
        public var quotas: [String: Quota]
        /// Recommenders whose kind is not read from the name (name → kind).
        public var recommenderKinds: [String: String]
        /// At most floor(share × persons put forward) may be division level.
        public var divisionLevelShare: Double
        /// The grades (职级) and unit levels (单位级别) by rank: above 正处级 (ineligible), division
        /// level (处级: eligible, counted towards the cap), below; a grade in none is reported.
        public var grades: GradeTable
        /// The staff types of 正式工作人员, the only ones the 3-years-in-the-role route is open to.
        public var formalStaffTypes: [String]
        /// A person without a certificate needs at least this many years in the role.
        public var minYearsWithoutCertificate: Double
        /// Weights of the composite ranking: pass_rate, satisfaction_index, test_average, standard_total.
        public var compositeWeights: [String: Double]

        enum CodingKeys: String, CodingKey {
            case quotas
            case recommenderKinds = "recommender_kinds"
            case divisionLevelShare = "division_level_share"
            case grades
            case formalStaffTypes = "formal_staff_types"
            case minYearsWithoutCertificate = "min_years_without_certificate"
            case compositeWeights = "composite_weights"
        }
    }

    public var rulesVersion: String
    public var caseReview: CaseReview
    public var filing: Filing
    public var knowledgeTest: KnowledgeTest
    public var satisfaction: Satisfaction
    public var competition: Competition
    public var risk: Risk
    public var commendation: Commendation
    /// Where the settings came from: `builtin` or the override file's path.
    public var source: String

    private struct File: Codable {
        var rulesVersion: String
        var caseReview: CaseReview
        var filing: Filing
        var knowledgeTest: KnowledgeTest
        var satisfaction: Satisfaction
        var competition: Competition
        var risk: Risk
        var commendation: Commendation

        enum CodingKeys: String, CodingKey {
            case rulesVersion = "rules_version"
            case caseReview = "case_review"
            case filing
            case knowledgeTest = "knowledge_test"
            case satisfaction
            case competition
            case risk
            case commendation
        }
    }

    /// The bundled settings, overlaid with `overridePath` when given.
    ///
    /// - Throws: `PingchaError` (.missingInput or .data) naming the file and what is wrong in it.
    public static func load(overridePath: String?) throws -> RuleSettings {
        let damaged = PingchaError(.internal, zh: "内置规则文件缺失或损坏。", en: "the bundled rules file is missing or damaged.")
        guard let url = Bundle.module.url(forResource: "rules", withExtension: "json"),
              let bundled = try? Data(contentsOf: url) else { throw damaged }
        var source = "builtin"
        var merged: [String: Any] = [:]
        if let overridePath {
            guard let parsed = (try? JSONSerialization.jsonObject(with: bundled)) as? [String: Any] else { throw damaged }
            merged = parsed
            guard let data = FileManager.default.contents(atPath: overridePath) else {
                throw PingchaError(.missingInput, zh: "找不到规则文件 \(overridePath)", en: "cannot read the rules file \(overridePath)")
            }
            guard let overrides = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                throw PingchaError(.data, zh: "规则文件 \(overridePath) 不是有效的 JSON 对象。", en: "the rules file \(overridePath) is not a valid JSON object.")
            }
            merged = overlay(merged, overrides)
            source = overridePath
        }
        do {
            // Without a rules file of the analyst's the bundled bytes are decoded as they are (writing
            // the parsed object back out first was a tenth of a small query's run).
            let data = overridePath == nil ? bundled : try JSONSerialization.data(withJSONObject: merged)
            let file = try JSONDecoder().decode(File.self, from: data)
            let settings = RuleSettings(rulesVersion: file.rulesVersion, caseReview: file.caseReview, filing: file.filing,
                                        knowledgeTest: file.knowledgeTest, satisfaction: file.satisfaction,
                                        competition: file.competition, risk: file.risk,
                                        commendation: file.commendation, source: source)
            try settings.validate(path: source)
            try settings.validateCompetition(path: source)
            let commend = settings.commendation
            guard (0...1).contains(commend.divisionLevelShare), commend.minYearsWithoutCertificate >= 0,
                  commend.quotas.values.allSatisfy({ $0.units >= 0 && $0.persons >= 0 }),
                  commend.recommenderKinds.values.allSatisfy({ commend.quotas[$0] != nil }),
                  commend.compositeWeights.values.allSatisfy({ $0 >= 0 }),
                  Set(commend.compositeWeights.keys).isSubset(of: ["pass_rate", "satisfaction_index", "test_average", "standard_total"]) else {
                throw PingchaError.rulesFile(source, zh: "commendation 的名额和权重不能为负，处级比例在 0–1 之间，recommender_kinds 只能用 quotas 中的类别，权重只能是 pass_rate、satisfaction_index、test_average、standard_total。", en: "commendation quotas and weights must not be negative, the division-level share lie in 0–1, recommender_kinds use kinds from quotas, weights be pass_rate, satisfaction_index, test_average or standard_total.")
            }
            let grades = commend.grades
            let listed = grades.above + grades.division + grades.below
            if let twice = Dictionary(grouping: listed, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
                throw PingchaError.rulesFile(source, zh: "职级「\(twice)」在 commendation.grades 中出现了不止一次。", en: "the grade '\(twice)' is listed more than once in commendation.grades.")
            }
            guard settings.risk.frequentTopShare > 0, settings.risk.frequentTopShare <= 1, settings.risk.rareBelow >= 0, settings.risk.topUnits >= 1 else {
                throw PingchaError.rulesFile(source, zh: "risk 的 frequent_top_share 应在 0–1 之间（不含 0），rare_below 不能为负，top_units 至少 1。", en: "risk.frequent_top_share must lie in (0, 1], rare_below not be negative, top_units at least 1.")
            }
            return settings
        } catch let error as PingchaError {
            throw error
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw PingchaError(.data, zh: "规则文件 \(source) 中 \(path) 的值类型不对。", en: "in the rules file \(source), \(path) has the wrong type.")
        } catch {
            throw PingchaError(.data, zh: "规则文件 \(source) 无法读取：\(error)", en: "cannot read the rules file \(source): \(error)")
        }
    }

    private func validate(path: String) throws {
        let review = caseReview
        guard (0...100).contains(review.passThreshold), (0...100).contains(review.excellentThreshold),
              review.passThreshold <= review.excellentThreshold, review.reviewYearsChecked >= 1,
              review.missingYearDeduction >= 0, review.reviewItemPoints >= 0 else {
            throw PingchaError.rulesFile(path, zh: "case_review 的分数线应在 0–100 之间，且合格线不高于优秀线；核查年数至少 1，扣分和分值不能为负。", en: "case_review thresholds must lie in 0–100, the pass line not above the excellent line; at least 1 year checked, no negative points.")
        }
        guard satisfaction.labels.values.allSatisfy({ (1...5).contains($0) }), (1...5).contains(satisfaction.satisfiedFrom),
              satisfaction.minResponses >= 0, satisfaction.maxRateHalfWidth > 0 else {
            throw PingchaError.rulesFile(path, zh: "satisfaction 的标签应对应 1–5，满意起点在 1–5 之间，样本数不能为负。", en: "satisfaction labels must map to 1–5, satisfied_from lie in 1–5, min_responses not be negative.")
        }
        guard knowledgeTest.onlineDrawShare > 0, knowledgeTest.onlineDrawShare <= 1,
              ExactFraction(decimalText: Value.formatDouble(knowledgeTest.onlineDrawShare)) != nil else {
            throw PingchaError.rulesFile(path, zh: "knowledge_test.online_draw_share 应是 0 到 1 之间（不含 0）的小数。", en: "knowledge_test.online_draw_share must be a decimal in (0, 1].")
        }
        guard filing.daysAllowed >= 0, filing.itemPoints >= 0, filing.unfiledDeduction >= 0, filing.lateDeduction >= 0 else {
            throw PingchaError.rulesFile(path, zh: "filing 的天数、分值和扣分都不能为负。", en: "filing days, points and deductions must not be negative.")
        }
    }

    private func validateCompetition(path: String) throws {
        guard competition.theoryWeight >= 0, competition.simulationWeight >= 0,
              ExactFraction(decimalText: Value.formatDouble(competition.theoryWeight)) != nil,
              ExactFraction(decimalText: Value.formatDouble(competition.simulationWeight)) != nil,
              (0...6).contains(competition.publishedPlaces) else {
            throw PingchaError.rulesFile(path, zh: "competition 的权重应为不超过 9 位小数的非负数，公布小数位在 0–6 之间。", en: "competition weights must be non-negative decimals of at most 9 places, published_places 0–6.")
        }
    }

    private static func overlay(_ base: [String: Any], _ overrides: [String: Any]) -> [String: Any] {
        var result = base
        for (key, value) in overrides {
            if let nested = value as? [String: Any], let existing = base[key] as? [String: Any] {
                result[key] = overlay(existing, nested)
            } else {
                result[key] = value
            }
        }
        return result
    }
}
