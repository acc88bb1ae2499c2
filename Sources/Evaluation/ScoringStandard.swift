import Columnar
import Foundation

/// A scoring standard (评分标准, DOMAIN.md §2.6) read from a data file: its items, their points,
/// which items are computed from the exports, the bonus cap and how many sites may be confirmed.
///
/// The two standards of DOMAIN.md ship in `Resources/standards/`; an office adds its own with
/// `--standard FILE` in the same format (`pingcha-standard-1`), without code changes.
public struct ScoringStandard: Sendable {
    /// What an item is: a basic item (a breach makes the unit ineligible, shown as −100), a
    /// general item with points, or the bonus (capped at its points).
    public enum ItemKind: String, Sendable, CaseIterable {
        case basic
        case general
        case bonus
    }

    /// Items computed from the exports by the rules of part 1 instead of from the sheet.
    public enum DataSource: String, Sendable, CaseIterable {
        /// R0.2: ineligible staff (工勤人员/劳动合同工/临时工) among the drawn (§2.3). Needs the roster and a draw record.
        case ineligibleStaffDrawn = "ineligible_staff_drawn"
        /// R0.3: any case file below the pass line (§2.1). Needs the cases.
        case unqualifiedCaseFile = "unqualified_case_file"
        /// 2.1: the on-site test item, 0 when anyone fails, else points × average / 100 (§2.4). Needs tests and roster.
        case testItem = "test_item"
        /// Points × average / 100, no fail rule (the Pingdingshan reading of §2.4). Needs tests and roster.
        case testAverage = "test_average"
        /// 3.1: major penalties filed within 15 days (§2.7). Needs the cases.
        case filing
        /// 3.2: a reviewed case file in each of the last years (§2.1). Needs the cases.
        case reviewYears = "review_years"
        /// 3.4: −1 per drawn officer with no case this year (§2.3). Needs the roster and a draw record.
        case drawnEnforced = "drawn_enforced"
        /// Pingdingshan 2.3: points × average / 100 of the on-line test (在线测试) scores of the
        /// persons drawn in proportion (§2.6, `001` 按比例随机抽取). Computed only when the tests
        /// are given; the sheet's figure stands otherwise.
        case onlineTest = "online_test"

        /// Whether the item falls back to the sheet when its exports are not given (instead of
        /// being marked not computed).
        public var isOptional: Bool { self == .onlineTest }

        /// The exports (command-line options) the item needs.
        public var needs: [String] {
            switch self {
            case .ineligibleStaffDrawn, .drawnEnforced: return ["--roster", "--draw-record"]
            case .unqualifiedCaseFile, .filing, .reviewYears: return ["--cases"]
            case .testItem, .testAverage, .onlineTest: return ["--tests", "--roster"]
            }
        }
    }

    public struct Item: Sendable {
        public var code: String
        public var kind: ItemKind
        /// The item's points (general), the cap (bonus); nil for basic items.
        public var points: Double?
        public var name: LocalizedText
        public var data: DataSource?
        /// How deductions are counted, as the standard words it (shown, not applied: the sheet
        /// records the deductions found).
        public var rule: LocalizedText?
    }

    public var name: String
    public var title: LocalizedText
    public var source: String
    public var items: [Item]
    /// At most this many sites are confirmed (Pingdingshan: 10); nil when the standard confirms none.
    public var confirmAtMost: Int?
    /// Where the standard was read from: `builtin` or a file path.
    public var origin: String

    public var bonusCap: Double { items.first { $0.kind == .bonus }?.points ?? 0 }
    public var generalPoints: Double { items.filter { $0.kind == .general }.reduce(0) { $0 + ($1.points ?? 0) } }

    public func item(code: String) -> Item? { items.first { $0.code == code } }

    /// The names of the standards shipped with the program.
    public static let bundledNames = ["pingdingshan-2019", "responsibility-2022"]

