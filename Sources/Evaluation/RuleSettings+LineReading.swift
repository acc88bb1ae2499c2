import Columnar
import Reporting

extension RuleSettings.CaseReview.LineReading {
    /// The line below which a score is unqualified under this reading: the line itself, or the
    /// next number above it (so that the line is unqualified too; scores are compared exactly).
    public func strictLine(_ line: Double) -> Double {
        self == .below ? line : line.nextUp
    }

    /// The reading in words, for every result that uses it.
    public func text(_ line: Double) -> LocalizedText {
        let number = Value.formatDouble(line)
        switch self {
        case .below:
            return LocalizedText(zh: "低于 \(number) 分不合格，\(number) 分合格：产品卡片的读法",
                                 en: "below \(number) is unqualified, \(number) passes: the product card's reading")
        case .atOrBelow:
            return LocalizedText(zh: "\(number) 分及以下不合格：“以下”含本数，民法典第1259条",
                                 en: "\(number) and below is unqualified: 以下 includes the number, Civil Code art. 1259")
        }
    }

    /// The provenance line that prints the reading.
    public func setting(_ line: Double) -> Provenance.Setting {
        let words = text(line)
        return Provenance.Setting(key: "line_reading", label: LocalizedText(zh: "不合格线读法（\(words.zh)）", en: "pass line reading (\(words.en))"),
                                  value: .text(rawValue))
    }
}
