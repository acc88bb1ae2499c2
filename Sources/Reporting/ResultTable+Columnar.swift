import Kernels
import Columnar

extension ResultTable {
    /// The result as typed columns (for the Arrow hand-off), named by their stable keys: a column
    /// whose values are all integers is int64, integers and decimals float64, dates date,
    /// timestamps timestamp, booleans bool; a mix of kinds, or text, is text (each value as its
    /// plain text). Nulls go to the validity; an all-null column is text.
    public func columnarTable() -> Table {
        let columns = self.columns.indices.map { index -> Column in
            let values = rows.map { $0[index] }
            var validity = Bitmap(count: values.count, value: true)
            for (row, value) in values.enumerated() where value.isNull { validity[row] = false }
            let hasNulls = validity.setCount < values.count
            let present = values.filter { !$0.isNull }
            func all(_ test: (Value) -> Bool) -> Bool { !present.isEmpty && present.allSatisfy(test) }
            let storage: ColumnStorage
            if all({ if case .int = $0 { return true } else { return false } }) {
                storage = .int64(values.map { if case .int(let v) = $0 { return v } else { return 0 } })
            } else if all({ switch $0 { case .int, .double: return true; default: return false } }) {
                storage = .float64(values.map { $0.asDouble ?? 0 })
            } else if all({ if case .date = $0 { return true } else { return false } }) {
                storage = .date(values.map { if case .date(let v) = $0 { return v } else { return 0 } })
            } else if all({ if case .timestamp = $0 { return true } else { return false } }) {
                storage = .timestamp(values.map { if case .timestamp(let v) = $0 { return v } else { return 0 } })
            } else if all({ if case .bool = $0 { return true } else { return false } }) {
                storage = .bool(values.map { $0 == .bool(true) })
            } else {
                var dictionary = TextDictionary()
                let codes = values.map { $0.isNull ? UInt32(0) : dictionary.code(for: $0.plainText) }
                storage = .text(codes: codes, dictionary: dictionary)
            }
            return Column(name: self.columns[index].key, storage: storage, validity: hasNulls ? validity : nil)
        }
        return Table(columns: columns, rowCount: rows.count)
    }
}
