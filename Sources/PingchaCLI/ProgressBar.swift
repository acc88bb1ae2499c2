import Foundation

/// A progress line on stderr for loads that take more than a second, only on a terminal.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let language: Language
    private let start = Date()
    private let enabled: Bool
    private var lastDraw = Date.distantPast
    private var drawn = false
    private let lock = NSLock()
    private let console: Console

    init(label: String, language: Language) {
        self.label = label
        self.language = language
        console = Console.current
        enabled = console.showsProgress
    }

    /// Shows `done` of `total`; `unit` names what is counted (bytes when nil).
    func update(done: Int, total: Int, unit: String? = nil) {
        guard enabled, total > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(start) > 1, now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        let megabytes = { (bytes: Int) in String(format: "%.0f", Double(bytes) / 1_048_576) }
        let verb = unit == nil ? (language == .zh ? "读取" : "Loading") : (language == .zh ? "生成" : "Writing")
        let amount = unit.map { "\($0) \(done)/\(total)" } ?? "\(megabytes(done))/\(megabytes(total)) MB"
        let line = "\r\(verb) \(label) [\(bar)] \(Int(fraction * 100))%  \(amount)\u{1B}[K"
        console.writeError(line)
        drawn = true
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn {
            console.writeError("\r\u{1B}[K")
            drawn = false
        }
    }
}

import Columnar
