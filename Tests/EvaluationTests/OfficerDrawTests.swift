import Columnar
import Evaluation
import Testing

@Suite struct OfficerDrawTests {
    /// ZF0001…ZF0010 in one unit, all valid; ZF0005 has no case this year, ZF0007 is a 临时工.
    static let roster: Table = {
        var certs = TextDictionary(), units = TextDictionary(), statuses = TextDictionary(), staff = TextDictionary()
        let ids = (1...10).map { index -> String in index < 10 ? "ZF000\(index)" : "ZF0010" }
        return Table(columns: [
            Column(name: "证件号", aliases: ["cert_no"], storage: .text(codes: ids.map { certs.code(for: $0) }, dictionary: certs)),
            Column(name: "执法单位", aliases: ["unit"], storage: .text(codes: ids.map { _ in units.code(for: "甲局") }, dictionary: units)),
            Column(name: "证件状态", aliases: ["cert_status"], storage: .text(codes: ids.map { _ in statuses.code(for: "有效") }, dictionary: statuses)),
            Column(name: "身份类别", aliases: ["staff_type"], storage: .text(codes: ids.map { staff.code(for: $0 == "ZF0007" ? "临时工" : "公务员") }, dictionary: staff)),
            Column(name: "本年度办案数", aliases: ["cases_this_year"], storage: .int64(ids.map { $0 == "ZF0005" ? 0 : 3 })),
        ], rowCount: 10)
    }()

    @Test func domainTestVector() throws {
        let request = OfficerDraw.Request(seed: "2025-06-01|draw-01|4719302685", stratumColumn: "unit", count: 5, replacements: 3)
        let result = try OfficerDraw.perform(Self.roster, request: request)
        #expect(result.strata.count == 1)
        #expect(result.strata[0].drawn.map(\.id) == ["ZF0006", "ZF0003", "ZF0007", "ZF0005", "ZF0001"])
        #expect(result.strata[0].replacements.map(\.id) == ["ZF0004", "ZF0008", "ZF0010"])
        // printf '%s' '2025-06-01|draw-01|4719302685|ZF0006' | sha256sum
        #expect(result.strata[0].drawn[0].ticket == "1b9c28462bf505d80685974c00cef92cd880a92ee1b7a3a88e41e1f50ffaecf6")
        // printf 'ZF0001\nZF0002\n…\nZF0010' | sha256sum
        #expect(result.rosterHash == "fc231feb467af67d2f5eb2fc1ce2ed59129255ed948cfe2ac4773f94ee6ff3b9")
        let checks = OfficerDraw.checks(result.strata[0])
        #expect(checks == OfficerDraw.Checks(ineligibleStaff: ["ZF0007"], noCasesThisYear: ["ZF0005"], basicDeduction: -100, activityDeduction: -1))
    }

    @Test func smallStratumGetsEveryone() throws {
        let request = OfficerDraw.Request(seed: "s", stratumColumn: "unit", count: 12, replacements: 3)
        let result = try OfficerDraw.perform(Self.roster, request: request)
        #expect(result.strata[0].drawn.count == 10)
        #expect(result.strata[0].replacements.isEmpty)
        #expect(result.strata[0].eligible == 10)
    }

    /// ceil(fraction × size), at least 1, in exact arithmetic: 0.07 × 100 and 0.14 × 100 are
    /// 7.000000000000001 and 14.000000000000002 in binary floating point, which would round up to 8 and 15.
    @Test func proportionalCountIsExact() throws {
        let tenth = try #require(ExactFraction(decimalText: "0.1"))
        #expect(OfficerDraw.proportionalCount(tenth, of: 30) == 3)
        #expect(OfficerDraw.proportionalCount(tenth, of: 31) == 4)
        #expect(OfficerDraw.proportionalCount(tenth, of: 1) == 1)
        #expect(OfficerDraw.proportionalCount(tenth, of: 0) == 1)
        #expect(OfficerDraw.proportionalCount(try #require(ExactFraction(decimalText: "0.07")), of: 100) == 7)
        #expect(OfficerDraw.proportionalCount(try #require(ExactFraction(decimalText: "0.14")), of: 100) == 14)
        #expect(OfficerDraw.proportionalCount(try #require(ExactFraction(decimalText: "1")), of: 12) == 12)
        // The draw asks each stratum for its own count: 10 valid certificates at 0.25 → 3.
        let request = OfficerDraw.Request(seed: "2025-06-01|draw-01|4719302685", stratumColumn: "unit", count: 5,
                                          fraction: try #require(ExactFraction(decimalText: "0.25")), replacements: 0)
        let result = try OfficerDraw.perform(Self.roster, request: request)
        #expect(result.strata[0].asked == 3)
        #expect(result.strata[0].drawn.map(\.id) == ["ZF0006", "ZF0003", "ZF0007"])
    }

    /// Case files: drawn by 案卷编号, every file in the population (no certificate status).
    @Test func caseFilesAreDrawnByCaseID() throws {
        var ids = TextDictionary(), units = TextDictionary()
        let caseIDs = (1...10).map { index -> String in index < 10 ? "ZF000\(index)" : "ZF0010" }
        let cases = Table(columns: [
            Column(name: "案卷编号", aliases: ["case_id"], storage: .text(codes: caseIDs.map { ids.code(for: $0) }, dictionary: ids)),
            Column(name: "执法单位", aliases: ["unit"], storage: .text(codes: caseIDs.map { _ in units.code(for: "甲局") }, dictionary: units)),
        ], rowCount: 10)
        let request = OfficerDraw.Request(population: .caseFiles, seed: "2025-06-01|draw-01|4719302685", stratumColumn: "unit",
                                          count: 5, replacements: 3)
        let result = try OfficerDraw.perform(cases, request: request)
        // The same ids and seed as the domain test vector: the same order.
        #expect(result.strata[0].drawn.map(\.id) == ["ZF0006", "ZF0003", "ZF0007", "ZF0005", "ZF0001"])
        #expect(result.rosterHash == "fc231feb467af67d2f5eb2fc1ce2ed59129255ed948cfe2ac4773f94ee6ff3b9")
        #expect(result.notValid == 0 && result.population == 10)
    }
}
