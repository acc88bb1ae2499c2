import ArgumentParser
import CMappedFiles
import CSVIngest
import Columnar
import Foundation
import Query

/// A command whose messages follow its `--lang`.
protocol LanguageChoosing {
    var language: Language { get }
}

extension Pingcha {
    /// Parses and runs one command line (without the program name) and returns its exit status.
    ///
    /// This is the one place where errors become messages and exit codes: commands throw, and
    /// nothing below here prints an error or leaves the process. A `PingchaError` is printed in
    /// the command's language with its sysexits code (64 usage, 65 data, 66 input, 70 internal,
    /// 73 an output that cannot be written; 74, from a signal handler, a mapped file that another
    /// program truncated while it was read); the argument parser's own errors, help and version
    /// are printed as it prints them; anything else is an internal error (70).
    public static func run(_ arguments: [String], console: Console = .standard) -> Int32 {
        Console.$current.withValue(console) {
            // Cache entries written in the background while the answer was worked out are
            // finished before the command ends, whatever its outcome.
            defer { ColumnCache.finishWrites() }
            var language = languageNamed(in: arguments)
            do {
                var command = try parseAsRoot(arguments)
                if let chosen = (command as? LanguageChoosing)?.language { language = chosen }
                // A file truncated by another program while it is mapped is reported, not a crash.
                pingcha_handle_truncated_mappings(language == .en ? 1 : 0)
                try command.run()
                return 0
            } catch {
                return report(error, language: language, console: console)
            }
        }
    }

    /// Prints `error` and returns its exit status.
    static func report(_ error: Error, language: Language, console: Console) -> Int32 {
        let failure: PingchaError
        switch error {
        case let error as PingchaError:
            failure = error
        case let error as QueryError:
            failure = PingchaError(.usage, error.message)
        case is ExitCode, is CleanExit, is ValidationError:
            return parserOutcome(error, console: console)
        default:
            // The argument parser's own parse errors have no public type; they come only from parsing.
            if String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") { return parserOutcome(error, console: console) }
            failure = .unexpected(error)
        }
        let prefix = language == .zh ? "pingcha：错误：" : "pingcha: error: "
        console.writeError(prefix + failure.text(language) + "\n")
        return failure.kind.exitCode
    }

    /// Help, version, validation and parse errors, printed and coded as the argument parser does.
    private static func parserOutcome(_ error: Error, console: Console) -> Int32 {
        let status = exitCode(for: error).rawValue
        let message = fullMessage(for: error)
        if !message.isEmpty {
            if status == 0 { console.line(message) } else { console.writeError(message + "\n") }
        }
        return status
    }

    /// `--lang en` (or `--lang=en`) among the arguments, for errors raised before a command exists.
    private static func languageNamed(in arguments: [String]) -> Language {
        for (index, argument) in arguments.enumerated() {
            if argument == "--lang", index + 1 < arguments.count { return Language(rawValue: arguments[index + 1]) ?? .zh }
            if argument.hasPrefix("--lang=") { return Language(rawValue: String(argument.dropFirst(7))) ?? .zh }
        }
        return .zh
    }
}
extension Pingcha.Convert: LanguageChoosing {
    var language: Language { lang }
}

extension Pingcha.Generate: LanguageChoosing {
    var language: Language { lang }
}

extension Pingcha.Draw.Verify: LanguageChoosing {
    var language: Language { lang }
}
