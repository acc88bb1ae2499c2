import CSVIngest
import Columnar
import CLibFuzzer
import Foundation

/// A file per fuzzing process that each input is written to, since the loader maps files.
public enum FuzzFile {
    public static let path: String = {
        let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return "\(folder)/pingcha-fuzz-\(getpid()).csv"
    }()

    public static func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(buffer: bytes))
    }

    /// Everything a load gives that two ways of loading must agree on, as text; an error as its
    /// place and English message.
    public static func signature(path: String, options: LoadOptions) -> String {
        do {
            let loaded = try CSVLoader.load(path: path, options: options)
            var parts = ["rows \(loaded.table.rowCount)", "blank \(loaded.source.blankLines)",
                         "quotes \(loaded.source.textQuotes) \(loaded.source.excelFormulas)", "delimiter \(loaded.source.delimiter)",
                         "lines \(loaded.lines)"]
            parts += loaded.table.columns.map { column in
                // A null is marked apart from an empty text.
                "\(column.name) \(column.dataType) "
                    + (0..<column.count).map { column.isNull($0) ? "∅" : column.value(at: $0).plainText }.joined(separator: "\u{1F}")
            }
            parts += loaded.rejects.map { "reject \($0.firstLine)-\($0.lastLine):\($0.column ?? 0) \($0.reason.en) [\($0.raw)]" }
            return parts.joined(separator: "\n")
        } catch let error as PingchaError {
            return "error \(error.location.map(String.init(describing:)) ?? "-") \(error.message.en)"
        } catch {
            return "error \(error)"
        }
    }
}

/// Runs libFuzzer with this process's arguments on `test`, one input at a time; exits with
/// libFuzzer's status (non-zero on a crash, a hang or a fatal difference).
public func runFuzzer(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, test))
}