    /// The bundled standard `name`.
    ///
    /// - Throws: `PingchaError(.usage)` for an unknown name, listing the known ones.
    public static func bundled(_ name: String) throws -> ScoringStandard {
        guard bundledNames.contains(name),
              let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "standards"),
              let data = try? Data(contentsOf: url) else {
            throw PingchaError(.usage, zh: "没有名为「\(name)」的评分标准；内置标准：\(bundledNames.joined(separator: "、"))；自定义标准用 --standard FILE。",
                               en: "no scoring standard named '\(name)'; built in: \(bundledNames.joined(separator: ", ")); use --standard FILE for your own.")
        }
        return try parse(data, origin: "builtin")
    }

    /// Reads a standard file.
    ///
    /// - Throws: `PingchaError` naming the file, the item and the field that is wrong.
    public static func load(path: String) throws -> ScoringStandard {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PingchaError(.missingInput, zh: "找不到评分标准文件 \(path)", en: "cannot read the standard file \(path)")
        }
        return try parse(data, origin: path)
    }

    /// Parses and checks a standard document.
    public static func parse(_ data: Data, origin: String) throws -> ScoringStandard {
        func fail(_ zh: String, _ en: String) -> PingchaError {
            PingchaError(.data, zh: "评分标准文件 \(origin)：\(zh)", en: "standard file \(origin): \(en)")
        }
        guard let document = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw fail("不是有效的 JSON 对象。", "not a valid JSON object.")
        }
        guard document["format"] as? String == "pingcha-standard-1" else {
            throw fail("format 应为 \"pingcha-standard-1\"。", "format must be \"pingcha-standard-1\".")
        }
        guard let name = document["name"] as? String, !name.isEmpty else {
            throw fail("缺少 name（标准名称）。", "name is missing.")
        }
        let title = localized(document["title"]) ?? LocalizedText(zh: name, en: name)
        var confirmAtMost: Int?
        if let limit = document["confirm_at_most"], !(limit is NSNull) {
            guard let number = limit as? Int, number > 0 else {
                throw fail("confirm_at_most 应为正整数。", "confirm_at_most must be a positive whole number.")
            }
            confirmAtMost = number
        }
        guard let rawItems = document["items"] as? [[String: Any]], !rawItems.isEmpty else {
            throw fail("items 应为非空的项目列表。", "items must be a non-empty list of items.")
        }
        var items: [Item] = []
        var seen: Set<String> = []
        for (index, raw) in rawItems.enumerated() {
            let position = index + 1
            guard let code = raw["code"] as? String, !code.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail("第 \(position) 个项目缺少 code。", "item \(position) has no code.")
            }
            func itemFail(_ field: String, _ zh: String, _ en: String) -> PingchaError {
                fail("项目 \(code)（第 \(position) 个）的 \(field) \(zh)", "item \(code) (number \(position)), field \(field): \(en)")
            }
            guard seen.insert(code).inserted else {
                throw itemFail("code", "与前面的项目重复。", "appears twice.")
            }
            guard let kindText = raw["kind"] as? String, let kind = ItemKind(rawValue: kindText) else {
                throw itemFail("kind", "应为 basic、general 或 bonus。", "must be basic, general or bonus.")
            }
            var points: Double?
            if kind != .basic {
                guard let number = (raw["points"] as? NSNumber)?.doubleValue, number > 0, number.isFinite else {
                    throw itemFail("points", "应为正数。", "must be a positive number.")
                }
                points = number
            } else if raw["points"] != nil {
                throw itemFail("points", "基本项目不设分值（违反即扣 100 分）。", "basic items have no points (a breach costs 100).")
            }
            guard let itemName = localized(raw) else {
                throw itemFail("zh/en", "缺少项目名称。", "the item's name is missing.")
            }
            var source: DataSource?
            if let dataText = raw["data"] as? String {
                guard let found = DataSource(rawValue: dataText) else {
                    throw itemFail("data", "不认识「\(dataText)」；可用：\(DataSource.allCases.map(\.rawValue).joined(separator: "、"))。",
                                   "unknown '\(dataText)'; known: \(DataSource.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                let basicSources: [DataSource] = [.ineligibleStaffDrawn, .unqualifiedCaseFile]
                guard (kind == .basic) == basicSources.contains(found), kind != .bonus else {
                    throw itemFail("data", "「\(dataText)」不能用于 \(kind.rawValue) 项目。", "'\(dataText)' cannot compute a \(kind.rawValue) item.")
                }
                source = found
            } else if raw["data"] != nil {
                throw itemFail("data", "应为文字。", "must be text.")
            }
            items.append(Item(code: code, kind: kind, points: points, name: itemName, data: source, rule: localized(raw["rule"])))
        }
        guard items.filter({ $0.kind == .bonus }).count <= 1 else {
            throw fail("加分项目（bonus）最多一个。", "at most one bonus item.")
        }
        return ScoringStandard(name: name, title: title, source: document["source"] as? String ?? "",
                               items: items, confirmAtMost: confirmAtMost, origin: origin)
    }

    private static func localized(_ any: Any?) -> LocalizedText? {
        guard let object = any as? [String: Any], let zh = object["zh"] as? String, !zh.isEmpty else { return nil }
        return LocalizedText(zh: zh, en: object["en"] as? String ?? zh)
    }
}
