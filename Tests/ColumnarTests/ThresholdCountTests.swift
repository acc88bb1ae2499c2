import Columnar
import Kernels
import Testing

@Suite struct ThresholdCountTests {
    /// Lengths around the SIMD width (8 doubles) and a cache line.
    static let lengths = [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000]

    @Test(arguments: lengths)
    func simdMatchesScalarAndHandCount(length: Int) {
        // Values 0, 10, 20, …, 90, 0, … : exactly the ones below 70 are 0…60, seven in ten.
        let values = (0..<length).map { Double(($0 % 10) * 10) }
        let expected = (0..<length).filter { $0 % 10 < 7 }.count
        #expect(ThresholdCount.countBelowScalar(values, threshold: 70) == expected)
        #expect(ThresholdCount.countBelow(values, threshold: 70) == expected)
    }

    @Test func boundaryValueIsNotBelow() {
        let values: [Double] = [70.0, 69.9, 70.0000001, 69.99999, 100, 0] + [Double](repeating: 70, count: 10)
        #expect(ThresholdCount.countBelow(values, threshold: 70) == 3)
        #expect(ThresholdCount.countBelowScalar(values, threshold: 70) == 3)
    }

    @Test func randomDataAgrees() {
        var generator = SplitMix64(seed: 42)
        for length in [31, 257, 4099] {
            let values = (0..<length).map { _ in Double(generator.next() % 1001) / 10 }
            for threshold in [0.0, 60, 69.9, 70, 100.1] {
                #expect(ThresholdCount.countBelow(values, threshold: threshold)
                    == ThresholdCount.countBelowScalar(values, threshold: threshold))
            }
        }
    }

    @Test func nanIsNeverBelow() {
        let values = [Double.nan, 1, .nan, 2, 3, 4, 5, 6, 7, .nan]
        #expect(ThresholdCount.countBelow(values, threshold: 5) == 4)
        #expect(ThresholdCount.countBelowScalar(values, threshold: 5) == 4)
    }
}
