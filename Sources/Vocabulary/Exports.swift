import Columnar

// The exports of DOMAIN.md §1: every header, alias, type, required column and value range,
// declared once. A rule names a column as `CasesExport.score`; a header is never retyped elsewhere.

/// 案卷评查结果: one row per reviewed case file.
public enum CasesExport {
    public static let caseID = ExportSchema.ColumnSpec("案卷编号", "case_id", .text, english: "Case", requiredHeader: true, requiredValue: true)
    public static let city = ExportSchema.ColumnSpec("省辖市", "city", .text, english: "City")
    public static let county = ExportSchema.ColumnSpec("县区", "county", .text, english: "County")
    public static let unit = ExportSchema.ColumnSpec("执法单位", "unit", .text, english: "Unit", requiredHeader: true, requiredValue: true)
    public static let level = ExportSchema.ColumnSpec("单位层级", "level", .text, english: "Level")
    public static let sector = ExportSchema.ColumnSpec("执法领域", "sector", .text, english: "Sector")
    public static let caseType = ExportSchema.ColumnSpec("案件类型", "case_type", .text, english: "Case type")
    public static let procedure = ExportSchema.ColumnSpec("程序类型", "procedure", .text, english: "Procedure")
    public static let major = ExportSchema.ColumnSpec("重大案件", "major", .bool, english: "Major case")
    public static let violation = ExportSchema.ColumnSpec("违法行为", "violation", .text, english: "Violation")
    public static let decisionDate = ExportSchema.ColumnSpec("决定日期", "decision_date", .date, english: "Decision date")
    public static let filingDate = ExportSchema.ColumnSpec("备案日期", "filing_date", .date, english: "Filing date")
    public static let score = ExportSchema.ColumnSpec("评查得分", "score", .float64, english: "Score", requiredHeader: true, requiredValue: true, range: 0...100)
    public static let reviewYear = ExportSchema.ColumnSpec("评查年度", "review_year", .int64, english: "Review year")

    public static let schema = ExportSchema(
        name: "cases", title: LocalizedText(zh: "案卷评查结果", en: "case-file review results"), fileName: LocalizedText(zh: "案卷文件", en: "cases file"),
        columns: [caseID, city, county, unit, level, sector, caseType, procedure, major, violation, decisionDate, filingDate, score, reviewYear])
}

/// 满意度问卷: one row per questionnaire response.
public enum SurveyExport {
    public static let responseID = ExportSchema.ColumnSpec("问卷编号", "response_id", .text, english: "Response", requiredHeader: true, requiredValue: true)
    public static let city = ExportSchema.ColumnSpec("省辖市", "city", .text, english: "City")
    public static let county = ExportSchema.ColumnSpec("县区", "county", .text, english: "County")
    public static let unit = ExportSchema.ColumnSpec("执法单位", "unit", .text, english: "Unit", requiredHeader: true, requiredValue: true)
    public static let channel = ExportSchema.ColumnSpec("调查方式", "channel", .text, english: "Channel")
    public static let respondent = ExportSchema.ColumnSpec("受访对象", "respondent", .text, english: "Respondent")
    public static let surveyDate = ExportSchema.ColumnSpec("调查日期", "survey_date", .date, english: "Survey date")
    public static let overall = ExportSchema.ColumnSpec("总体评价", "overall", .text, english: "Overall", requiredHeader: true)

    public static let schema = ExportSchema(
        name: "survey", title: LocalizedText(zh: "满意度问卷", en: "satisfaction survey"), fileName: LocalizedText(zh: "问卷文件", en: "survey file"),
        columns: [responseID, city, county, unit, channel, respondent, surveyDate, overall],
        numbered: ExportSchema.NumberedColumns(headerPrefix: "题", aliasPrefix: "q", type: .text))
}

