import Columnar
import Vocabulary

extension ProvinceGenerator {
    /// The items of the two standards that come from a site-visit sheet (not from data).
    static let pingdingshanItems = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6",
                                    "4.1", "4.2", "5.1"]
    static let responsibilityItems = ["1.1", "1.2", "1.3", "1.4", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "3.3", "3.5", "3.6", "4.1"]
    static let deductionNotes = ["台账不全", "制度未上墙", "记录缺失, 需补充", "材料不规范", "未按时完成", "公示不及时"]

    /// competition.csv: one row per team (each city, Jiyuan, each provincial department).
    func writeCompetition() throws -> (rows: Int, bytes: Int) {
        let writer = try makeWriter("competition.csv")
        try header(writer, [CompetitionExport.team, CompetitionExport.track, CompetitionExport.simulation,
                            CompetitionExport.misconduct])
        var random = SeededGenerator(seed: options.seed, stream: 40)
        let teams = province.cityNames + ProvinceNames.provincialDepartments.map(\.name)
        for (index, team) in teams.enumerated() {
            let theoryOnly = index >= province.cityNames.count && random.chance(1, in: 3)
            writer.text(team)
            writer.comma()
            writer.text(theoryOnly ? "仅理论" : "理论+模拟")
            writer.comma()
            if !theoryOnly { writer.tenths(Int((min(100, max(40, random.normal(mean: 82, deviation: 7))) * 10).rounded())) }
            writer.comma()
            writer.text(random.chance(1, in: 30) ? "是" : "否")
            try writer.endRow()
        }
        try writer.flush()
        return (teams.count, writer.bytesWritten)
    }

    /// acceptance.csv: deductions, bonuses and vetoes found on site visits to applying units.
    func writeAcceptance() throws -> (rows: Int, bytes: Int) {
        let writer = try makeWriter("acceptance.csv")
        try header(writer, [AcceptanceExport.unit, AcceptanceExport.standard, AcceptanceExport.item, AcceptanceExport.deduction,
                            AcceptanceExport.bonus, AcceptanceExport.veto, AcceptanceExport.note])
        var random = SeededGenerator(seed: options.seed, stream: 50)
        var rows = 0
        for unit in province.units where random.chance(2, in: 100) {
            let pingdingshan = random.chance(1, in: 2)
            let items = pingdingshan ? Self.pingdingshanItems : Self.responsibilityItems
            let standard = pingdingshan ? "pingdingshan-2019" : "responsibility-2022"
            for _ in 0..<(1 + random.below(5)) {
                writer.text(unit.name)
                writer.comma()
                writer.text(standard)
                writer.comma()
                writer.text(random.pick(items))
                writer.comma()
                writer.tenths(5 * (1 + random.below(12)))
                writer.comma()
                writer.comma()
                writer.text("否")
                writer.comma()
                writer.quotedIfNeeded(random.pick(Self.deductionNotes))
                try writer.endRow()
                rows += 1
            }
            if random.chance(1, in: 5) {
                writer.text(unit.name)
                writer.comma()
                writer.text(standard)
                writer.text(",B,,")
                writer.integer(1 + random.below(12))
                writer.text(",否,创新做法获上级推广")
                try writer.endRow()
                rows += 1
            }
            if random.chance(1, in: 40) {
                writer.text(unit.name)
                writer.comma()
                writer.text(standard)
                writer.text(pingdingshan ? ",,,,是,近三年有严重违法行政行为" : ",R0.5,100,,否,近三年因违法执法受到处理")
                try writer.endRow()
                rows += 1
            }
        }
        try writer.flush()
        return (rows, writer.bytesWritten)
    }

    /// candidates.csv: units and persons each recommender puts forward for commendation.
    func writeCandidates() throws -> (rows: Int, bytes: Int) {
        let writer = try makeWriter("candidates.csv")
        try header(writer, [CandidatesExport.recommender, CandidatesExport.kind, CandidatesExport.order, CandidatesExport.unit,
                            CandidatesExport.unitLevel, CandidatesExport.name, CandidatesExport.office, CandidatesExport.post,
                            CandidatesExport.grade, CandidatesExport.certNo, CandidatesExport.violationSince2015,
                            CandidatesExport.yearsInRole])
        var random = SeededGenerator(seed: options.seed, stream: 60)
        var rows = 0
        let recommenders: [(name: String, people: [Int], isCity: Bool)] =
            province.cityNames.enumerated().map { ($1, province.peopleByCity[$0], $1 != ProvinceNames.jiyuan) }
            + ProvinceNames.provincialDepartments.enumerated().map { ($1.name, province.peopleByDepartment[$0], false) }
        for recommender in recommenders where !recommender.people.isEmpty {
            let unitCount = recommender.isCity ? 3 + random.below(4) : 1 + random.below(3)
            var seenUnits: [Int] = []
            for order in 1...unitCount {
                let unit = province.people[random.pick(recommender.people)].unit
                if seenUnits.contains(unit) { continue }
                seenUnits.append(unit)
                writer.text(recommender.name)
                writer.text(",单位,")
                writer.integer(order)
                writer.comma()
                writer.text(province.units[unit].name)
                writer.comma()
                writer.text(province.units[unit].level == "乡镇" ? "正科级" : (province.units[unit].level == "县级" ? "正科级" : "正处级"))
                writer.text(",,,,,,")
                writer.text(random.chance(1, in: 40) ? "是" : "否")
                writer.comma()
                try writer.endRow()
                rows += 1
            }
            let personCount = recommender.isCity ? 8 + random.below(7) : 2 + random.below(4)
            var seenPeople: [Int] = []
            for order in 1...personCount {
                let index = random.pick(recommender.people)
                if seenPeople.contains(index) { continue }
                seenPeople.append(index)
                let person = province.people[index]
                writer.text(recommender.name)
                writer.text(",个人,")
                writer.integer(order)
                writer.comma()
                writer.text(province.units[person.unit].name)
                writer.comma()
                writer.comma()
                for value in [person.name, person.office, person.post, person.grade, person.certNo] {
                    writer.text(value)
                    writer.comma()
                }
                writer.text(random.chance(1, in: 40) ? "是" : "否")
                writer.comma()
                writer.integer(1 + random.below(25))
                try writer.endRow()
                rows += 1
            }
        }
        try writer.flush()
        return (rows, writer.bytesWritten)
    }

    /// risk_catalog.csv: a catalog entry for every violation the cases export can name (each
    /// sector's list and the generic ones; the `--messy` variants with 情节较重 or 屡查屡犯 are not
    /// entries, so the published list names them as missing). The legal texts are made up.
    func writeRiskCatalog() throws -> (rows: Int, bytes: Int) {
        let writer = try makeWriter("risk_catalog.csv")
        try header(writer, [RiskCatalogExport.violation, RiskCatalogExport.legalBasis, RiskCatalogExport.discretion,
                            RiskCatalogExport.consequence, RiskCatalogExport.prevention, RiskCatalogExport.responsibleUnit])
        var random = SeededGenerator(seed: options.seed, stream: 70)
        let sectors = Array(Set(province.units.map(\.sector))).sorted()
        var seen = Set<String>()
        var rows = 0
        for sector in sectors {
            for violation in (ProvinceNames.violations[sector] ?? []) + ProvinceNames.genericViolations where seen.insert(violation).inserted {
                let generic = ProvinceNames.genericViolations.contains(violation)
                let law = generic ? "《行政许可和监督管理通用规定》" : "《\(sector)管理条例》"
                let article = 10 + random.below(60)
                let low = [1, 2, 5][random.below(3)], high = low * [5, 10][random.below(2)]
                let fields = [
                    violation,
                    "\(law)第\(article)条、第\(article + 20 + random.below(20))条",
                    "初次违法且危害后果轻微并及时改正的，可以不予处罚；情节一般的，处\(low * 1000)元以上\(high * 1000)元以下罚款；情节严重的，从重处罚",
                    "责令改正，没收违法所得，处\(low * 1000)元以上\(high * 1000)元以下罚款",
                    ["建立台账定期排查", "公开办事指南和投诉渠道", "开展专项检查和约谈", "推行说理式执法和提醒告诫"][random.below(4)],
                    generic ? "各行政执法部门" : "\(sector)部门",
                ]
                for (index, field) in fields.enumerated() {
                    if index > 0 { writer.comma() }
                    writer.quotedIfNeeded(field)
                }
                try writer.endRow()
                rows += 1
            }
        }
        try writer.flush()
        return (rows, writer.bytesWritten)
    }
}
