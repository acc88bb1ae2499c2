import Columnar
import Evaluation
import Foundation
import Query
import Reporting

/// The draw record (DOMAIN.md §2.3 step 4) and its re-performance.
enum DrawRecord {
    static func settings(_ result: OfficerDraw.Result, request: OfficerDraw.Request) -> [Provenance.Setting] {
        let officers = request.population == .officers
        var settings = [
            Provenance.Setting(key: "algorithm", label: LocalizedText(zh: "算法", en: "algorithm"), value: .text(OfficerDraw.algorithm)),
            Provenance.Setting(key: "drawing", label: LocalizedText(zh: "抽取对象", en: "drawing"),
                               value: .text(officers ? "officers（证件号）" : "case_files（案卷编号）")),
            Provenance.Setting(key: "seed", label: LocalizedText(zh: "种子", en: "seed"), value: .text(request.seed)),
            // The key stays roster_hash for both, as in the record; the label says what was hashed.
            Provenance.Setting(key: "roster_hash", label: officers ? LocalizedText(zh: "名册哈希", en: "roster hash")
                                                                    : LocalizedText(zh: "案卷清单哈希", en: "case list hash"),
                               value: .text(result.rosterHash)),
            Provenance.Setting(key: "per", label: LocalizedText(zh: "分层列", en: "strata by"), value: .text(request.stratumColumn)),
            Provenance.Setting(key: "count", label: LocalizedText(zh: "每层抽取", en: "per stratum"), value: .int(Int64(request.count))),
            Provenance.Setting(key: "replacements", label: LocalizedText(zh: "递补", en: "replacements"), value: .int(Int64(request.replacements))),
        ]
        if request.fraction != nil { settings.removeAll { $0.key == "count" } }
        if let fraction = request.fraction {
            settings.append(Provenance.Setting(key: "fraction", label: LocalizedText(zh: "按比例抽取", en: "share drawn"),
                                               value: .text(DrawRecord.decimalText(fraction) + "（ceil，至少 1 / rounded up, at least 1）")))
        }
        if !request.levelCounts.isEmpty {
            settings.append(Provenance.Setting(key: "strata_counts", label: LocalizedText(zh: "按层级", en: "per level"),
                                               value: .text(request.levelCounts.map { "\($0.level)=\($0.count)" }.joined(separator: ","))))
        }
        if let filter = request.filterText {
            settings.append(Provenance.Setting(key: "where", label: LocalizedText(zh: "筛选", en: "filter"), value: .text(filter)))
        }
        return settings
    }

    /// A share as the decimal text it was given in (0.1, 0.25).
    static func decimalText(_ fraction: ExactFraction) -> String {
        var digits = 0
        var denominator = fraction.denominator
        while denominator % 10 == 0, denominator > 1 { denominator /= 10; digits += 1 }
        guard denominator == 1 else { return "\(fraction.numerator)/\(fraction.denominator)" }
        let text = String(fraction.numerator)
        guard digits > 0 else { return text }
        let padded = String(repeating: "0", count: max(0, digits + 1 - text.count)) + text
        return padded.dropLast(digits) + "." + padded.suffix(digits)
    }

    static func document(_ result: OfficerDraw.Result, request: OfficerDraw.Request) -> JSONValue {
        let idKey = request.population.idKey
        func people(_ list: [OfficerDraw.Person]) -> JSONValue {
            .array(list.map { .object([(idKey, .string($0.id)), ("ticket", .string($0.ticket))]) })
        }
        let filters: [JSONValue] = (request.population == .officers ? [.string("证件状态 = '有效'")] : [])
            + (request.filterText.map { [.string($0)] } ?? [])
        return .object([
            ("program_version", .string(Provenance.programVersion)),
            ("algorithm", .string(OfficerDraw.algorithm)),
            ("drawing", .string(request.population.rawValue)),
            ("id_column", .string(request.population.idHeader)),
            ("seed", .string(request.seed)),
            ("roster_hash", .string(result.rosterHash)),
            ("population", .int(Int64(result.population))),
            ("filters", .array(filters)),
            ("where", request.filterText.map(JSONValue.string) ?? .null),
            ("per", .string(request.stratumColumn)),
            ("count", .int(Int64(request.count))),
            ("fraction", request.fraction.map { .string(decimalText($0)) } ?? .null),
            ("replacements", .int(Int64(request.replacements))),
            ("strata_counts", .object(request.levelCounts.map { ($0.level, .int(Int64($0.count))) })),
            ("strata", .array(result.strata.map { stratum in
                .object([("stratum", .string(stratum.name)), ("drawn", people(stratum.drawn)), ("replacements", people(stratum.replacements))])
            })),
        ])
    }

    /// What a draw record says was drawn: officers or case files, and their ids per stratum.
    struct Drawn {
        var population: OfficerDraw.Population
        var byStratum: [String: [String]]
        var all: Set<String> { Set(byStratum.values.joined()) }
    }

    /// The drawn ids of each stratum in a draw record.
    ///
    /// - Throws: `PingchaError(.data)` when the file is not a draw record.
    static func drawnByStratum(path: String) throws -> Drawn {
        guard let data = FileManager.default.contents(atPath: path),
              let record = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let strata = record["strata"] as? [[String: Any]] else {
            throw PingchaError(.data, zh: "读不懂抽取记录 \(path)", en: "cannot read the draw record \(path)")
        }
        let population = (record["drawing"] as? String).flatMap(OfficerDraw.Population.init(rawValue:)) ?? .officers
        var drawn: [String: [String]] = [:]
        for stratum in strata {
            guard let name = stratum["stratum"] as? String else { continue }
            drawn[name, default: []] += (stratum["drawn"] as? [[String: Any]] ?? []).compactMap { $0[population.idKey] as? String }
        }
        return Drawn(population: population, byStratum: drawn)
    }

