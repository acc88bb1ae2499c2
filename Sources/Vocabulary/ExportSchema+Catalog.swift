import Columnar

extension ExportSchema {
    public static var cases: ExportSchema { CasesExport.schema }
    public static var survey: ExportSchema { SurveyExport.schema }
    public static var roster: ExportSchema { RosterExport.schema }
    public static var tests: ExportSchema { TestsExport.schema }
    public static var competition: ExportSchema { CompetitionExport.schema }
    public static var acceptance: ExportSchema { AcceptanceExport.schema }
    public static var candidates: ExportSchema { CandidatesExport.schema }
    public static var riskCatalog: ExportSchema { RiskCatalogExport.schema }

    /// The eight exports, in DOMAIN.md's order.
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
