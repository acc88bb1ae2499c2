import Columnar
import Evaluation
import Foundation
import Query
import Reporting

/// The draw record (DOMAIN.md §2.3 step 4) and its re-performance.
enum DrawRecord {
    static func settings(_ result: OfficerDraw.Result, request: OfficerDraw.Request) -> [Provenance.Setting] {
        var settings = [
            Provenance.Setting(key: "algorithm", label: LocalizedText(zh: "算法", en: "algorithm"), value: .text(OfficerDraw.algorithm)),
            Provenance.Setting(key: "seed", label: LocalizedText(zh: "种子", en: "seed"), value: .text(request.seed)),
            Provenance.Setting(key: "roster_hash", label: LocalizedText(zh: "名册哈希", en: "roster hash"), value: .text(result.rosterHash)),
            Provenance.Setting(key: "per", label: LocalizedText(zh: "分层列", en: "strata by"), value: .text(request.stratumColumn)),
            Provenance.Setting(key: "count", label: LocalizedText(zh: "每层抽取", en: "per stratum"), value: .int(Int64(request.count))),
            Provenance.Setting(key: "replacements", label: LocalizedText(zh: "递补", en: "replacements"), value: .int(Int64(request.replacements))),
        ]
        if !request.levelCounts.isEmpty {
            settings.append(Provenance.Setting(key: "strata_counts", label: LocalizedText(zh: "按层级", en: "per level"),
                                               value: .text(request.levelCounts.map { "\($0.level)=\($0.count)" }.joined(separator: ","))))
        }
        if let filter = request.filterText {
            settings.append(Provenance.Setting(key: "where", label: LocalizedText(zh: "筛选", en: "filter"), value: .text(filter)))
        }
        return settings
    }

    static func document(_ result: OfficerDraw.Result, request: OfficerDraw.Request) -> JSONValue {
        func people(_ list: [OfficerDraw.Person]) -> JSONValue {
            .array(list.map { .object([("cert_no", .string($0.certNo)), ("ticket", .string($0.ticket))]) })
        }
        return .object([
            ("program_version", .string(Provenance.programVersion)),
            ("algorithm", .string(OfficerDraw.algorithm)),
            ("seed", .string(request.seed)),
            ("roster_hash", .string(result.rosterHash)),
            ("population", .int(Int64(result.population))),
            ("filters", .array([.string("证件状态 = '有效'")] + (request.filterText.map { [.string($0)] } ?? []))),
            ("where", request.filterText.map(JSONValue.string) ?? .null),
            ("per", .string(request.stratumColumn)),
            ("count", .int(Int64(request.count))),
            ("replacements", .int(Int64(request.replacements))),
            ("strata_counts", .object(request.levelCounts.map { ($0.level, .int(Int64($0.count))) })),
            ("strata", .array(result.strata.map { stratum in
                .object([("stratum", .string(stratum.name)), ("drawn", people(stratum.drawn)), ("replacements", people(stratum.replacements))])
            })),
        ])
    }

    /// The drawn certificate numbers of each stratum in a draw record.
    ///
    /// - Throws: `PingchaError(.data)` when the file is not a draw record.
    static func drawnByStratum(path: String) throws -> [String: [String]] {
        guard let data = FileManager.default.contents(atPath: path),
              let record = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let strata = record["strata"] as? [[String: Any]] else {
            throw PingchaError(.data, zh: "读不懂抽取记录 \(path)", en: "cannot read the draw record \(path)")
        }
        var drawn: [String: [String]] = [:]
        for stratum in strata {
            guard let name = stratum["stratum"] as? String else { continue }
            drawn[name, default: []] += (stratum["drawn"] as? [[String: Any]] ?? []).compactMap { $0["cert_no"] as? String }
        }
        return drawn
    }

    static func write(_ result: OfficerDraw.Result, request: OfficerDraw.Request, to path: String) throws {
        let text = document(result, request: request).serialized() + "\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw PingchaError(.missingInput, zh: "无法写入抽取记录 \(path)", en: "cannot write the draw record \(path)")
        }
    }

    /// Re-performs the recorded draw on `roster` and lists every difference.
    static func verify(recordPath: String, roster: Table) throws -> [LocalizedText] {
        guard let data = FileManager.default.contents(atPath: recordPath) else {
            throw PingchaError(.missingInput, zh: "读不到抽取记录 \(recordPath)", en: "cannot read the draw record \(recordPath)")
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
        let levels = ((record["strata_counts"] as? [String: Int]) ?? [:]).sorted { $0.key < $1.key }.map { (level: $0.key, count: $0.value) }
        let filterText = record["where"] as? String
        let request = OfficerDraw.Request(seed: seed, stratumColumn: per, count: count, replacements: replacements, levelCounts: levels,
                                          filter: try FilterParsing.parse(filterText), filterText: filterText)
        let result = try OfficerDraw.perform(roster: roster, request: request)
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
                let recorded = (entry[key] as? [[String: Any]] ?? []).map { ($0["cert_no"] as? String ?? "", $0["ticket"] as? String ?? "") }
                let computed = actual.map { ($0.certNo, $0.ticket) }
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
