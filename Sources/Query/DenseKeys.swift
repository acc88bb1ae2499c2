import Columnar

/// Dense ids 0, 1, 2, … for row keys, in order of first appearance: the groups of an aggregate
/// and the partitions of a window.
struct DenseKeys {
    private var ids: [[Value]: Int] = [:]
    /// The keys, by id.
    private(set) var keys: [[Value]] = []

    /// The key's id, and whether this is its first appearance.
    mutating func id(_ key: [Value]) -> (id: Int, isNew: Bool) {
        if let existing = ids[key] { return (existing, false) }
        let id = keys.count
        ids[key] = id
        keys.append(key)
        return (id, true)
    }

    var count: Int { keys.count }
}
