import Columnar
import Vocabulary

/// Every error reading an export can raise, one constructor each (in the spirit of DuckDB's
/// `CSVError::…` factories): the message is written here once, the call site names the error.
/// All are bad data (exit 65) unless said otherwise.
extension PingchaError {
    // MARK: opening

    /// The file cannot be opened (exit 66); `reason` is the system's.
    static func cannotOpen(_ path: String, reason: String) -> PingchaError {
        PingchaError(.missingInput, zh: "打不开文件 \(path)（\(reason)）", en: "cannot open \(path) (\(reason))")
    }

    /// The file's status cannot be read (exit 66).
    static func cannotStat(_ path: String) -> PingchaError {
        PingchaError(.missingInput, zh: "读不到文件信息：\(path)", en: "cannot read file status: \(path)")
    }

    /// A folder was given for a file (exit 66).
    static func isFolder(_ path: String) -> PingchaError {
        PingchaError(.missingInput, zh: "\(path) 是文件夹，不是 CSV 文件", en: "\(path) is a folder, not a CSV file")
    }

    /// The file has no bytes.
    static func emptyFile(_ path: String) -> PingchaError {
        PingchaError(.data, zh: "文件是空的，没有表头也没有数据。", en: "the file is empty: no header and no data.", at: SourceLocation(path: path, line: 1))
    }

    /// The file has only blank lines.
    static func onlyBlankLines(_ path: String) -> PingchaError {
        PingchaError(.data, zh: "文件里只有空行，没有表头。", en: "the file holds only blank lines: no header.", at: SourceLocation(path: path, line: 1))
    }

    // MARK: encodings

    /// A UTF-8 byte-order mark, then bytes that are not UTF-8 from `line`.
    static func notUTF8AfterMark(_ path: String, line: Int) -> PingchaError {
        PingchaError(.data, zh: "文件开头标明是 UTF-8（带 BOM），但从第 \(line) 行起不是有效的 UTF-8（可能混入了 GBK 文本）。请用同一种编码重新导出。",
                     en: "the file starts with a UTF-8 byte-order mark but is not valid UTF-8 from line \(line) (GBK text mixed in?). Export it again in one encoding.",
                     at: SourceLocation(path: path, line: line))
    }

    /// `--encoding utf-8` named, and bytes that are not UTF-8 on `line`.
    static func notUTF8(_ path: String, line: Int) -> PingchaError {
        PingchaError(.data, zh: "文件不是有效的 UTF-8。", en: "the file is not valid UTF-8.", at: SourceLocation(path: path, line: line))
    }

    /// The file does not decode in `encoding` from `line`.
    static func cannotDecode(_ path: String, as encoding: SourceEncoding, line: Int) -> PingchaError {
        PingchaError(.data, zh: "按 \(encoding.rawValue) 解码失败。", en: "cannot decode the file as \(encoding.rawValue).", at: SourceLocation(path: path, line: line))
    }

    /// UTF-8 Chinese text, then not UTF-8 from `line`: two encodings in one file.
    static func encodingSwitches(_ path: String, line: Int) -> PingchaError {
        PingchaError(.data,
                     zh: "文件编码前后不一致：前面是 UTF-8 中文，从第 \(line) 行起不再是 UTF-8（可能是把 GBK 文本粘贴进了 UTF-8 文件）。请用同一种编码重新导出。",
                     en: "the file switches encoding half-way: it starts as UTF-8 Chinese text but is no longer UTF-8 from line \(line) (GBK text pasted into a UTF-8 file?). Export it again in one encoding.",
                     at: SourceLocation(path: path, line: line))
    }

    /// Neither UTF-8 (invalid on `utf8Line`) nor GB18030 (undecodable on `gb18030Line`).
    static func unknownEncoding(_ path: String, utf8Line: Int, gb18030Line: Int) -> PingchaError {
        PingchaError(.data,
                     zh: "无法识别文件编码：既不是 UTF-8（第 \(utf8Line) 行有非法字节），也不是 GB18030/GBK（第 \(gb18030Line) 行无法解码）。可用 --encoding 指定编码。",
                     en: "cannot tell the file's encoding: it is not UTF-8 (invalid bytes on line \(utf8Line)) nor GB18030/GBK (undecodable on line \(gb18030Line)). Name it with --encoding.",
                     at: SourceLocation(path: path, line: min(utf8Line, gb18030Line)))
    }

