import Foundation

/// Where a command's output goes: the terminal, or a capture when a test runs a command in-process.
///
/// Commands never write to the standard streams themselves; they write to `Console.current`,
/// which `Pingcha.run(_:console:)` sets for the command it runs.
public final class Console: @unchecked Sendable {
    @TaskLocal public static var current: Console = .standard

    /// The process's own standard output and error.
    public static let standard = Console(
        out: { FileHandle.standardOutput.write(Data($0.utf8)) },
        err: { FileHandle.standardError.write(Data($0.utf8)) },
        showsProgress: isatty(2) == 1 && ProcessInfo.processInfo.environment["PINGCHA_NO_PROGRESS"] == nil)

    private let out: (String) -> Void
    private let err: (String) -> Void
    /// Whether a progress line may be drawn on the error stream (a terminal, and not turned off).
    let showsProgress: Bool

    init(out: @escaping (String) -> Void, err: @escaping (String) -> Void, showsProgress: Bool) {
        self.out = out
        self.err = err
        self.showsProgress = showsProgress
    }

    /// A console that keeps what is written, for running a command in-process.
    public static func capturing() -> (console: Console, captured: Captured) {
        let captured = Captured()
        let console = Console(out: { captured.append($0, error: false) }, err: { captured.append($0, error: true) }, showsProgress: false)
        return (console, captured)
    }

    /// Writes `text` to the output as it is.
    func write(_ text: String) { out(text) }

    /// Writes `text` and a line break to the output.
    func line(_ text: String) { out(text + "\n") }

    /// Writes `text` to the error stream as it is.
    func writeError(_ text: String) { err(text) }

    /// What a capturing console was given.
    public final class Captured: @unchecked Sendable {
        private let lock = NSLock()
        private var outText = ""
        private var errText = ""

        func append(_ text: String, error: Bool) {
            lock.lock()
            defer { lock.unlock() }
            if error { errText += text } else { outText += text }
        }

        public var stdout: String { lock.lock(); defer { lock.unlock() }; return outText }
        public var stderr: String { lock.lock(); defer { lock.unlock() }; return errText }
    }
}
