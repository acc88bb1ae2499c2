import ArgumentParser
import Columnar
import Foundation
import Query
import Reporting

/// A command that produces a report: shared printing, logging and error handling.
protocol ReportCommand: ParsableCommand, LanguageChoosing {
    var output: OutputOptions { get }
    /// Builds the report; errors are `PingchaError` (or `QueryError`, for bad expressions).
    func makeReport() throws -> Report
}

extension ReportCommand {
    var language: Language { output.lang }

    /// Renders the report to the console or to `--output`; errors are thrown to `Pingcha.run`.
    func run() throws {
        let language = output.lang
        let report = try makeReport()
        if let text = ReportRenderer.render(report, format: output.format, language: language) {
            if let path = output.output {
                guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
                    throw PingchaError.cannotWrite(path, LocalizedText(zh: "输出文件", en: "output file"))
                }
            } else {
                Console.current.write(text)
            }
        } else if let path = output.output, output.format == .arrow {
            try ArrowFileWriter.write(report.sections[0].table.columnarTable(), to: path)
        } else if let path = output.output {
            try XLSXRenderer.write(report, language: language, to: path)
        }
        if let log = output.log {
            try ProvenanceLog.append(report.provenance, to: log)
        }
    }
}

/// `--log FILE`: one JSON line per run.
enum ProvenanceLog {
    static func append(_ provenance: Provenance, to path: String) throws {
        let line = JSONRenderer.provenance(provenance).serialized() + "\n"
        let data = line.data(using: .utf8)!
        if let handle = FileHandle(forWritingAtPath: path) {
            defer { try? handle.close() }
            handle.seekToEndOfFile()
            handle.write(data)
        } else if !FileManager.default.createFile(atPath: path, contents: data) {
            throw PingchaError.cannotWrite(path, LocalizedText(zh: "日志文件", en: "log file"))
        }
    }
}

/// Parses a `--where` text, turning a syntax error into a usage error with a caret.
enum FilterParsing {
    static func parse(_ text: String?) throws -> Query.Expression? {
        guard let text else { return nil }
        do {
            return try ExpressionParser.parse(text)
        } catch {
            throw error.asPingchaError(in: text)
        }
    }
}
