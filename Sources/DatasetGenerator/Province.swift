/// A synthetic province shaped like Henan (DOMAIN.md §4): cities, county-level areas,
/// townships, provincial departments, their enforcement units and certificate holders.
struct Province {
    struct Unit {
        var name: String
        /// Index into `cities`, or -1 for a provincial department.
        var city: Int
        var county: String
        var level: String
        var sector: String
        /// A short ASCII code for case numbers.
        var code: String
        /// How many cases the unit tends to have, relative to others.
        var weight: Double
        /// A unit whose files and satisfaction run poor.
        var poor: Bool
    }

    struct Person {
        var certNo: String
        var name: String
        var unit: Int
        var office: String
        var post: String
        var grade: String
        var staffType: String
        var certType: String
        var certStatus: String
        var casesThisYear: Int
    }

    var cityNames: [String]
    var units: [Unit]
    var people: [Person]
    /// People of each city (index as in `cityNames`), then of each provincial department.
    var peopleByCity: [[Int]]
    var peopleByDepartment: [[Int]]
    /// Unit indices of the provincial departments, in `ProvinceNames.provincialDepartments` order.
    var departmentUnits: [Int]

    /// Builds the province from `seed`; `officers` is the number of certificate holders.
    init(seed: UInt64, officers: Int) {
        var random = SeededGenerator(seed: seed, stream: 1)
        cityNames = ProvinceNames.cities.map(\.name)
        units = []
        people = []
        peopleByCity = Array(repeating: [], count: cityNames.count)
        peopleByDepartment = Array(repeating: [], count: ProvinceNames.provincialDepartments.count)
        departmentUnits = []
        var usedPlaceNames: Set<String> = []
        func placeName(suffix: String) -> String {
            while true {
                let a = random.pick(ProvinceNames.placeCharacters), b = random.pick(ProvinceNames.placeCharacters)
                guard a != b else { continue }
                let name = String([a, b]) + suffix
                if usedPlaceNames.insert(name).inserted { return name }
            }
        }
        func addUnit(_ name: String, city: Int, county: String, level: String, sector: String, baseWeight: Double) {
            let code = "U" + String(units.count + 100_000).dropFirst()
            let weight = baseWeight * (0.3 + 1.4 * random.unit())
            units.append(Unit(name: name, city: city, county: county, level: level, sector: sector, code: code,
                              weight: weight, poor: random.chance(1, in: 20)))
        }
        for (cityIndex, city) in ProvinceNames.cities.enumerated() {
            let stem = city.name == ProvinceNames.jiyuan ? "济源示范区" : city.name
            for (sectorIndex, department) in ProvinceNames.departments.enumerated() {
                addUnit(stem + department.suffix, city: cityIndex, county: "", level: "市级", sector: department.sector,
                        baseWeight: 6.0 / Double(sectorIndex + 1).squareRoot())
            }
            let countyCount = city.counties
            var countyNames: [String] = []
            for countyIndex in 0..<countyCount {
                let suffix = countyIndex < countyCount / 4 ? "区" : (countyIndex == countyCount - 1 && countyCount > 6 ? "市" : "县")
                countyNames.append(placeName(suffix: suffix))
            }
            for county in countyNames {
                for (sectorIndex, department) in ProvinceNames.departments.enumerated() {
                    addUnit(county + department.suffix, city: cityIndex, county: county, level: "县级", sector: department.sector,
                            baseWeight: 2.0 / Double(sectorIndex + 1).squareRoot())
                }
            }
            // About fifteen townships per county; Jiyuan's sixteen come straight under the city.
            let townshipParents = countyNames.isEmpty ? [""] : countyNames
            let perParent = countyNames.isEmpty ? 16 : 15
            for parent in townshipParents {
                for _ in 0..<(perParent - 3 + random.below(7)) {
                    let township = placeName(suffix: parent.hasSuffix("区") || parent.isEmpty ? "街道" : (random.chance(1, in: 4) ? "乡" : "镇"))
                    addUnit(township + "人民政府", city: cityIndex, county: parent, level: "乡镇", sector: "综合执法", baseWeight: 0.35)
                    addUnit(township + "市场监督管理所", city: cityIndex, county: parent, level: "乡镇", sector: "市场监管", baseWeight: 0.25)
                }
            }
        }
        for (index, department) in ProvinceNames.provincialDepartments.enumerated() {
            departmentUnits.append(units.count)
            addUnit(department.name, city: -1, county: "", level: "省直", sector: department.sector,
                    baseWeight: 10.0 / Double(index + 1).squareRoot())
        }
        // A few large units, many small: a long-tailed size on top of the level's base.
        var sizeRandom = SeededGenerator(seed: seed, stream: 2)
        let order = (0..<units.count).map { _ in sizeRandom.below(units.count) }
        for index in units.indices {
            let rank = Double(order[index] + 1)
            units[index].weight *= 1 + 40 / rank.squareRoot() / Double(units.count).squareRoot()
        }

        // Certificate holders: spread by the square root of unit size, at least three a unit.
        let shares = units.map { $0.weight.squareRoot() }
        let totalShare = shares.reduce(0, +)
        var personRandom = SeededGenerator(seed: seed, stream: 3)
        var departmentIndex: [Int: Int] = [:]
        for (position, unit) in departmentUnits.enumerated() { departmentIndex[unit] = position }
        for (unitIndex, unit) in units.enumerated() {
            let count = max(3, Int((Double(officers) * shares[unitIndex] / totalShare).rounded()))
            for _ in 0..<count {
                let person = Province.makePerson(unit: unitIndex, level: unit.level, serial: people.count, random: &personRandom)
                if unit.city >= 0 {
                    peopleByCity[unit.city].append(people.count)
                } else if let position = departmentIndex[unitIndex] {
                    peopleByDepartment[position].append(people.count)
                }
                people.append(person)
            }
        }
    }

    private static func makePerson(unit: Int, level: String, serial: Int, random: inout SeededGenerator) -> Person {
        let supervision = random.chance(1, in: 20)
        let certNo = (supervision ? "JD" : "ZF") + String(serial + 10_000_000).dropFirst()
        var name = String(random.pick(ProvinceNames.surnames))
        name.append(random.pick(ProvinceNames.givenCharacters))
        if random.chance(2, in: 3) { name.append(random.pick(ProvinceNames.givenCharacters)) }
        let post = random.pick(ProvinceNames.posts)
        let senior = level == "省直" || level == "市级"
        let grade: String
        switch post {
        case "副局长": grade = senior && random.chance(2, in: 3) ? "副处级" : "正科级"
        case "科长", "大队长": grade = senior && random.chance(1, in: 4) ? "正处级" : "正科级"
        case "副科长", "副大队长": grade = "副科级"
        default: grade = random.chance(1, in: 3) ? "四级主任科员" : "一级科员"
        }
        let staffRoll = random.below(1000)
        let staffType: String
        switch staffRoll {
        case ..<550: staffType = "公务员"
        case ..<750: staffType = "参公管理"
        case ..<980: staffType = "事业编制"
        case ..<988: staffType = "工勤人员"
        case ..<995: staffType = "劳动合同工"
        default: staffType = "临时工"
        }
        let statusRoll = random.below(100)
        let status = statusRoll < 94 ? "有效" : (statusRoll < 97 ? "注销" : "过期")
        let cases = random.chance(6, in: 100) ? 0 : 1 + random.below(40)
        return Person(certNo: certNo, name: name, unit: unit, office: random.pick(ProvinceNames.offices), post: post,
                      grade: grade, staffType: staffType, certType: supervision ? "监督证" : "执法证", certStatus: status,
                      casesThisYear: cases)
    }
}
