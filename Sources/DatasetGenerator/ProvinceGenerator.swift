import Columnar
import Vocabulary

/// Writes the seven exports of a synthetic province and its risk catalog, streaming rows to disk.
///
/// The same options give byte-identical files on any machine: all randomness comes from
/// `SeededGenerator`, each export from its own stream, and nothing iterates a hash table.
public struct ProvinceGenerator {
    let options: GeneratorOptions
    let province: Province
    let encoder: ((UnsafeRawBufferPointer) throws -> [UInt8])?

    /// - Parameter encoder: converts UTF-8 bytes to the output encoding (for `--encoding gb18030`).
    public init(options: GeneratorOptions, encoder: ((UnsafeRawBufferPointer) throws -> [UInt8])?) throws {
        guard options.preset == "henan" else {
            throw PingchaError(.usage, zh: "未知的预设「\(options.preset)」，目前只有 henan。",
                               en: "unknown preset '\(options.preset)'; the only one is henan.")
        }
        self.options = options
        self.encoder = encoder
        province = Province(seed: options.seed, officers: options.officers)
    }

    /// Writes all eight files and says how many rows each got.
    public func run() throws -> GeneratorSummary {
        var files: [(String, Int, Int)] = []
        let casesResult = try writeCases()
        files.append(("cases.csv", options.cases, casesResult.bytes))
        files.append(("survey.csv", options.surveyResponses, try writeSurvey(unitsWithCases: casesResult.unitsWithCases)))
        files.append(("roster.csv", province.people.count, try writeRoster()))
        files.append(("tests.csv", options.testResults, try writeTests()))
        let competition = try writeCompetition()
        files.append(("competition.csv", competition.rows, competition.bytes))
        let acceptance = try writeAcceptance()
        files.append(("acceptance.csv", acceptance.rows, acceptance.bytes))
        let candidates = try writeCandidates()
        files.append(("candidates.csv", candidates.rows, candidates.bytes))
        let catalog = try writeRiskCatalog()
        files.append(("risk_catalog.csv", catalog.rows, catalog.bytes))
        return GeneratorSummary(files: files)
    }

    func makeWriter(_ name: String) throws -> ByteWriter {
        let path = options.directory.hasSuffix("/") ? options.directory + name : options.directory + "/" + name
        return try ByteWriter(path: path, crlf: options.messy, byteOrderMark: options.messy && encoder == nil, encoder: encoder)
    }

    /// Writes the header row: the declared columns' Chinese headers.
    func header(_ writer: ByteWriter, _ columns: [ExportSchema.ColumnSpec]) throws {
        for (index, column) in columns.enumerated() {
            if index > 0 { writer.comma() }
            writer.text(column.header)
        }
        try writer.endRow()
    }

    /// The 省辖市, 县区 and 执法单位 cells of a unit, each followed by a comma.
    func writeRegionAndUnit(_ writer: ByteWriter, _ unit: Province.Unit) {
        writer.text(cityName(of: unit))
        writer.comma()
        writer.text(unit.county)
        writer.comma()
        writer.text(unit.name)
        writer.comma()
    }

    /// A unit's 省辖市: its city, or 省直 for a provincial department.
    func cityName(of unit: Province.Unit) -> String {
        unit.city >= 0 ? province.cityNames[unit.city] : ProvinceNames.provincial
    }

    func report(_ name: String, _ done: Int, _ total: Int) {
        if done % 65_536 == 0 || done == total { options.progress?(name, done, total) }
    }
}
