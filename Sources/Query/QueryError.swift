import Columnar

/// A problem in query text, at a place in it.
public struct QueryError: Error, Sendable {
    public var message: LocalizedText
    public var position: TextPosition?

    public init(message: LocalizedText, position: TextPosition?) {
        self.message = message
        self.position = position
    }

    /// The message with the offending line of `text` and a caret under the place.
    public func rendered(in text: String, language: Language) -> String {
        guard let position else { return message.text(language) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let heading = (language == .zh ? "第 \(position.line) 行第 \(position.column) 列：" : "line \(position.line), column \(position.column): ")
            + message.text(language)
        guard position.line - 1 < lines.count else { return heading }
        let sourceLine = String(lines[position.line - 1])
        let prefix = String(sourceLine.prefix(position.column - 1))
        let caretIndent = String(repeating: " ", count: DisplayWidth.of(prefix))
        return heading + "\n  " + sourceLine + "\n  " + caretIndent + "^"
    }

    /// LIKE over a column that is not text.
    public static func likeNeedsText(at position: TextPosition?) -> QueryError {
        QueryError(message: LocalizedText(zh: "LIKE 只能用于文字列。", en: "LIKE applies to text only."), position: position)
    }

    /// LIKE followed by anything but a quoted pattern.
    public static func likeNeedsPattern(at position: TextPosition?) -> QueryError {
        QueryError(message: LocalizedText(zh: "LIKE 后面应为带引号的文字模式，例如 '%市场%'。", en: "LIKE takes a quoted text pattern, such as '%市场%'."),
                   position: position)
    }

    /// The error as an analyst sees it: exit code 64.
    public func asPingchaError(in text: String) -> PingchaError {
        PingchaError(.usage, LocalizedText(zh: rendered(in: text, language: .zh), en: rendered(in: text, language: .en)))
    }
}

/// Names near `name`, for "did you mean" (edit distance, then shared prefix).
public enum NameSuggestions {
    public static func closest(to name: String, among candidates: [String], limit: Int = 3) -> [String] {
        let target = Array(name.lowercased())
        var unique: [String] = []
        for candidate in candidates where !unique.contains(candidate) { unique.append(candidate) }
        let scored = unique.map { candidate -> (String, Int) in
            (candidate, distance(target, Array(candidate.lowercased())))
        }
        let threshold = max(2, target.count / 2)
        return scored.filter { $0.1 <= threshold }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(limit).map(\.0)
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
