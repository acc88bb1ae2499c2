import Columnar
import Vocabulary

extension ProvinceGenerator {
    /// Seasonal weights of decision months: slow in February, busy before mid-year and year-end.
    static let monthWeights: [Double] = [0.8, 0.5, 0.9, 1.0, 1.1, 1.2, 1.0, 0.9, 1.0, 1.0, 1.2, 1.4]
    static let reviewYears = [2022, 2023, 2024]

    /// cases.csv: one row per reviewed case file.
    func writeCases() throws -> (bytes: Int, unitsWithCases: [Bool]) {
        let writer = try makeWriter("cases.csv")
        try header(writer, [CasesExport.caseID, CasesExport.city, CasesExport.county, CasesExport.unit, CasesExport.level,
                            CasesExport.sector, CasesExport.caseType, CasesExport.procedure, CasesExport.major,
                            CasesExport.violation, CasesExport.decisionDate, CasesExport.filingDate, CasesExport.score,
                            CasesExport.reviewYear])
        var random = SeededGenerator(seed: options.seed, stream: 10)
        let unitPicker = WeightedPicker(weights: province.units.map(\.weight))
        let monthPicker = WeightedPicker(weights: Self.monthWeights)
        // Violations per sector with Zipf weights: a few frequent, a long rare tail.
        let sectors = Array(Set(province.units.map(\.sector))).sorted()
        let violationLists = sectors.map { (ProvinceNames.violations[$0] ?? []) + ProvinceNames.genericViolations }
        let violationPickers = violationLists.map {
            WeightedPicker(weights: WeightedPicker.zipfWeights(count: $0.count, exponentHalves: 3))
        }
        let unitSector = province.units.map { unit in sectors.firstIndex(of: unit.sector)! }
        var sequence = [Int32](repeating: 0, count: province.units.count * Self.reviewYears.count)
        var unitsWithCases = [Bool](repeating: false, count: province.units.count)
        let total = options.cases
        for row in 0..<total {
            let unitIndex = unitPicker.pick(&random)
            let unit = province.units[unitIndex]
            unitsWithCases[unitIndex] = true
            let yearIndex = random.below(Self.reviewYears.count)
            let year = Self.reviewYears[yearIndex]
            let month = monthPicker.pick(&random) + 1
            let day = 1 + random.below(CivilDate.daysInMonth(year: year, month: month))
            let decided = CivilDate.days(year: year, month: month, day: day)
            let typeRoll = random.below(100)
            let caseType = typeRoll < 60 ? "行政处罚" : (typeRoll < 80 ? "行政检查" : (typeRoll < 90 ? "行政许可" : "行政强制"))
            let simple = (caseType == "行政处罚" || caseType == "行政检查") && random.chance(3, in: 10)
            let major = caseType == "行政处罚" && !simple && random.chance(4, in: 100)
            let serialIndex = unitIndex * Self.reviewYears.count + yearIndex
            sequence[serialIndex] += 1

            writer.text(unit.code)
            writer.text("-")
            writer.integer(year)
            writer.text("-")
            writer.integer(Int(sequence[serialIndex]), width: 6)
            writer.comma()
            writeRegionAndUnit(writer, unit)
            writer.text(unit.level)
            writer.comma()
            writer.text(unit.sector)
            writer.comma()
            writer.text(caseType)
            writer.comma()
            if !(options.messy && random.chance(1, in: 50)) { writer.text(simple ? "简易程序" : "普通程序") }
            writer.comma()
            writer.text(major ? "是" : "否")
            writer.comma()
            let sector = unitSector[unitIndex]
            var violation = violationLists[sector][violationPickers[sector].pick(&random)]
            if options.messy {
                if random.chance(1, in: 200) { violation += ", 情节较重" }
                if random.chance(1, in: 1000) { violation += "\n（屡查屡犯）" }
            }
            writer.quotedIfNeeded(violation)
            writer.comma()
            writer.date(decided)
            writer.comma()
            if major {
                // Most filed within 15 days, some late, some never.
                let roll = random.below(100)
                if roll < 80 {
                    writer.date(decided + Int32(1 + random.below(15)))
                } else if roll < 92 {
                    writer.date(decided + Int32(16 + random.below(45)))
                }
            }
            writer.comma()
            let score = unit.poor ? random.normal(mean: 73, deviation: 9) : random.normal(mean: 86, deviation: 5.5)
            writer.tenths(Int((min(100, max(30, score)) * 10).rounded()))
            writer.comma()
            writer.integer(year)
            try writer.endRow()
            report("cases.csv", row + 1, total)
        }
        try writer.flush()
        return (writer.bytesWritten, unitsWithCases)
    }
}
