import Foundation
import PingchaTestSupport
import Testing

/// Site confirmation by the recommenders' order (DOMAIN.md §2.6): 推荐顺序 on the acceptance
/// sheet breaks ties in total; units still tied across the 10th place stay flagged.
@Suite struct RecommendersOrderCommandTests {
    /// The sample sheet with a 推荐顺序 column: `orders` by unit, empty for the others.
    static func sheet(_ orders: [String: Int], name: String) throws -> String {
        let text = try String(contentsOfFile: "Datasets/sample/acceptance.csv", encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        lines[0] += ",推荐顺序"
        for index in 1..<lines.count {
            let unit = String(lines[index].split(separator: ",", maxSplits: 1)[0])
            lines[index] += "," + (orders[unit].map(String.init) ?? "")
        }
        let path = Fixtures.path(name)
        _ = FileManager.default.createFile(atPath: path, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
        return path
    }

    static func places(_ sheet: String) throws -> [String: [String: Any]] {
        let result = PingchaRunner.run(["standard", "score", sheet, "--standard", "pingdingshan-2019", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        return Dictionary(uniqueKeysWithValues: (object["rows"] as! [[String: Any]]).map { ($0["unit"] as! String, $0) })
    }

    /// 舞阳县城市管理局 and 临颍县城市管理局 both total 82, tied for the 10th place (EXPECTED.md).
    @Test func theRecommendersFirstGoesFirst() throws {
        let rows = try Self.places(try Self.sheet(["临颍县城市管理局": 1, "舞阳县城市管理局": 2], name: "order-break.csv"))
        #expect(rows["临颍县城市管理局"]!["rank"] as? Int == 10)
        #expect(rows["临颍县城市管理局"]!["confirmed"] as? Bool == true)
        #expect(rows["临颍县城市管理局"]!["order"] as? Int == 1)
        #expect(rows["舞阳县城市管理局"]!["rank"] as? Int == 11)
        #expect(rows["舞阳县城市管理局"]!["confirmed"] as? Bool == false)
        #expect(rows["舞阳县城市管理局"]!["tied_at_cutoff"] as? Bool == false)
        // Places 1–9 are as without the column: 漯河市市场监督管理局 first at 99.
        #expect(rows["漯河市市场监督管理局"]!["rank"] as? Int == 1)
    }

    @Test func equalOrdersStayTied() throws {
        let rows = try Self.places(try Self.sheet(["临颍县城市管理局": 2, "舞阳县城市管理局": 2], name: "order-tie.csv"))
        for unit in ["临颍县城市管理局", "舞阳县城市管理局"] {
            #expect(rows[unit]!["rank"] as? Int == 10)
            #expect(rows[unit]!["confirmed"] as? Bool == false)
            #expect(rows[unit]!["tied_at_cutoff"] as? Bool == true)
        }
    }

    /// A unit with an order goes before one without at the same total.
    @Test func aUnitWithoutAnOrderComesAfter() throws {
        let rows = try Self.places(try Self.sheet(["舞阳县城市管理局": 3], name: "order-one.csv"))
        #expect(rows["舞阳县城市管理局"]!["rank"] as? Int == 10)
        #expect(rows["临颍县城市管理局"]!["rank"] as? Int == 11)
        #expect(rows["临颍县城市管理局"]!["order"] is NSNull)
    }
}
