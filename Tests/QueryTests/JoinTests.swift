@testable import Query
import Columnar
import Kernels
import Testing

/// Joins on one text key each side: the row pairs against a nested loop over the strings.
struct JoinTests {
    /// A text vector of `strings` (nil: null), coded in the dictionary `order` gives.
    static func vector(_ strings: [String?], order: [String]) -> Vector {
        let dictionary = TextDictionary(order)
        var validity = Bitmap()
        for string in strings { validity.append(string != nil) }
        let codes = strings.map { string in string.flatMap { dictionary.lookup($0) } ?? 0 }
        return .text(ColumnBuffer(codes), dictionary, strings.contains(nil) ? validity : nil)
    }

    /// Each left row's right rows with the same string, in right row order (a null matches
    /// nothing); with `keepUnmatched` a left row without one once, with -1.
    static func nestedLoop(_ left: [String?], _ right: [String?], keepUnmatched: Bool) -> [[Int32]] {
        var pairs: [[Int32]] = []
        for (l, key) in left.enumerated() {
            let matches = right.indices.filter { key != nil && right[$0] == key }
            for r in matches { pairs.append([Int32(l), Int32(r)]) }
            if matches.isEmpty, keepUnmatched { pairs.append([Int32(l), -1]) }
        }
        return pairs
    }

    /// Right keys distinct and coded in row order (codes are row numbers), distinct in another
    /// order, distinct with a null, and repeated; left keys with nulls and strings the right lacks.
    @Test(arguments: [false, true]) func oneTextKeyMatchesANestedLoop(keepUnmatched: Bool) {
        var generator = SplitMix64(seed: 5)
        let pool = ["甲", "乙", "丙", "丁", "戊", "己"]
        let left: [String?] = (0..<60).map { _ in
            let pick = Int.random(in: 0...pool.count, using: &generator)
            return pick == pool.count ? nil : pool[pick]
        }
        let rights: [(strings: [String?], order: [String])] = [
            (["甲", "乙", "丙", "丁"], ["甲", "乙", "丙", "丁"]),
            (["甲", "乙", "丙", "丁"], ["丁", "丙", "甲", "乙"]),
            (["乙", nil, "甲", "戊"], ["乙", "甲", "戊"]),
            (["甲", "乙", "甲", nil, "丙", "乙"], ["甲", "乙", "丙"]),
        ]
        let leftVector = Self.vector(left, order: pool)
        for (strings, order) in rights {
            let (leftRows, rightRows) = SQLExecutor.matchingRows(left: [leftVector], leftCount: left.count,
                                                                 right: [Self.vector(strings, order: order)], rightCount: strings.count,
                                                                 keepUnmatched: keepUnmatched)
            let pairs = zip(leftRows, rightRows).map { [$0, $1] }
            #expect(pairs == Self.nestedLoop(left, strings, keepUnmatched: keepUnmatched), "right \(strings)")
        }
    }
}
