import ArgumentParser
import Columnar
import Foundation
import Query
import Reporting

/// A command that produces a report: shared printing, logging and error handling.
protocol ReportCommand: ParsableCommand {
    var output: OutputOptions { get }
    /// Builds the report; errors are `PingchaError` (or `QueryError`, for bad expressions).
    func makeReport() throws -> Report
}

extension ReportCommand {
    func run() throws {
        let language = output.lang
        do {
            let report = try makeReport()
            if let text = ReportRenderer.render(report, format: output.format, language: language) {
                if let path = output.output {
                    guard FileManager.default.createFile(atPath: path, contents: text.data(using: .utf8)!) else {
                        throw PingchaError(.cannotCreate, zh: "无法写入输出文件 \(path)", en: "cannot write the output file \(path)")
                    }
                } else {
                    FileHandle.standardOutput.write(text.data(using: .utf8)!)
                }
            } else if let path = output.output, output.format == .arrow {
                try ArrowFileWriter.write(report.sections[0].table.columnarTable(), to: path)
            } else if let path = output.output {
                try XLSXRenderer.write(report, language: language, to: path)
            }
            if let log = output.log {
                try ProvenanceLog.append(report.provenance, to: log)
            }
        } catch let error as PingchaError {
            CommandFailure.report(error, language: language)
        } catch {
            CommandFailure.report(PingchaError(.internal, zh: "内部错误：\(error)", en: "internal error: \(error)"), language: language)
        }
    }
}

/// Prints an error in plain words and leaves with its exit code.
enum CommandFailure {
    static func report(_ error: PingchaError, language: Language) -> Never {
        let prefix = language == .zh ? "pingcha：错误：" : "pingcha: error: "
        FileHandle.standardError.write((prefix + error.text(language) + "\n").data(using: .utf8)!)
        Foundation.exit(error.kind.exitCode)
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
            throw PingchaError(.cannotCreate, zh: "无法写入日志文件 \(path)", en: "cannot write the log file \(path)")
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
