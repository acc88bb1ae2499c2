import Foundation
import PingchaCLI

/// What a command printed and how it ended.
public struct CommandRun: Sendable {
    public var stdout: String
    public var stderr: String
    public var status: Int32
}

/// A command that was expected to succeed and did not.
public struct CommandFailed: Error, CustomStringConvertible {
    public var arguments: [String]
    public var run: CommandRun
    public var description: String { "pingcha \(arguments.joined(separator: " ")) exited \(run.status): \(run.stderr)" }
}

/// Runs `pingcha` commands for tests: in this process (the default, as `Pingcha.run` runs them for
/// the binary), or as the built binary when a test needs its own environment.
public enum PingchaRunner {
    /// The package root: relative paths in tests (`Datasets/sample/cases.csv`) start there.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Set once for the test process: the working directory is the package root, and the column
    /// cache goes to a folder of this test process, never to the user's own.
    private static let prepared: Bool = {
        FileManager.default.changeCurrentDirectoryPath(root.path)
        setenv("XDG_CACHE_HOME", Fixtures.path("xdg-cache"), 1)
        return true
    }()

    /// Runs `pingcha arguments…` in this process and captures what it prints.
    public static func run(_ arguments: [String]) -> CommandRun {
        precondition(prepared)
        let (console, captured) = Console.capturing()
        let status = Pingcha.run(arguments, console: console)
        return CommandRun(stdout: captured.stdout, stderr: captured.stderr, status: status)
    }

    /// Runs a command with `--format json`, expecting it to succeed, and returns the report object.
    public static func json(_ arguments: [String]) throws -> [String: Any] {
        let result = run(arguments + ["--format", "json"])
        guard result.status == 0 else { throw CommandFailed(arguments: arguments, run: result) }
        return try JSONReading.object(result.stdout)
    }

    /// The rows of a section of a JSON report.
    public static func rows(_ object: [String: Any], _ key: String = "rows") -> [[String: Any]] {
        object[key] as! [[String: Any]]
    }

    /// The built binary: `PINGCHA_BIN` when set (the Makefile sets it), else the debug build.
    public static var binaryPath: String {
        ProcessInfo.processInfo.environment["PINGCHA_BIN"] ?? root.appendingPathComponent(".build/debug/pingcha").path
    }

    /// Runs the built binary in the package root with `environment` added, as a person would
    /// from the shell. The column cache goes to a folder of this test process unless
    /// `environment` says otherwise.
    public static func binary(_ arguments: [String], environment extra: [String: String] = [:]) throws -> CommandRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binaryPath)
        process.arguments = arguments
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["PINGCHA_NO_PROGRESS"] = "1"
        environment["XDG_CACHE_HOME"] = Fixtures.path("xdg-cache")
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandRun(stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
                          status: process.terminationStatus)
    }
}

/// Test inputs, written to a folder of this test process.
public enum Fixtures {
    public static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pingcha-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// The bundled sample exports, from the package root.
    public static let sample = "Datasets/sample/"

    /// A path in the folder (nothing is written).
    public static func path(_ name: String) -> String {
        folder.appendingPathComponent(name).path
    }

    /// Writes `bytes` as the file `name` and returns its path.
    @discardableResult
    public static func write(_ bytes: [UInt8], name: String) -> String {
        let path = path(name)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// Writes `text` (UTF-8) as the file `name` and returns its path.
    @discardableResult
    public static func write(_ text: String, name: String) -> String {
        write(Array(text.utf8), name: name)
    }

    /// Bytes written as hex (`"e4f0"`), as Python's `bytes.hex()` prints them.
    public static func bytes(hex: String) -> [UInt8] {
        stride(from: 0, to: hex.count, by: 2).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
    }
}

/// Reads a JSON report.
public enum JSONReading {
    public static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw CommandFailed(arguments: [], run: CommandRun(stdout: text, stderr: "not a JSON object", status: 0))
        }
        return object
    }
}