/// 执法人员名册: one row per certificate holder.
public enum RosterExport {
    public static let certNo = ExportSchema.ColumnSpec("证件号", "cert_no", .text, english: "Certificate", requiredHeader: true, requiredValue: true)
    public static let name = ExportSchema.ColumnSpec("姓名", "name", .text, english: "Name", requiredHeader: true)
    public static let city = ExportSchema.ColumnSpec("省辖市", "city", .text, english: "City")
    public static let county = ExportSchema.ColumnSpec("县区", "county", .text, english: "County")
    public static let unit = ExportSchema.ColumnSpec("执法单位", "unit", .text, english: "Unit", requiredHeader: true, requiredValue: true)
    public static let level = ExportSchema.ColumnSpec("单位层级", "level", .text, english: "Level")
    public static let office = ExportSchema.ColumnSpec("处(科)室", "office", .text, english: "Office")
    public static let post = ExportSchema.ColumnSpec("职务", "post", .text, english: "Post")
    public static let grade = ExportSchema.ColumnSpec("职级", "grade", .text, english: "Grade")
    public static let staffType = ExportSchema.ColumnSpec("身份类别", "staff_type", .text, english: "Staff type")
    public static let certType = ExportSchema.ColumnSpec("证件类型", "cert_type", .text, english: "Certificate type")
    public static let certStatus = ExportSchema.ColumnSpec("证件状态", "cert_status", .text, english: "Certificate status", requiredHeader: true)
    public static let casesThisYear = ExportSchema.ColumnSpec("本年度办案数", "cases_this_year", .int64, english: "Cases this year")

    public static let schema = ExportSchema(
        name: "roster", title: LocalizedText(zh: "执法人员名册", en: "officer roster"), fileName: LocalizedText(zh: "名册", en: "roster"),
        columns: [certNo, name, city, county, unit, level, office, post, grade, staffType, certType, certStatus, casesThisYear])
}

/// 法律知识测试成绩: one row per person tested.
public enum TestsExport {
    /// The marker for an absent candidate in 得分, and the name of the yes/no column ingest adds for it.
    public static let absentColumn = "缺考"
    public static let certNo = ExportSchema.ColumnSpec("证件号", "cert_no", .text, english: "Certificate", requiredHeader: true, requiredValue: true)
    public static let unit = ExportSchema.ColumnSpec("执法单位", "unit", .text, english: "Unit")
    public static let testKind = ExportSchema.ColumnSpec("测试类型", "test_kind", .text, english: "Test kind")
    public static let testDate = ExportSchema.ColumnSpec("测试日期", "test_date", .date, english: "Test date")
    public static let score = ExportSchema.ColumnSpec("得分", "score", .float64, english: "Score", requiredHeader: true, requiredValue: true, range: 0...100, absentMarker: absentColumn)
    public static let misconduct = ExportSchema.ColumnSpec("违规", "misconduct", .bool, english: "Misconduct")

    public static let schema = ExportSchema(
        name: "tests", title: LocalizedText(zh: "法律知识测试成绩", en: "legal knowledge tests"), fileName: LocalizedText(zh: "测试成绩文件", en: "tests file"),
        columns: [certNo, unit, testKind, testDate, score, misconduct])
}

/// 比武成绩: one row per team.
public enum CompetitionExport {
    public static let team = ExportSchema.ColumnSpec("参赛队伍", "team", .text, english: "Team", requiredHeader: true, requiredValue: true)
    public static let track = ExportSchema.ColumnSpec("参赛类别", "track", .text, english: "Track", requiredHeader: true)
    public static let simulation = ExportSchema.ColumnSpec("模拟执法得分", "simulation", .float64, english: "Simulation", range: 0...100)
    public static let misconduct = ExportSchema.ColumnSpec("违规", "misconduct", .bool, english: "Misconduct")

    public static let schema = ExportSchema(
        name: "competition", title: LocalizedText(zh: "比武成绩", en: "enforcement competition"), fileName: LocalizedText(zh: "比武成绩文件", en: "competition file"),
        columns: [team, track, simulation, misconduct])
}

/// 验收扣分表: one row per deduction or bonus found on a site visit.
public enum AcceptanceExport {
    public static let unit = ExportSchema.ColumnSpec("申报单位", "unit", .text, english: "Unit", requiredHeader: true, requiredValue: true)
    public static let standard = ExportSchema.ColumnSpec("标准", "standard", .text, english: "Standard", requiredHeader: true)
    public static let item = ExportSchema.ColumnSpec("项目", "item", .text, english: "Item", requiredHeader: true)
    public static let deduction = ExportSchema.ColumnSpec("扣分", "deduction", .float64, english: "Deduction", range: 0...Double.greatestFiniteMagnitude)
    public static let bonus = ExportSchema.ColumnSpec("加分", "bonus", .float64, english: "Bonus", range: 0...Double.greatestFiniteMagnitude)
    public static let veto = ExportSchema.ColumnSpec("否决", "veto", .bool, english: "Veto")
    public static let note = ExportSchema.ColumnSpec("说明", "note", .text, english: "Note")
    public static let order = ExportSchema.ColumnSpec("推荐顺序", "order", .int64, english: "Order", range: 1...Double.greatestFiniteMagnitude)

