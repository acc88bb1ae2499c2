import Foundation

/// Confidence intervals for the satisfaction figures (DOMAIN.md §2.2), at 95%.
public enum Statistics {
    /// z of the standard normal at 0.975.
    public static let z975 = 1.959963984540054

    /// The 95% Wilson score interval for `successes` of `trials`.
    public static func wilson(successes: Int, trials: Int) -> (low: Double, high: Double)? {
        guard trials > 0 else { return nil }
        let n = Double(trials), p = Double(successes) / n, z = z975
        let denominator = 1 + z * z / n
        let centre = (p + z * z / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / denominator
        return (max(0, centre - half), min(1, centre + half))
    }

    /// The 95% t interval for the mean of `values` (nil for fewer than two values).
    public static func tInterval(mean: Double, standardDeviation: Double, count: Int) -> (low: Double, high: Double)? {
        guard count >= 2 else { return nil }
        let half = studentT975(degreesOfFreedom: count - 1) * standardDeviation / Double(count).squareRoot()
        return (mean - half, mean + half)
    }

    /// The 0.975 quantile of Student's t: the t where the upper tail holds 2.5%, found by
    /// bisection on the tail probability ½·I_{ν/(ν+t²)}(ν/2, ½).
    public static func studentT975(degreesOfFreedom: Int) -> Double {
        let nu = Double(degreesOfFreedom)
        var low = 0.0, high = 1000.0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            let tail = 0.5 * regularizedIncompleteBeta(x: nu / (nu + middle * middle), a: nu / 2, b: 0.5)
            if tail > 0.025 { low = middle } else { high = middle }
            if high - low < 1e-15 * high { break }
        }
        return (low + high) / 2
    }

    /// I_x(a, b) by its continued fraction (modified Lentz), using the symmetry for large x.
    static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let logFront = logGammas + logPowers
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * continuedFraction(x: 1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for m in 1...300 {
            let m = Double(m)
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            result *= step
            if abs(step - 1) < 1e-16 { break }
        }
        return result
    }
}
