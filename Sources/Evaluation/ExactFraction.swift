/// An exact fraction of integers, for figures a reader must be able to check by hand.
///
/// Scores arrive as decimals of a few places; read from their shortest decimal text they become
/// exact fractions, and weighted averages of them stay exact until the one final rounding.
public struct ExactFraction: Sendable, Equatable {
    public private(set) var numerator: Int64
    /// Always positive.
    public private(set) var denominator: Int64

    public init(_ numerator: Int64, _ denominator: Int64 = 1) {
        precondition(denominator != 0, "a fraction needs a non-zero denominator")
        let sign: Int64 = denominator < 0 ? -1 : 1
        let divisor = Self.gcd(abs(numerator), abs(denominator))
        self.numerator = sign * numerator / max(divisor, 1)
        self.denominator = sign * denominator / max(divisor, 1)
    }

    /// The exact value of a decimal's shortest text (85.5 → 171/2); nil for anything else or
    /// more than 9 decimals.
    public init?(decimalText text: String) {
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" { negative = true; digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              !parts[0].isEmpty, parts[0].count <= 12 else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= 9, let whole = Int64(parts[0]) else { return nil }
        var scale: Int64 = 1
        for _ in 0..<fraction.count { scale *= 10 }
        let value = whole * scale + (fraction.isEmpty ? 0 : Int64(fraction)!)
        self.init(negative ? -value : value, scale)
    }

    public static func + (left: ExactFraction, right: ExactFraction) -> ExactFraction {
        ExactFraction(left.numerator * right.denominator + right.numerator * left.denominator, left.denominator * right.denominator)
    }

    public static func * (left: ExactFraction, right: ExactFraction) -> ExactFraction {
        ExactFraction(left.numerator * right.numerator, left.denominator * right.denominator)
    }

    public static func / (left: ExactFraction, right: Int64) -> ExactFraction {
        ExactFraction(left.numerator, left.denominator * right)
    }

    public var doubleValue: Double { Double(numerator) / Double(denominator) }

    /// Rounded half away from zero to `places` decimals, as hundredths (or the like) in an integer.
    public func rounded(places: Int) -> Int64 {
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = abs(numerator) * scale
        let quotient = scaled / denominator, remainder = scaled % denominator
        let magnitude = quotient + (remainder * 2 >= denominator ? 1 : 0)
        return numerator < 0 ? -magnitude : magnitude
    }

    /// The value rounded to `places` decimals, as a Double (what is published).
    public func published(places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return Double(rounded(places: places)) / scale
    }

    private static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}
