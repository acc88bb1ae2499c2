import ArgumentParser
import CMemoryHints
import Columnar
import Foundation
import Reporting

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Pingcha {
    /// `pingcha shell`: statements read one after another from standard input, over tables that
    /// stay loaded between them.
    struct Shell: ParsableCommand, LanguageChoosing {
        static let configuration = CommandConfiguration(
            commandName: "shell",
            abstract: "连续查询：表只读一次，逐条执行 SQL / Query one statement after another, the tables loaded once.",
            discussion: """
                从标准输入读取语句，每条以 ; 结尾；.quit 退出。表在第一次用到时读入，之后的语句不再重读。
                Reads statements from standard input, each ending with ;, until .quit or the end of the input.
                A table is read when a statement first needs it and kept for the statements after.
                例 Example: pingcha shell --table cases=cases.csv --timer < queries.sql
                """)

        @Option(name: .customLong("table"), help: ArgumentHelp("给文件起表名 Name a file as a table: NAME=FILE (repeatable).", valueName: "NAME=FILE"))
        var tables: [String] = []

        @Flag(help: "每条语句后在错误输出显示用时 Print each statement's time (reading, running, printing) on standard error.")
        var timer = false

        @OptionGroup var input: InputOptions
        @OptionGroup var rulesOption: RulesOption
        @OptionGroup var output: OutputOptions

        var language: Language { output.lang }

        func validate() throws {
            for table in tables where table.split(separator: "=", maxSplits: 1).count != 2 {
                throw ValidationError("--table 应写成 名称=文件 / --table takes NAME=FILE: '\(table)'")
            }
            guard [OutputFormat.table, .csv, .json, .md].contains(output.format), output.output == nil else {
                throw ValidationError("shell 只输出到屏幕：--format table、csv、json 或 md / shell prints to the screen only: --format table, csv, json or md.")
            }
        }

        func run() throws {
            let console = Console.current
            // One statement after another asks for arrays of the same sizes. By default the C
            // allocator maps each big one afresh and unmaps it when freed, so every statement
            // pays the kernel for new zeroed pages again; a session keeps them to reuse instead.
            pingcha_keep_freed_memory()
            let session = try QuerySession(tables: tables, input: input, rules: rulesOption.rules, language: language)
            let prompt = isatty(STDIN_FILENO) != 0
            var pending = ""
            var failure: Int32 = 0
            func execute() {
                let text = pending.trimmingCharacters(in: .whitespacesAndNewlines)
                pending = ""
                guard !text.isEmpty else { return }
                let started = DispatchTime.now().uptimeNanoseconds
                do {
                    let report = try session.report(for: text, command: "shell")
                    if let printed = ReportRenderer.render(report, format: output.format, language: language) { console.write(printed) }
                    if let log = output.log { try ProvenanceLog.append(report.provenance, to: log) }
                } catch {
                    // The statement's error is printed, and the next statement runs.
                    failure = Pingcha.report(error, language: language, console: console)
                }
                if timer {
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                    let shown = String(format: "%.4f", seconds)
                    console.writeError(language == .zh ? "用时 \(shown) 秒\n" : "time \(shown) s\n")
                }
            }
            if prompt { console.writeError("pingcha> ") }
            while let line = readLine() {
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                if pending.allSatisfy(\.isWhitespace), [".quit", ".exit"].contains(trimmed) { break }
                pending += line + "\n"
                if trimmed.hasSuffix(";") { execute() }
                if prompt { console.writeError(pending.isEmpty ? "pingcha> " : "   ...> ") }
            }
            execute()
            // A statement that failed makes the run's status its error's, as `query` would.
            if failure != 0 { throw ExitCode(failure) }
        }
    }
}