    public static let schema = ExportSchema(
        name: "acceptance", title: LocalizedText(zh: "验收扣分表", en: "acceptance sheet"), fileName: LocalizedText(zh: "验收扣分表", en: "acceptance sheet"),
        columns: [unit, standard, item, deduction, bonus, veto, note, order])
}

/// 推荐对象: commendation candidates, one row per unit or person.
public enum CandidatesExport {
    public static let recommender = ExportSchema.ColumnSpec("推荐单位", "recommender", .text, english: "Recommender", requiredHeader: true, requiredValue: true)
    public static let kind = ExportSchema.ColumnSpec("对象类别", "kind", .text, english: "Kind", requiredHeader: true, requiredValue: true)
    public static let order = ExportSchema.ColumnSpec("推荐顺序", "order", .int64, english: "Order", requiredHeader: true)
    public static let unit = ExportSchema.ColumnSpec("单位全称", "unit", .text, english: "Unit", requiredHeader: true)
    public static let unitLevel = ExportSchema.ColumnSpec("单位级别", "unit_level", .text, english: "Unit level")
    public static let name = ExportSchema.ColumnSpec("姓名", "name", .text, english: "Name")
    public static let office = ExportSchema.ColumnSpec("处(科)室", "office", .text, english: "Office")
    public static let post = ExportSchema.ColumnSpec("职务", "post", .text, english: "Post")
    public static let grade = ExportSchema.ColumnSpec("职级", "grade", .text, english: "Grade")
    public static let certNo = ExportSchema.ColumnSpec("证件号", "cert_no", .text, english: "Certificate")
    public static let violationSince2015 = ExportSchema.ColumnSpec("2015年以来违法行政行为", "violation_since_2015", .bool, english: "Violation since 2015")
    public static let yearsInRole = ExportSchema.ColumnSpec("从事年限", "years_in_role", .float64, english: "Years in role")
    public static let staffType = ExportSchema.ColumnSpec("身份类别", "staff_type", .text, english: "Staff type")

    public static let schema = ExportSchema(
        name: "candidates", title: LocalizedText(zh: "推荐对象", en: "commendation candidates"), fileName: LocalizedText(zh: "推荐对象文件", en: "candidates file"),
        columns: [recommender, kind, order, unit, unitLevel, name, office, post, grade, certNo, violationSince2015, yearsInRole, staffType])
}

/// 风险目录: an office's catalog of violations with their legal basis, for the published risk list (§2.8).
public enum RiskCatalogExport {
    public static let violation = ExportSchema.ColumnSpec("违法行为", "violation", .text, english: "Violation", requiredHeader: true, requiredValue: true)
    public static let legalBasis = ExportSchema.ColumnSpec("法律依据", "legal_basis", .text, english: "Legal basis", requiredHeader: true)
    public static let discretion = ExportSchema.ColumnSpec("裁量标准", "discretion", .text, english: "Discretion", requiredHeader: true)
    public static let consequence = ExportSchema.ColumnSpec("法律后果", "consequence", .text, english: "Consequence", requiredHeader: true)
    public static let prevention = ExportSchema.ColumnSpec("防控措施", "prevention", .text, english: "Prevention", requiredHeader: true)
    public static let responsibleUnit = ExportSchema.ColumnSpec("责任单位", "responsible_unit", .text, english: "Responsible unit", requiredHeader: true)

    public static let schema = ExportSchema(
        name: "risk_catalog", title: LocalizedText(zh: "违法风险目录", en: "risk catalog"), fileName: LocalizedText(zh: "风险目录", en: "risk catalog"),
        columns: [violation, legalBasis, discretion, consequence, prevention, responsibleUnit])
}
