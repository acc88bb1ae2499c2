/// The language of what analysts read: table headers and messages.
public enum Language: String, Sendable, CaseIterable {
    case zh
    case en
}

/// A message or header in both languages; Chinese is the default.
public struct LocalizedText: Sendable, Equatable, CustomStringConvertible {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    public func text(_ language: Language) -> String { language == .zh ? zh : en }

    public var description: String { zh }

    /// Joins two texts with a separator in each language.
    public static func + (left: LocalizedText, right: LocalizedText) -> LocalizedText {
        LocalizedText(zh: left.zh + right.zh, en: left.en + right.en)
    }
}
