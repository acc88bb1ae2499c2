/// Competition ranking ("1224"): equal values share a rank and the next rank skips.
public enum CompetitionRanking {
    /// Ranks for `values` in the order given, best first by `isBetter`; nil values get no rank.
    ///
    /// - Returns: one rank per value, in the input order.
    public static func ranks<T>(_ values: [T?], isBetter: (T, T) -> Bool) -> [Int?] {
        let order = values.indices.filter { values[$0] != nil }.sorted { isBetter(values[$0]!, values[$1]!) }
        var ranks = [Int?](repeating: nil, count: values.count)
        for (position, index) in order.enumerated() {
            if position > 0 {
                let previous = order[position - 1]
                if !isBetter(values[previous]!, values[index]!) {
                    ranks[index] = ranks[previous]
                    continue
                }
            }
            ranks[index] = position + 1
        }
        return ranks
    }
}
