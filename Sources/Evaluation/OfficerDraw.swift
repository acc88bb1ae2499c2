import Kernels
import Columnar
import Vocabulary
import Crypto
import Foundation
import Query

/// The random draw (随机抽取, DOMAIN.md §2.3) by the fixed algorithm `sha256-rank-v1`, of officers
/// from the roster (by 证件号) or of case files from the cases export (by 案卷编号, for the
/// central review: `004` 随机抽取行政执法案卷，带回集中评查).
///
/// 1. The population is frozen first: the eligible persons (certificates 有效) or the case files
///    after every filter; the SHA-256 of their sorted ids joined by LF is the population hash.
/// 2. Each member's ticket is SHA-256 of the UTF-8 text `seed|id`, a 256-bit big-endian number.
/// 3. Members are sorted by ticket (ties by id); in each stratum the first k are drawn (k fixed,
///    or ceil(fraction × stratum size), at least 1) and the next ones, in order, are the
///    replacements (递补名单).
/// Anyone can re-perform a ticket with `printf '%s' 'SEED|ID' | sha256sum`.
public enum OfficerDraw {
    public static let algorithm = "sha256-rank-v1"
    /// Staff types that may not hold an enforcement certificate.
    public static let ineligibleStaffTypes = ["工勤人员", "劳动合同工", "临时工"]

    /// What is drawn: officers from the roster, or case files from the cases export.
    public enum Population: String, Sendable {
        case officers
        case caseFiles = "case_files"

        /// The column that identifies a member.
        public var idColumn: ExportSchema.ColumnSpec { self == .officers ? RosterExport.certNo : CasesExport.caseID }
        public var idHeader: String { idColumn.header }
        /// The column that holds a member's 单位层级.
        var levelColumn: ExportSchema.ColumnSpec { self == .officers ? RosterExport.level : CasesExport.level }
        /// The JSON key of a member's id.
        public var idKey: String { self == .officers ? "cert_no" : "case_id" }
        var file: LocalizedText { self == .officers ? RosterExport.schema.fileName : CasesExport.schema.fileName }
    }

    /// What is asked of a draw.
    public struct Request: Sendable {
        public var population: Population
        public var seed: String
        /// The column whose values are the strata (unit by default).
        public var stratumColumn: String
        public var count: Int
        /// When set, each stratum draws ceil(fraction × its size), at least 1, instead of `count`
        /// (`001`: 按比例随机抽取).
        public var fraction: ExactFraction?
        public var replacements: Int
        /// Per-level counts for competition draws (`市级=60,县级=100,乡镇=100`); strata are then
        /// (stratum column, 单位层级).
        public var levelCounts: [(level: String, count: Int)]
        public var filter: Query.Expression?
        public var filterText: String?

        public init(population: Population = .officers, seed: String, stratumColumn: String, count: Int, fraction: ExactFraction? = nil,
                    replacements: Int, levelCounts: [(level: String, count: Int)] = [], filter: Query.Expression? = nil, filterText: String? = nil) {
            self.population = population
            self.fraction = fraction
            self.seed = seed
            self.stratumColumn = stratumColumn
            self.count = count
            self.replacements = replacements
            self.levelCounts = levelCounts
            self.filter = filter
            self.filterText = filterText
        }
    }

    /// A drawn member: an officer (id 证件号, with name, staff type and cases this year) or a
    /// case file (id 案卷编号).
    public struct Person: Sendable, Equatable {
        public var id: String
        public var name: String
        public var ticket: String
        public var staffType: String
        public var casesThisYear: Int64?
    }

    public struct Stratum: Sendable {
        public var name: String
        public var asked: Int
        public var eligible: Int
        public var drawn: [Person]
        public var replacements: [Person]
    }

    public struct Result: Sendable {
        /// The SHA-256 of the frozen population's sorted ids (the roster hash of an officer draw).
        public var rosterHash: String
        public var population: Int
        public var strata: [Stratum]
        /// Rows left out because 证件状态 is not 有效 (officer draws).
        public var notValid: Int
        /// Rows left out by the filter.
        public var filteredOut: Int
    }

