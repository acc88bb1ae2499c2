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
        let result = try OfficerDraw.perform(roster: Self.roster, request: request)
        #expect(result.strata.count == 1)
        #expect(result.strata[0].drawn.map(\.certNo) == ["ZF0006", "ZF0003", "ZF0007", "ZF0005", "ZF0001"])
        #expect(result.strata[0].replacements.map(\.certNo) == ["ZF0004", "ZF0008", "ZF0010"])
        // printf '%s' '2025-06-01|draw-01|4719302685|ZF0006' | sha256sum
        #expect(result.strata[0].drawn[0].ticket == "1b9c28462bf505d80685974c00cef92cd880a92ee1b7a3a88e41e1f50ffaecf6")
        // printf 'ZF0001\nZF0002\n…\nZF0010' | sha256sum
        #expect(result.rosterHash == "fc231feb467af67d2f5eb2fc1ce2ed59129255ed948cfe2ac4773f94ee6ff3b9")
        let checks = OfficerDraw.checks(result.strata[0])
        #expect(checks == OfficerDraw.Checks(ineligibleStaff: ["ZF0007"], noCasesThisYear: ["ZF0005"], basicDeduction: -100, activityDeduction: -1))
    }

    @Test func smallStratumGetsEveryone() throws {
        let request = OfficerDraw.Request(seed: "s", stratumColumn: "unit", count: 12, replacements: 3)
        let result = try OfficerDraw.perform(roster: Self.roster, request: request)
        #expect(result.strata[0].drawn.count == 10)
        #expect(result.strata[0].replacements.isEmpty)
        #expect(result.strata[0].eligible == 10)
    }
}