    /// The drawn officers of a record, refused when it is a record of case files.
    static func drawnOfficers(path: String) throws -> [String: [String]] {
        let drawn = try drawnByStratum(path: path)
        guard drawn.population == .officers else {
            throw PingchaError(.data, zh: "\(path) 是案卷抽取记录，这里需要执法人员的抽取记录。",
                               en: "\(path) records a draw of case files; an officer draw's record is needed here.")
        }
        return drawn.byStratum
    }

    static func write(_ result: OfficerDraw.Result, request: OfficerDraw.Request, to path: String) throws {
        let text = document(result, request: request).serialized() + "\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw PingchaError.cannotWrite(path, LocalizedText(zh: "抽取记录", en: "draw record"))
        }
    }

    /// Re-performs the recorded draw on `roster` and lists every difference.
    static func verify(recordPath: String, roster: Table) throws -> [LocalizedText] {
        guard let data = FileManager.default.contents(atPath: recordPath) else {
            throw PingchaError.cannotRead(recordPath, LocalizedText(zh: "抽取记录", en: "draw record"))
        }
        guard let record = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let seed = record["seed"] as? String, let per = record["per"] as? String, let count = record["count"] as? Int,
              let replacements = record["replacements"] as? Int, let rosterHash = record["roster_hash"] as? String,
              let strata = record["strata"] as? [[String: Any]] else {
            throw PingchaError(.data, zh: "抽取记录 \(recordPath) 不完整或不是本程序写出的格式。",
                               en: "the draw record \(recordPath) is incomplete or not in this program's format.")
        }
        if let algorithm = record["algorithm"] as? String, algorithm != OfficerDraw.algorithm {
            return [LocalizedText(zh: "记录使用的算法是 \(algorithm)，本程序只支持 \(OfficerDraw.algorithm)。",
                                  en: "the record uses algorithm \(algorithm); this program knows \(OfficerDraw.algorithm) only.")]
        }
        let population = (record["drawing"] as? String).flatMap(OfficerDraw.Population.init(rawValue:)) ?? .officers
        let fraction = try (record["fraction"] as? String).map { text -> ExactFraction in
            guard let value = ExactFraction(decimalText: text) else {
                throw PingchaError(.data, zh: "抽取记录 \(recordPath) 的 fraction「\(text)」不是小数。", en: "the draw record \(recordPath) has a fraction '\(text)' that is not a decimal.")
            }
            return value
        }
        let levels = ((record["strata_counts"] as? [String: Int]) ?? [:]).sorted { $0.key < $1.key }.map { (level: $0.key, count: $0.value) }
        let filterText = record["where"] as? String
        let request = OfficerDraw.Request(population: population, seed: seed, stratumColumn: per, count: count, fraction: fraction,
                                          replacements: replacements, levelCounts: levels,
                                          filter: try FilterParsing.parse(filterText), filterText: filterText)
        let result = try OfficerDraw.perform(roster, request: request)
        var differences: [LocalizedText] = []
        if result.rosterHash != rosterHash {
            differences.append(LocalizedText(zh: "名册哈希不同：记录为 \(rosterHash)，名册为 \(result.rosterHash)（名册或筛选条件已变）。",
                                             en: "roster hash differs: the record has \(rosterHash), the roster gives \(result.rosterHash) (the roster or the filter changed)."))
        }
        let recomputed = Dictionary(uniqueKeysWithValues: result.strata.map { ($0.name, $0) })
        var recordedNames: Set<String> = []
        for entry in strata {
            guard let name = entry["stratum"] as? String else { continue }
            recordedNames.insert(name)
            guard let stratum = recomputed[name] else {
                differences.append(LocalizedText(zh: "记录中的「\(name)」在重新抽取中不存在。", en: "'\(name)' is in the record but not in the re-performed draw."))
                continue
            }
            for (key, actual, label) in [("drawn", stratum.drawn, LocalizedText(zh: "抽中", en: "drawn")),
                                         ("replacements", stratum.replacements, LocalizedText(zh: "递补", en: "replacement"))] {
                let recorded = (entry[key] as? [[String: Any]] ?? []).map { ($0[population.idKey] as? String ?? "", $0["ticket"] as? String ?? "") }
                let computed = actual.map { ($0.id, $0.ticket) }
                for index in 0..<max(recorded.count, computed.count) {
                    let mine = index < recorded.count ? recorded[index] : ("-", "")
                    let theirs = index < computed.count ? computed[index] : ("-", "")
                    if mine.0 != theirs.0 || mine.1 != theirs.1 {
                        differences.append(LocalizedText(
                            zh: "「\(name)」\(label.zh)第 \(index + 1) 位：记录为 \(mine.0)（签号 \(mine.1.prefix(12))…），重新抽取为 \(theirs.0)（签号 \(theirs.1.prefix(12))…）。",
                            en: "'\(name)' \(label.en) \(index + 1): the record has \(mine.0) (ticket \(mine.1.prefix(12))…), the re-performed draw \(theirs.0) (ticket \(theirs.1.prefix(12))…)."))
                    }
                }
            }
        }
        for stratum in result.strata where !recordedNames.contains(stratum.name) {
            differences.append(LocalizedText(zh: "重新抽取多出「\(stratum.name)」，记录中没有。", en: "'\(stratum.name)' is in the re-performed draw but not in the record."))
        }
        return differences
    }
}