    /// The number drawn from a stratum of `size` members by `fraction`: ceil(fraction × size),
    /// at least 1 (exact: 0.1 × 30 is 3, not 4).
    public static func proportionalCount(_ fraction: ExactFraction, of size: Int) -> Int {
        let product = fraction.numerator * Int64(size)
        let quotient = product / fraction.denominator
        let rounded = product % fraction.denominator == 0 ? quotient : quotient + 1
        return max(1, Int(rounded))
    }

    /// Performs the draw on `table` (the roster, or the cases export for a case-file draw).
    ///
    /// - Throws: `PingchaError` for missing columns or duplicate ids (the draw would be ambiguous);
    ///   `QueryError` for a bad filter.
    public static func perform(_ table: Table, request: Request) throws -> Result {
        let roster = table
        let purpose = LocalizedText(zh: "无法抽取", en: "cannot draw")
        let population = request.population
        let certColumn = try roster.requiredColumn(population.idColumn, in: population.file, for: purpose)
        let statusColumn = population == .officers ? try roster.requiredColumn(RosterExport.certStatus, in: RosterExport.schema.fileName, for: purpose) : nil
        let nameColumn = population == .officers ? roster.column(named: RosterExport.name.header) : nil
        let staffColumn = population == .officers ? roster.column(named: RosterExport.staffType.header) : nil
        let casesColumn = population == .officers ? roster.column(named: RosterExport.casesThisYear.header) : nil
        guard let stratumColumn = roster.column(named: request.stratumColumn) else {
            throw Evaluator.unknownColumn(request.stratumColumn, candidates: roster.allColumnNames).asPingchaError(in: request.stratumColumn)
        }
        let levelColumn = request.levelCounts.isEmpty ? nil : try roster.requiredColumn(population.levelColumn, in: population.file, for: purpose)
        var selected = Set(0..<roster.rowCount)
        var filteredOut = 0
        if let filter = request.filter {
            let rows = try Evaluator(table: roster).selectRows(where: filter)
            selected = Set(rows.map(Int.init))
            filteredOut = roster.rowCount - rows.count
        }
        var notValid = 0
        var eligible: [Int] = []
        for row in 0..<roster.rowCount where selected.contains(row) {
            if let statusColumn, statusColumn.value(at: row) != .text("有效") {
                notValid += 1
                continue
            }
            eligible.append(row)
        }
        // Freeze and hash the population.
        let certNumbers = eligible.map { certColumn.value(at: $0).plainText }
        var seen: [String: Int] = [:]
        for (index, cert) in certNumbers.enumerated() {
            if seen[cert] != nil {
                if population == .caseFiles {
                    throw PingchaError(.data, zh: "案卷编号「\(cert)」重复出现，抽取结果会有歧义；请先用 pingcha cases audit 核对重复编号。",
                                       en: "case file number '\(cert)' appears more than once; the draw would be ambiguous. Check duplicates with pingcha cases audit first.")
                }
                throw PingchaError(.data, zh: "名册中证件号「\(cert)」重复出现，抽取结果会有歧义；请先核对名册。",
                                   en: "certificate number '\(cert)' appears more than once in the roster; the draw would be ambiguous. Check the roster first.")
            }
            seen[cert] = index
        }
        let sortedCerts = certNumbers.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let rosterHash = hexDigest(Array(sortedCerts.joined(separator: "\n").utf8))
        // Tickets: each person's SHA-256 (32 bytes, flat), and its first 8 bytes big-endian as a
        // key that orders like the ticket's hex text.
        let digests = certNumbers.flatMap { Array(SHA256.hash(data: Array((request.seed + "|" + $0).utf8))) }
        let keys = certNumbers.indices.map { index in
            (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(digests[index * 32 + $1]) }
        }
        // Strata: the stratum column's value (and the level for competition draws).
        var strataNames: [String] = []
        var strataIndex: [String: Int32] = [:]
        var asked: [Int] = []
        var eligibleCounts: [Int] = []
        let groups = eligible.map { row -> Int32 in
            var name = stratumColumn.value(at: row).plainText
            var k = request.count
            if let levelColumn {
                let level = levelColumn.value(at: row).plainText
                guard let levelCount = request.levelCounts.first(where: { $0.level == level }) else { return -1 }
                name += " / " + level
                k = levelCount.count
            }
            if let group = strataIndex[name] {
                eligibleCounts[Int(group)] += 1
                return group
            }
            let group = Int32(strataNames.count)
            strataIndex[name] = group
            strataNames.append(name)
            asked.append(k)
            eligibleCounts.append(1)
            return group
        }
        if let fraction = request.fraction {
            asked = eligibleCounts.map { proportionalCount(fraction, of: $0) }
        }
        // Each stratum's first k + replacements by key (ties at the last place kept), then in
        // full ticket order, ties by 证件号: what filtering one global sorted order gives.
        let limits = asked.map { $0 + request.replacements }
        let chosen = SmallestKeys.select(keys: keys, groups: groups, limits: limits)
        func precedes(_ a: Int, _ b: Int) -> Bool {
            for offset in 0..<32 where digests[a * 32 + offset] != digests[b * 32 + offset] {
                return digests[a * 32 + offset] < digests[b * 32 + offset]
            }
            return certNumbers[a].utf8.lexicographicallyPrecedes(certNumbers[b].utf8)
        }
        let strata = strataNames.indices.sorted { strataNames[$0].utf8.lexicographicallyPrecedes(strataNames[$1].utf8) }.map { group -> Stratum in
            let k = asked[group]
            let order = chosen[group].map(Int.init).sorted(by: precedes).prefix(limits[group])
            let people = order.map { index -> Person in
                let row = eligible[index]
                var cases: Int64?
                if case .int(let value)? = casesColumn?.value(at: row) { cases = value }
                return Person(id: certNumbers[index], name: nameColumn?.value(at: row).plainText ?? "",
                              ticket: digests[(index * 32)..<(index * 32 + 32)].hexEncodedString(),
                              staffType: staffColumn?.value(at: row).plainText ?? "", casesThisYear: cases)
            }
            return Stratum(name: strataNames[group], asked: k, eligible: eligibleCounts[group], drawn: Array(people.prefix(k)),
                           replacements: Array(people.dropFirst(k)))
        }
        return Result(rosterHash: rosterHash, population: eligible.count, strata: strata, notValid: notValid, filteredOut: filteredOut)
    }

