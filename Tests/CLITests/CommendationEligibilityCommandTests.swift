import Foundation
import PingchaTestSupport
import Testing

/// Eligibility as seed `000` writes it (DOMAIN.md §2.9): 正处级 and below through the rules' grade
/// table (an unknown grade reported, not guessed), the 3-years route only for 正式工作人员, a
/// certificate that is not 有效 in the roster not held; each dropped candidate names its clause.
@Suite struct CommendationEligibilityCommandTests {
    static let header = "推荐单位,对象类别,推荐顺序,单位全称,单位级别,姓名,处(科)室,职务,职级,证件号,2015年以来违法行政行为,从事年限,身份类别\n"

    static func run(_ rows: [String], roster: Bool) throws -> [String: Any] {
        let path = Fixtures.path("eligibility-\(roster).csv")
        _ = FileManager.default.createFile(atPath: path, contents: Data((header + rows.joined(separator: "\n") + "\n").utf8))
        let result = PingchaRunner.run(["commend", path, "--format", "json"] + (roster ? ["--roster", "Datasets/sample/roster.csv"] : []))
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    }

    static let rows = [
        "漯河市,单位,1,甲局,副厅级,,,,,,否,,",
        "漯河市,单位,2,乙局,股所级,,,,,,否,,",
        "漯河市,单位,3,丙局,正科级,,,,,,否,,",
        "漯河市,个人,1,甲局,,张三,法规科,局长,一级巡视员,ZF0001,否,6,",
        "漯河市,个人,2,甲局,,李四,法规科,副局长,三级调研员,ZF0003,否,6,",
        "漯河市,个人,3,甲局,,王五,法规科,副局长,二级调研员,ZF0002,否,6,",
        "漯河市,个人,4,丙局,,赵六,执法一科,科员,正科级,,否,5,",
        "漯河市,个人,5,丙局,,钱七,执法一科,协管员,一级科员,,否,5,劳动合同工",
        "漯河市,个人,6,丙局,,孙八,执法一科,科员,一级科员,,否,2,公务员",
        "漯河市,个人,7,丙局,,周九,执法一科,科员,一级科员,,否,3,参公管理",
        "漯河市,个人,8,丙局,,吴十,执法二科,科员,科员,ZF0018,否,6,",
        "漯河市,个人,9,丙局,,郑一,执法二科,科员,一级主任科员,ZF0019,否,6,",
        "漯河市,个人,10,丙局,,冯二,执法二科,科员,副科级,ZF0023,否,6,",
        "漯河市,个人,11,丙局,,陈三,执法二科,股长,股长,ZF0024,否,6,",
        "漯河市,个人,12,丙局,,何磊强,法规科,科员,一级科员,ZF0016,否,2,",
        "漯河市,个人,13,丙局,,梁磊敏,综合执法大队,科员,一级科员,ZF0043,否,6,",
    ]

    @Test func eachClauseDropsItsCandidates() throws {
        let object = try Self.run(Self.rows, roster: true)
        let units = (object["units"] as! [[String: Any]]).map { $0["unit"] as! String }
        #expect(units == ["丙局"])
        // Seven eligible persons: 李四, 王五, 周九, 吴十, 郑一, 冯二, and 梁磊敏 (certificate 过期 in the
        // roster, 公务员, 6 years: the 3-years route). Put forward min(10, 7) = 7 → cap floor(20% × 7) = 1:
        // 李四 (三级调研员, 处级) takes it, 王五 is skipped; six are put forward, floor(20% × 6) = 1 still.
        // 何磊强's certificate (ZF0016) is 过期 too, and he has 2 years: dropped.
        let persons = (object["persons"] as! [[String: Any]]).map { $0["name"] as! String }
        #expect(persons == ["李四", "周九", "吴十", "郑一", "冯二", "梁磊敏"])
        let dropped = (object["dropped"] as! [[String: Any]]).map { "\($0["order"] as! Int)/\($0["reason"] as! String)" }
        #expect(dropped == [
            "1/above_division_level", "2/unknown_grade",
            "1/above_division_level", "3/division_cap_full", "4/staff_type_unknown", "5/not_formal_staff",
            "6/no_certificate_short_service", "11/unknown_grade", "12/no_certificate_short_service",
        ])
        // The unit's level is shown where a person's grade is.
        #expect((object["dropped"] as! [[String: Any]])[1]["grade"] as? String == "股所级")
        let rules = (object["provenance"] as! [String: Any])["rules"] as! [String: Any]
        #expect((rules["grades_division"] as! String).contains("四级调研员"))
        #expect(rules["formal_staff_types"] as? String == "公务员、参公管理、事业编制")
    }

    /// Without the roster, ZF0016 and ZF0043 count as held certificates (nothing says otherwise).
    @Test func withoutTheRosterACertificateIsTakenAsHeld() throws {
        let object = try Self.run(Self.rows, roster: false)
        let persons = (object["persons"] as! [[String: Any]]).map { $0["name"] as! String }
        #expect(persons == ["李四", "周九", "吴十", "郑一", "冯二", "何磊强", "梁磊敏"])
    }

    @Test func aGradeListedTwiceInTheRulesIsRefused() throws {
        let rules = Fixtures.path("grades-twice.json")
        _ = FileManager.default.createFile(atPath: rules, contents: Data(#"{"commendation": {"grades": {"above": ["正处级"], "division": ["正处级"], "below": []}}}"#.utf8))
        let result = PingchaRunner.run(["commend", "Datasets/sample/candidates.csv", "--rules", rules, "--lang", "en"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("the grade '正处级' is listed more than once in commendation.grades"))
    }
}
