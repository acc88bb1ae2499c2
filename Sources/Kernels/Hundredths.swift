/// Numbers kept to hundredths (scores such as 84.6 or 92.25) as 16-bit whole numbers of
/// hundredths: a quarter of the bytes of a double, and each gives back exactly the double it
/// stands for.
public enum Hundredths {
    /// `value` as a whole number of hundredths that gives it back exactly (kept to two decimals
    /// or fewer, between -327.68 and 327.67), else nil: NaN, infinities, -0 and values with more
    /// decimals are not.
    @inlinable @inline(__always)
    public static func of(_ value: Double) -> Int16? {
        let scaled = value * 100
        guard scaled.magnitude <= 32_767 else { return nil }
        // Rounded half away from zero by truncation (`rounded()` is a library call on this target).
        let whole = Int16(truncatingIfNeeded: Int(scaled + (scaled < 0 ? -0.5 : 0.5)))
        return number(whole).bitPattern == value.bitPattern ? whole : nil
    }

    /// The number `hundredths` stands for (the correctly rounded quotient, so the double a
    /// decimal text of it reads as).
    @inlinable @inline(__always)
    public static func number(_ hundredths: Int16) -> Double { Double(hundredths) / 100 }
}
