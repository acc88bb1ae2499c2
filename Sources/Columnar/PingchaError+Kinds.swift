/// One constructor per error that more than one place raises, so each message is written once.
extension PingchaError {
    /// An input file that cannot be read (exit 66). `what` names it (抽取记录, 查询文件); nil for a data file.
    public static func cannotRead(_ path: String, _ what: LocalizedText? = nil) -> PingchaError {
        guard let what else { return PingchaError(.missingInput, zh: "无法读取文件 \(path)", en: "cannot read \(path)") }
        return PingchaError(.missingInput, zh: "读不到\(what.zh) \(path)", en: "cannot read the \(what.en) \(path)")
    }

    /// An output that cannot be created or written (exit 73). `what` names it (输出文件, 日志文件, XLSX 文件);
    /// `reason` is what the system or library said.
    public static func cannotWrite(_ path: String, _ what: LocalizedText? = nil, reason: String? = nil) -> PingchaError {
        let zhWhat = what.map { $0.zh + " " } ?? "", enWhat = what.map { "the " + $0.en + " " } ?? ""
        let zhReason = reason.map { "：" + $0 } ?? "", enReason = reason.map { ": " + $0 } ?? ""
        return PingchaError(.cannotCreate, zh: "无法写入\(zhWhat)\(path)\(zhReason)", en: "cannot write \(enWhat)\(path)\(enReason)")
    }

    /// A column a rule needs is absent from a file (exit 65): `file` names the file (案卷文件), `purpose`
    /// what the rule cannot do without it.
    public static func missingColumn(_ header: String, alias: String? = nil, in file: LocalizedText,
                                     for purpose: LocalizedText? = nil) -> PingchaError {
        let enName = alias.map { "'\(header)' (\($0))" } ?? "'\(header)'"
        return PingchaError(.data, zh: "\(file.zh)缺少「\(header)」列" + (purpose.map { "，\($0.zh)" } ?? "") + "。",
                            en: "the \(file.en) has no \(enName) column" + (purpose.map { "; \($0.en)" } ?? "") + ".")
    }

    /// A workbook without any sheet (exit 65).
    public static func noSheet(in path: String) -> PingchaError {
        PingchaError(.data, zh: "\(path) 中没有工作表。", en: "\(path) holds no sheet.", at: SourceLocation(path: path, line: 1))
    }

    /// `--sheet` names no sheet of the workbook (exit 64); `names` are the sheets there are.
    public static func unknownSheet(_ selector: String, in path: String, names: [String]) -> PingchaError {
        PingchaError(.usage, zh: "\(path) 中没有工作表「\(selector)」；有：\(names.joined(separator: "、"))（也可用序号 1–\(names.count)）。",
                     en: "\(path) has no sheet '\(selector)'; it has: \(names.joined(separator: ", ")) (or give its number, 1–\(names.count)).")
    }

    /// A rules file whose content is wrong (exit 65): `zh`/`en` say what, after the file's name.
    public static func rulesFile(_ source: String, zh: String, en: String) -> PingchaError {
        PingchaError(.data, zh: "规则文件 \(source)：\(zh)", en: "rules file \(source): \(en)")
    }

    /// Anything the program did not expect (exit 70).
    public static func unexpected(_ error: any Error) -> PingchaError {
        PingchaError(.internal, zh: "内部错误：\(error)", en: "internal error: \(error)")
    }
}
