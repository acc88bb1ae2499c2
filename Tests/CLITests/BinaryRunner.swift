import Foundation
import Testing

/// Runs the built `pingcha` binary, as a person would from the shell.
enum BinaryRunner {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `PINGCHA_BIN` when set (the Makefile sets it), else the debug build.
    static var binary: String {
        ProcessInfo.processInfo.environment["PINGCHA_BIN"] ?? root.appendingPathComponent(".build/debug/pingcha").path
    }

    struct Result {
        var stdout: String
        var stderr: String
        var status: Int32
    }

    /// Runs `pingcha arguments…` in the package root, with `environment` added. The column cache
    /// goes to a folder of this test process (`XDG_CACHE_HOME`) unless `environment` says otherwise,
    /// never to the user's own.
    static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["PINGCHA_NO_PROGRESS"] = "1"
        environment["XDG_CACHE_HOME"] = temporaryPath("xdg-cache")
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
                      status: process.terminationStatus)
    }

    /// Runs a command with `--format json`, expecting it to succeed, and returns the report object.
    static func json(_ arguments: [String], environment: [String: String] = [:]) throws -> [String: Any] {
        let result = try run(arguments + ["--format", "json"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    }

    /// The rows of a section of a JSON report.

    /// The rows of a section of a JSON report.
    static func rows(_ object: [String: Any], _ key: String = "rows") -> [[String: Any]] {
        object[key] as! [[String: Any]]
    }

    static func temporaryPath(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pingcha-cli-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name).path
    }
}
