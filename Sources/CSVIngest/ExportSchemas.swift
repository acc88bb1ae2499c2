import Columnar

extension ExportSchema {
    /// 案卷评查结果: one row per reviewed case file.
    public static let cases = ExportSchema(
        name: "cases", title: LocalizedText(zh: "案卷评查结果", en: "case-file review results"),
        columns: [
            ColumnSpec("案卷编号", "case_id", .text, requiredHeader: true, requiredValue: true),
            ColumnSpec("省辖市", "city", .text),
            ColumnSpec("县区", "county", .text),
            ColumnSpec("执法单位", "unit", .text, requiredHeader: true, requiredValue: true),
            ColumnSpec("单位层级", "level", .text),
            ColumnSpec("执法领域", "sector", .text),
            ColumnSpec("案件类型", "case_type", .text),
            ColumnSpec("程序类型", "procedure", .text),
            ColumnSpec("重大案件", "major", .bool),
            ColumnSpec("违法行为", "violation", .text),
            ColumnSpec("决定日期", "decision_date", .date),
            ColumnSpec("备案日期", "filing_date", .date),
            ColumnSpec("评查得分", "score", .float64, requiredHeader: true, requiredValue: true, range: 0...100),
            ColumnSpec("评查年度", "review_year", .int64),
        ])

    /// 满意度问卷: one row per questionnaire response.
    public static let survey = ExportSchema(
        name: "survey", title: LocalizedText(zh: "满意度问卷", en: "satisfaction survey"),
        columns: [
            ColumnSpec("问卷编号", "response_id", .text, requiredHeader: true, requiredValue: true),
            ColumnSpec("省辖市", "city", .text),
            ColumnSpec("县区", "county", .text),
            ColumnSpec("执法单位", "unit", .text, requiredHeader: true, requiredValue: true),
            ColumnSpec("调查方式", "channel", .text),
            ColumnSpec("受访对象", "respondent", .text),
            ColumnSpec("调查日期", "survey_date", .date),
            ColumnSpec("总体评价", "overall", .text, requiredHeader: true),
        ],
        numbered: NumberedColumns(headerPrefix: "题", aliasPrefix: "q", type: .text))

    /// 执法人员名册: one row per certificate holder.
    public static let roster = ExportSchema(
        name: "roster", title: LocalizedText(zh: "执法人员名册", en: "officer roster"),
        columns: [
            ColumnSpec("证件号", "cert_no", .text, requiredHeader: true, requiredValue: true),
            ColumnSpec("姓名", "name", .text, requiredHeader: true),
            ColumnSpec("省辖市", "city", .text),
            ColumnSpec("县区", "county", .text),
            ColumnSpec("执法单位", "unit", .text, requiredHeader: true, requiredValue: true),
            ColumnSpec("单位层级", "level", .text),
            ColumnSpec("处(科)室", "office", .text),
            ColumnSpec("职务", "post", .text),
            ColumnSpec("职级", "grade", .text),
            ColumnSpec("身份类别", "staff_type", .text),
            ColumnSpec("证件类型", "cert_type", .text),
            ColumnSpec("证件状态", "cert_status", .text, requiredHeader: true),
            ColumnSpec("本年度办案数", "cases_this_year", .int64),
        ])

    /// 法律知识测试成绩: one row per person tested.
    public static let tests = ExportSchema(
        name: "tests", title: LocalizedText(zh: "法律知识测试成绩", en: "legal knowledge tests"),
        columns: [
            ColumnSpec("证件号", "cert_no", .text, requiredHeader: true, requiredValue: true),
            ColumnSpec("执法单位", "unit", .text),
            ColumnSpec("测试类型", "test_kind", .text),
            ColumnSpec("测试日期", "test_date", .date),
            ColumnSpec("得分", "score", .float64, requiredHeader: true, requiredValue: true, range: 0...100, absentMarker: "缺考"),
            ColumnSpec("违规", "misconduct", .bool),
        ])

