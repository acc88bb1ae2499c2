import ArgumentParser
import CSVIngest
import Columnar
import DatasetGenerator
import Foundation

extension Pingcha {
    /// `pingcha generate`: the seven exports of a synthetic province.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "生成一个模拟省份的七类导出文件 / Write the seven exports of a synthetic province.",
            discussion: "同样的 --seed 和选项在任何机器上生成完全相同的文件。The same seed and options give byte-identical files on any machine.")

        @Option(help: "预设的省份形态 The province's shape (henan: 17 cities and Jiyuan, ~157 counties, ~2,400 townships, 40 departments).")
        var preset: String = "henan"

        @Option(help: "案卷评查结果行数 Rows of cases.csv; survey and tests scale with it.")
        var cases: Int = 1_000_000

        @Option(help: "执法证件持有人数 Certificate holders in roster.csv.")
        var officers: Int = 100_000

        @Option(help: "随机种子 The seed (a whole number).")
        var seed: UInt64 = 7

        @Option(help: "输出文件夹 Folder to write into (created when missing).")
        var out: String

        @Option(help: "输出编码 Output encoding: utf-8 or gb18030.")
        var encoding: String = "utf-8"

        @Flag(help: "制造“难读”的文件：CRLF、BOM、带逗号和换行的引号字段、空白可选单元格 Awkward files: CRLF, BOM, quoted commas and line breaks, blank optional cells.")
        var messy = false

        @Option(help: "提示语言 Language of messages: zh or en.")
        var lang: Language = .zh

        func validate() throws {
            guard cases >= 0, officers >= 100 else {
                throw ValidationError("--cases 不能为负，--officers 至少 100 / --cases must not be negative, --officers at least 100.")
            }
            guard ["utf-8", "utf8", "gb18030"].contains(encoding.lowercased()) else {
                throw ValidationError("--encoding 只能是 utf-8 或 gb18030 / --encoding is utf-8 or gb18030.")
            }
        }

        func run() throws {
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            } catch {
                throw PingchaError(.cannotCreate, zh: "无法创建输出文件夹 \(out)", en: "cannot create the output folder \(out)")
            }
            var options = GeneratorOptions(directory: out)
            options.preset = preset
            options.cases = cases
            options.officers = officers
            options.seed = seed
            options.gb18030 = encoding.lowercased() == "gb18030"
            options.messy = messy
            let progress = ProgressBar(label: out, language: lang)
            options.progress = { name, done, total in progress.update(done: done, total: total, unit: name) }
            var encoder: ((UnsafeRawBufferPointer) throws -> [UInt8])?
            if options.gb18030 {
                encoder = { bytes in try OutputEncoding.gb18030(fromUTF8: bytes) }
            }
            let summary = try ProvinceGenerator(options: options, encoder: encoder).run()
            progress.finish()
            for file in summary.files {
                let line = lang == .zh ? "\(out)/\(file.name)：\(file.rows) 行，\(file.bytes) 字节\n"
                                       : "\(out)/\(file.name): \(file.rows) rows, \(file.bytes) bytes\n"
                Console.current.write(line)
            }
        }
    }
}
