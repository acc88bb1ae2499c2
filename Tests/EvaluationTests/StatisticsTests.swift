import Evaluation
import Foundation
import Testing

@Suite struct StatisticsTests {
    /// scipy.stats.t.ppf(0.975, df).
    @Test(arguments: [(1, 12.706204736174694), (2, 4.302652729749462), (5, 2.5705818356363146), (29, 2.045229642132703),
                      (30, 2.0422724563012378), (100, 1.9839715185235518), (1000, 1.9623390808264083), (100000, 1.9599877075346095)])
    func studentQuantileMatchesScipy(degrees: Int, expected: Double) {
        #expect(abs(Statistics.studentT975(degreesOfFreedom: degrees) - expected) < 1e-9 * expected)
    }

    @Test func wilsonByHand() throws {
        // 17 of 30: p = 0.5667; centre (p + z²/60)/(1 + z²/30), half z·√(p(1−p)/30 + z²/3600)/(1 + z²/30).
        let interval = try #require(Statistics.wilson(successes: 17, trials: 30))
        let z = 1.959963984540054, p = 17.0 / 30
        let denominator = 1 + z * z / 30
        #expect(abs(interval.low - ((p + z * z / 60) / denominator - z * (p * (1 - p) / 30 + z * z / 3600).squareRoot() / denominator)) < 1e-15)
        #expect(abs((interval.high - interval.low) / 2 - 0.1671) < 5e-5)  // 16.71 points, EXPECTED.md
        #expect(Statistics.wilson(successes: 0, trials: 0) == nil)
        let all = try #require(Statistics.wilson(successes: 8, trials: 8))
        #expect(all.high == 1)
    }
}