    /// 比武成绩: one row per team.
    public static let competition = ExportSchema(
        name: "competition", title: LocalizedText(zh: "比武成绩", en: "enforcement competition"),
        columns: [
            ColumnSpec("参赛队伍", "team", .text, requiredHeader: true, requiredValue: true),
            ColumnSpec("参赛类别", "track", .text, requiredHeader: true),
            ColumnSpec("模拟执法得分", "simulation", .float64, range: 0...100),
            ColumnSpec("违规", "misconduct", .bool),
        ])

    /// 验收扣分表: one row per deduction or bonus found on a site visit.
    public static let acceptance = ExportSchema(
        name: "acceptance", title: LocalizedText(zh: "验收扣分表", en: "acceptance sheet"),
        columns: [
            ColumnSpec("申报单位", "unit", .text, requiredHeader: true, requiredValue: true),
            ColumnSpec("标准", "standard", .text, requiredHeader: true),
            ColumnSpec("项目", "item", .text, requiredHeader: true),
            ColumnSpec("扣分", "deduction", .float64, range: 0...Double.greatestFiniteMagnitude),
            ColumnSpec("加分", "bonus", .float64, range: 0...Double.greatestFiniteMagnitude),
            ColumnSpec("否决", "veto", .bool),
            ColumnSpec("说明", "note", .text),
            ColumnSpec("推荐顺序", "order", .int64, range: 1...Double.greatestFiniteMagnitude),
        ])

    /// 推荐对象: commendation candidates, one row per unit or person.
    public static let candidates = ExportSchema(
        name: "candidates", title: LocalizedText(zh: "推荐对象", en: "commendation candidates"),
        columns: [
            ColumnSpec("推荐单位", "recommender", .text, requiredHeader: true, requiredValue: true),
            ColumnSpec("对象类别", "kind", .text, requiredHeader: true, requiredValue: true),
            ColumnSpec("推荐顺序", "order", .int64, requiredHeader: true),
            ColumnSpec("单位全称", "unit", .text, requiredHeader: true),
            ColumnSpec("单位级别", "unit_level", .text),
            ColumnSpec("姓名", "name", .text),
            ColumnSpec("处(科)室", "office", .text),
            ColumnSpec("职务", "post", .text),
            ColumnSpec("职级", "grade", .text),
            ColumnSpec("证件号", "cert_no", .text),
            ColumnSpec("2015年以来违法行政行为", "violation_since_2015", .bool),
            ColumnSpec("从事年限", "years_in_role", .float64),
            ColumnSpec("身份类别", "staff_type", .text),
        ])

    /// The seven exports, in DOMAIN.md's order.
    /// 风险目录: an office's catalog of violations with their legal basis, for the published risk list (§2.8).
    public static let riskCatalog = ExportSchema(
        name: "risk_catalog", title: LocalizedText(zh: "违法风险目录", en: "risk catalog"),
        columns: [
            ColumnSpec("违法行为", "violation", .text, requiredHeader: true, requiredValue: true),
            ColumnSpec("法律依据", "legal_basis", .text, requiredHeader: true),
            ColumnSpec("裁量标准", "discretion", .text, requiredHeader: true),
            ColumnSpec("法律后果", "consequence", .text, requiredHeader: true),
            ColumnSpec("防控措施", "prevention", .text, requiredHeader: true),
            ColumnSpec("责任单位", "responsible_unit", .text, requiredHeader: true),
        ])

    public static let all: [ExportSchema] = [.cases, .survey, .roster, .tests, .competition, .acceptance, .candidates, .riskCatalog]

    /// The schema named `name` (`cases`, `survey`, …).
    public static func named(_ name: String) -> ExportSchema? {
        all.first { $0.name == name.lowercased() }
    }

    /// The schema that best fits a file's headers: all its required headers present, and the
    /// most known headers. Nil when none fits.
    public static func detect(headers: [String]) -> ExportSchema? {
        var best: (schema: ExportSchema, score: Int)?
        for schema in all where schema.missingRequired(in: headers).isEmpty {
            let score = schema.matchCount(headers)
            if score >= 2, score > (best?.score ?? 0) { best = (schema, score) }
        }
        return best?.schema
    }
}