    /// Lower-case hex SHA-256.
    public static func hexDigest(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).hexEncodedString()
    }

    /// The checks on a stratum's drawn persons (§2.3): ineligible staff holding a certificate
    /// (−100, the basic standard) and persons with no case this year (−1 each, at most −2).
    public struct Checks: Sendable, Equatable {
        public var ineligibleStaff: [String]
        public var noCasesThisYear: [String]
        public var basicDeduction: Int
        public var activityDeduction: Int

        public init(ineligibleStaff: [String], noCasesThisYear: [String], basicDeduction: Int, activityDeduction: Int) {
            self.ineligibleStaff = ineligibleStaff
            self.noCasesThisYear = noCasesThisYear
            self.basicDeduction = basicDeduction
            self.activityDeduction = activityDeduction
        }
    }

    public static func checks(_ stratum: Stratum) -> Checks {
        let ineligible = stratum.drawn.filter { ineligibleStaffTypes.contains($0.staffType) }.map(\.id)
        let idle = stratum.drawn.filter { $0.casesThisYear == 0 }.map(\.id)
        return Checks(ineligibleStaff: ineligible, noCasesThisYear: idle, basicDeduction: ineligible.isEmpty ? 0 : -100,
                      activityDeduction: -min(2, idle.count))
    }

    /// A seed for when the analyst gives none: the date and 20 random digits, printed with the result.
    public static func generatedSeed(now: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = (0..<20).map { _ in String(generator.next(upperBound: UInt8(10))) }.joined()
        let calendar = Calendar(identifier: .gregorian)
        let parts = calendar.dateComponents(in: TimeZone(identifier: "Asia/Shanghai")!, from: now)
        let date = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        return "\(date)|auto|\(digits)"
    }
}
