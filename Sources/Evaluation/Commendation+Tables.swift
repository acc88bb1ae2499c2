import Columnar
import Reporting
import Vocabulary

// The result tables of the commendation selection, each declared once: a row struct and the
// fields that put its properties under their columns.
extension Commendation {
    static let kindLabels = ["unit": LocalizedText(zh: "单位", en: "unit"), "person": LocalizedText(zh: "个人", en: "person")]

    /// A unit put forward (表扬推荐对象汇总表（单位）).
    struct UnitRow {
        var recommender: String
        var order: Int
        var unit: String
        var unitLevel: String

        static let fields: [ResultField<UnitRow>] = [
            ResultField(\.recommender, ResultColumn(CandidatesExport.recommender, format: .text)),
            ResultField(\.order, key: "order", zh: "顺序", en: "Order", format: .integer),
            ResultField(\.unit, ResultColumn(CandidatesExport.unit, format: .text)),
            ResultField(\.unitLevel, key: CandidatesExport.unitLevel.alias, zh: "单位(机构)级别", en: "Unit level", format: .text),
        ]
    }

    /// A person put forward (表扬推荐对象汇总表（个人）), with the form's own headers.
    struct PersonRow {
        var recommender: String
        var order: Int
        var name: String
        var unit: String
        var office: String
        var post: String
        var grade: String
        var certNo: String

        static let fields: [ResultField<PersonRow>] = [
            ResultField(\.recommender, ResultColumn(CandidatesExport.recommender, format: .text)),
            ResultField(\.order, key: "order", zh: "顺序", en: "Order", format: .integer),
            ResultField(\.name, ResultColumn(CandidatesExport.name, format: .text)),
            ResultField(\.unit, ResultColumn(CandidatesExport.unit, format: .text)),
            ResultField(\.office, key: CandidatesExport.office.alias, zh: "处(科)室名称", en: "Office", format: .text),
            ResultField(\.post, ResultColumn(CandidatesExport.post, format: .text)),
            ResultField(\.grade, ResultColumn(CandidatesExport.grade, format: .text)),
            ResultField(\.certNo, key: CandidatesExport.certNo.alias, zh: "执法(监督)证件号", en: "Certificate", format: .text),
        ]
    }

    /// A candidate not put forward, and why.
    struct DroppedRow {
        var recommender: String
        var kind: String
        var order: Int64?
        var name: String?
        var unit: String
        var grade: String
        var certNo: String?
        var line: Int
        var reason: DropReason

        init(_ candidate: Candidate, _ reason: DropReason, line: Int32) {
            recommender = candidate.recommender
            kind = candidate.isPerson ? "person" : "unit"
            order = candidate.order
            name = candidate.isPerson ? candidate.name : nil
            unit = candidate.unit
            grade = candidate.isPerson ? candidate.grade : candidate.unitLevel
            certNo = candidate.isPerson ? candidate.certNo : nil
            self.line = Int(line)
            self.reason = reason
        }

        static func fields(_ settings: RuleSettings.Commendation) -> [ResultField<DroppedRow>] {
            [
                ResultField(\.recommender, ResultColumn(CandidatesExport.recommender, format: .text)),
                ResultField(\.kind, ResultColumn(CandidatesExport.kind, format: .label(kindLabels))),
                ResultField(\.order, ResultColumn(CandidatesExport.order, format: .integer)),
                ResultField(\.name, ResultColumn(CandidatesExport.name, format: .text)),
                ResultField(\.unit, ResultColumn(CandidatesExport.unit, format: .text)),
                ResultField(\.grade, key: "grade", zh: "职级（单位为单位级别）", en: "Grade (unit level for units)", format: .text),
                ResultField(\.certNo, ResultColumn(CandidatesExport.certNo, format: .text)),
                ResultField(\.line, key: "line", zh: "行号", en: "Line", format: .integer),
                ResultField(\.reason.rawValue, key: "reason", zh: "原因", en: "Reason", format: .label(reasonLabels(settings))),
            ]
        }
    }

    /// The figures a candidate was ranked on (`--rank-by composite`).
    struct FigureRow {
        var recommender: String
        var kind: String
        var order: Int64
        var candidate: String
        var measured: Figures.Measured
        var composite: Double?

        static let fields: [ResultField<FigureRow>] = [
            ResultField(\.recommender, ResultColumn(CandidatesExport.recommender, format: .text)),
            ResultField(\.kind, ResultColumn(CandidatesExport.kind, format: .label(kindLabels))),
            ResultField(\.order, ResultColumn(CandidatesExport.order, format: .integer)),
            ResultField(\.candidate, key: "candidate", zh: "推荐对象", en: "Candidate", format: .text),
            ResultField(\.measured.passRate, key: "pass_rate", zh: "案卷合格率", en: "Pass rate", format: .percent(2)),
            ResultField(\.measured.satisfactionIndex, key: "satisfaction_index", zh: "满意度指数", en: "Satisfaction index", format: .decimal(2)),
            ResultField(\.measured.testAverage, key: "test_average", zh: "测试平均分", en: "Test average", format: .decimal(2)),
            ResultField(\.measured.standardTotal, key: "standard_total", zh: "验收总分", en: "Acceptance total", format: .decimal(2)),
            ResultField(\.composite, key: "composite", zh: "综合得分", en: "Composite", format: .decimal(2)),
        ]
    }
}
