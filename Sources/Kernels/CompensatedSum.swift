/// A sum with Neumaier's compensation, so means match an exact computation to the last bit
/// or close to it whatever the order of the values.
public struct CompensatedSum: Sendable {
    @usableFromInline var sum = 0.0
    @usableFromInline var compensation = 0.0

    public init() {}

    /// A sum carried on from a running total and its correction.
    @inlinable
    public init(sum: Double, compensation: Double) {
        self.sum = sum
        self.compensation = compensation
    }

    @inlinable
    public mutating func add(_ value: Double) {
        let next = sum + value
        if abs(sum) >= abs(value) {
            compensation += (sum - next) + value
        } else {
            compensation += (value - next) + sum
        }
        sum = next
    }

    /// The compensated total.
    public var value: Double { sum + compensation }
}
