import Columnar
import Vocabulary

extension ProvinceGenerator {
    static let answerLabels = ["非常不满意", "不满意", "基本满意", "满意", "非常满意"]
    static let channels = ["回访", "座谈", "问卷", "暗访", "在线"]
    static let respondents = ["行政相对人", "企业", "群众"]
    static let surveyItems = 8

    /// survey.csv: one row per questionnaire response, rating units that have cases.
    func writeSurvey(unitsWithCases: [Bool]) throws -> Int {
        let writer = try makeWriter("survey.csv")
        try header(writer, [SurveyExport.responseID, SurveyExport.city, SurveyExport.county, SurveyExport.unit,
                            SurveyExport.channel, SurveyExport.respondent, SurveyExport.surveyDate]
                   + (1...Self.surveyItems).map { SurveyExport.schema.numbered!.column($0) } + [SurveyExport.overall])
        var random = SeededGenerator(seed: options.seed, stream: 20)
        let rated = province.units.indices.filter { unitsWithCases[$0] }
        let picker = WeightedPicker(weights: rated.map { province.units[$0].weight.squareRoot() })
        // Satisfaction leans to 满意; poor units lean lower.
        let good = WeightedPicker(weights: [3, 5, 17, 40, 35])
        let poor = WeightedPicker(weights: [12, 18, 30, 28, 12])
        let total = options.surveyResponses
        for row in 0..<total {
            let unit = province.units[rated[picker.pick(&random)]]
            let answers = unit.poor ? poor : good
            writer.text("Q")
            writer.integer(row + 1, width: 9)
            writer.comma()
            writeRegionAndUnit(writer, unit)
            let channel = random.below(Self.channels.count)
            writer.text(Self.channels[channel])
            writer.comma()
            writer.text(random.pick(Self.respondents))
            writer.comma()
            writer.date(CivilDate.days(year: 2024, month: 1, day: 1) + Int32(random.below(366)))
            // Online forms record numbers; the other channels the labels.
            let numeric = Self.channels[channel] == "在线"
            for _ in 0...Self.surveyItems {
                writer.comma()
                if random.chance(2, in: 100) { continue }
                let answer = answers.pick(&random)
                if numeric { writer.integer(answer + 1) } else { writer.text(Self.answerLabels[answer]) }
            }
            try writer.endRow()
            report("survey.csv", row + 1, total)
        }
        try writer.flush()
        return writer.bytesWritten
    }

    /// roster.csv: one row per certificate holder.
    func writeRoster() throws -> Int {
        let writer = try makeWriter("roster.csv")
        try header(writer, [RosterExport.certNo, RosterExport.name, RosterExport.city, RosterExport.county, RosterExport.unit,
                            RosterExport.level, RosterExport.office, RosterExport.post, RosterExport.grade,
                            RosterExport.staffType, RosterExport.certType, RosterExport.certStatus, RosterExport.casesThisYear])
        for (index, person) in province.people.enumerated() {
            let unit = province.units[person.unit]
            for (column, value) in [person.certNo, person.name, cityName(of: unit),
                                    unit.county, unit.name, unit.level, person.office, person.post, person.grade,
                                    person.staffType, person.certType, person.certStatus].enumerated() {
                if column > 0 { writer.comma() }
                writer.text(value)
            }
            writer.comma()
            writer.integer(person.casesThisYear)
            try writer.endRow()
            report("roster.csv", index + 1, province.people.count)
        }
        try writer.flush()
        return writer.bytesWritten
    }

    /// tests.csv: one row per person tested; about one in a hundred absent (缺考).
    func writeTests() throws -> Int {
        let writer = try makeWriter("tests.csv")
        try header(writer, [TestsExport.certNo, TestsExport.unit, TestsExport.testKind, TestsExport.testDate, TestsExport.score])
        var random = SeededGenerator(seed: options.seed, stream: 30)
        let total = options.testResults
        for row in 0..<total {
            let person = province.people[random.below(province.people.count)]
            writer.text(person.certNo)
            writer.comma()
            writer.text(province.units[person.unit].name)
            writer.comma()
            let kindRoll = random.below(10)
            writer.text(kindRoll < 4 ? "现场测试" : (kindRoll < 8 ? "在线测试" : "理论测试"))
            writer.comma()
            writer.date(CivilDate.days(year: 2024, month: 3, day: 1) + Int32(random.below(240)))
            writer.comma()
            if random.chance(1, in: 100) {
                writer.text(TestsExport.absentColumn)
            } else {
                writer.tenths(Int((min(100, max(20, random.normal(mean: 82, deviation: 9))) * 10).rounded()))
            }
            try writer.endRow()
            report("tests.csv", row + 1, total)
        }
        try writer.flush()
        return writer.bytesWritten
    }
}