    /// Not UTF-8, and as GB18030 mostly rare or non-Chinese characters from `line`.
    static func implausibleEncoding(_ path: String, line: Int) -> PingchaError {
        PingchaError(.data,
                     zh: "无法确定文件编码：它不是 UTF-8，按 GB18030/GBK 解码后又多为生僻字或非中文字符（第 \(line) 行起），可能是 Latin-1、Big5 等其他编码。请另存为 UTF-8，或用 --encoding 指定编码。",
                     en: "cannot tell the file's encoding: it is not UTF-8, and read as GB18030/GBK it is mostly rare or non-Chinese characters (from line \(line)): Latin-1 or Big5, say. Save it as UTF-8, or name the encoding with --encoding.",
                     at: SourceLocation(path: path, line: line))
    }

    // MARK: columns

    /// Required columns of `schema` absent from the header on `line`.
    static func missingRequiredColumns(_ path: String, line: Int, schema: ExportSchema, missing: [ExportSchema.ColumnSpec],
                                       found: [String]) -> PingchaError {
        let missingZh = missing.map { "\($0.header)（\($0.alias)）" }.joined(separator: "、")
        let missingEn = missing.map { "\($0.header) (\($0.alias))" }.joined(separator: ", ")
        return PingchaError(.data,
                            zh: "缺少\(schema.title.zh)必需的列：\(missingZh)。文件中的列：\(found.joined(separator: "、"))",
                            en: "missing columns required for \(schema.title.en): \(missingEn). Columns found: \(found.joined(separator: ", "))",
                            at: SourceLocation(path: path, line: line))
    }

    // MARK: workbooks

    /// Not a zip archive, so not an `.xlsx` workbook.
    static func notXLSX(_ path: String) -> PingchaError {
        PingchaError(.data, zh: "\(path) 不是有效的 xlsx 工作簿（无法作为 zip 打开）。", en: "\(path) is not a valid xlsx workbook (it does not open as a zip archive).",
                     at: SourceLocation(path: path, line: 1))
    }

    /// A part of an `.xlsx` workbook that does not decompress.
    static func damagedPart(_ path: String, part: String) -> PingchaError {
        PingchaError(.data, zh: "\(path) 已损坏：无法解压其中的 \(part)（校验不符）。", en: "\(path) is damaged: its part \(part) does not decompress (checksum mismatch).")
    }

    /// A zip archive without `xl/workbook.xml`.
    static func noWorkbookPart(_ path: String) -> PingchaError {
        PingchaError(.data, zh: "\(path) 中没有 xl/workbook.xml，不是 Excel 工作簿。", en: "\(path) has no xl/workbook.xml: not an Excel workbook.",
                     at: SourceLocation(path: path, line: 1))
    }

    /// An `.xls` file libfreexl cannot open.
    static func notXLS(_ path: String) -> PingchaError {
        PingchaError(.data, zh: "\(path) 不是可读的 xls 工作簿（可能已损坏或加密）。", en: "\(path) is not a readable xls workbook (damaged or encrypted?).",
                     at: SourceLocation(path: path, line: 1))
    }

    /// An `.xls` sheet libfreexl cannot read.
    static func unreadableSheet(_ name: String, in path: String) -> PingchaError {
        PingchaError(.data, zh: "\(path) 的工作表「\(name)」无法读取。", en: "the sheet '\(name)' of \(path) cannot be read.",
                     at: SourceLocation(path: path, line: 1))
    }

    /// `--header-row` names an empty row.
    static func emptyHeaderRow(_ row: Int, in path: String, sheet: String) -> PingchaError {
        PingchaError(.data, zh: "第 \(row) 行是空的，不能作表头。", en: "row \(row) is empty: it cannot be the header.",
                     at: SourceLocation(path: path, line: row, sheet: sheet))
    }

    /// A sheet without a header or data.
    static func emptySheet(_ sheet: String, in path: String) -> PingchaError {
        PingchaError(.data, zh: "工作表「\(sheet)」是空的，没有表头也没有数据。", en: "the sheet '\(sheet)' is empty: no header and no data.",
                     at: SourceLocation(path: path, line: 1, sheet: sheet))
    }
}
