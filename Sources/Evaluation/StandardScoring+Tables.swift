import Columnar
import Reporting
import Vocabulary

// The result tables of standard scoring, each declared once: a row struct and the fields that
// put its properties under their columns.
extension StandardScoring {
    /// One unit's score under a standard.
    struct ScoreRow: Sendable {
        var rank: Int?
        var unit: String
        var total: Double
        var bonus: Double
        var vetoed: Bool
        var ineligibleReasons: String
        var order: Int64?
        var confirmed: Bool
        var tiedAtCutoff: Bool
        var missingItems: String

        /// The columns: 推荐顺序 when the sheet has it, the confirmation columns when the standard caps how many are confirmed.
        static func fields(_ standard: ScoringStandard, withOrder: Bool) -> [ResultField<ScoreRow>] {
            let maximum = Value.formatDouble(standard.generalPoints + standard.bonusCap), cap = Value.formatDouble(standard.bonusCap)
            var fields: [ResultField<ScoreRow>] = [
                ResultField(\.rank, key: "rank", zh: "名次", en: "Rank", format: .integer),
                ResultField(\.unit, ResultColumn(AcceptanceExport.unit, format: .text)),
                ResultField(\.total, key: "total", zh: "总分（满分 \(maximum)）", en: "Total (of \(maximum))", format: .decimal(2)),
                ResultField(\.bonus, key: "bonus", zh: "加分（上限 \(cap)）", en: "Bonus (cap \(cap))", format: .decimal(2)),
                ResultField(\.vetoed, key: "vetoed", zh: "一票否决", en: "Vetoed", format: .bool),
                ResultField(\.ineligibleReasons, key: "ineligible_reasons", zh: "违反基本标准", en: "Basic items breached", format: .text),
            ]
            if withOrder {
                fields.append(ResultField(\.order, ResultColumn(AcceptanceExport.order, format: .integer)))
            }
            if let limit = standard.confirmAtMost {
                fields += [ResultField(\.confirmed, key: "confirmed", zh: "确认（至多 \(limit) 个）", en: "Confirmed (at most \(limit))", format: .bool),
                           ResultField(\.tiedAtCutoff, key: "tied_at_cutoff", zh: "名额线并列待定", en: "Tied at the cut-off", format: .bool)]
            }
            fields.append(ResultField(\.missingItems, key: "missing_items", zh: "未计算项目", en: "Items not computed", format: .text))
            return fields
        }
    }

    /// One item of one unit's score (`--details`).
    struct ItemRow {
        var unit: String
        var item: String
        var itemName: String
        var points: Double?
        var computed: Value = .null
        var deduction: Double?
        var bonusClaimed: Double?
        var score: Value = .null
        var note: String

        static let fields: [ResultField<ItemRow>] = [
            ResultField(\.unit, ResultColumn(AcceptanceExport.unit, format: .text)),
            ResultField(\.item, ResultColumn(AcceptanceExport.item, format: .text)),
            ResultField(\.itemName, key: "item_name", zh: "项目名称", en: "Item name", format: .text),
            ResultField(\.points, key: "points", zh: "分值", en: "Points", format: .number),
            ResultField(\.computed, key: "computed", zh: "数据计算", en: "Computed", format: .decimal(2)),
            ResultField(\.deduction, key: "deduction", zh: AcceptanceExport.deduction.header, en: "Deducted", format: .number),
            ResultField(\.bonusClaimed, key: "bonus_claimed", zh: "申报加分", en: "Bonus claimed", format: .number),
            ResultField(\.score, key: "score", zh: "得分", en: "Score", format: .decimal(2)),
            ResultField(\.note, ResultColumn(AcceptanceExport.note, format: .text)),
        ]
    }

    /// A sheet row that was not scored, and why.
    struct ProblemRow {
        var line: Int
        var unit: String
        var item: String
        var reason: SheetProblem

        static func fields(_ standard: ScoringStandard) -> [ResultField<ProblemRow>] {
            [
                ResultField(\.line, key: "line", zh: "行号", en: "Line", format: .integer),
                ResultField(\.unit, ResultColumn(AcceptanceExport.unit, format: .text)),
                ResultField(\.item, ResultColumn(AcceptanceExport.item, format: .text)),
                ResultField(\.reason.rawValue, key: "reason", zh: "原因", en: "Reason", format: .label(SheetProblem.labels(standard))),
            ]
        }
    }
}
