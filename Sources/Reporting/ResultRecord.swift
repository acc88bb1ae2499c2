import Columnar

/// A value a named result row can hold in one of its cells.
public protocol ResultCell: SendableMetatype {
    var resultValue: Value { get }
}

extension Value: ResultCell {
    public var resultValue: Value { self }
}

extension String: ResultCell {
    public var resultValue: Value { .text(self) }
}

extension Int: ResultCell {
    public var resultValue: Value { .int(Int64(self)) }
}

extension Int64: ResultCell {
    public var resultValue: Value { .int(self) }
}

extension Double: ResultCell {
    public var resultValue: Value { .double(self) }
}

extension Bool: ResultCell {
    public var resultValue: Value { .bool(self) }
}

extension Optional: ResultCell where Wrapped: ResultCell {
    public var resultValue: Value { self?.resultValue ?? .null }
}

/// One column of a result table bound to the field of a named row that fills it.
///
/// A result table is declared once as a list of fields: each ties a column (key, headers,
/// format) to a stored property of the row struct, named by a key path literal
/// (`ResultField(\.unit, …)`), so a row is built by name and a cell can neither be missing nor
/// land under another column's header. The literal is taken as the function it spells (a
/// direct read of the property): read through a `KeyPath` value, each cell went through the
/// runtime's key-path projection and generic metadata, a tenth of a warm pass rate by unit.
public struct ResultField<Row>: Sendable {
    public let column: ResultColumn
    let cell: @Sendable (Row) -> Value

    public init<Cell: ResultCell>(_ read: @escaping @Sendable (Row) -> Cell, _ column: ResultColumn) {
        self.column = column
        self.cell = { read($0).resultValue }
    }

    public init<Cell: ResultCell>(_ read: @escaping @Sendable (Row) -> Cell, key: String, zh: String, en: String, format: CellFormat) {
        self.init(read, ResultColumn(key: key, zh: zh, en: en, format: format))
    }
}

extension ResultTable {
    /// A table of named rows, its columns the fields' columns in order.
    public init<Row>(title: LocalizedText, fields: [ResultField<Row>], rows: [Row]) {
        self.init(title: title, columns: fields.map(\.column), rows: rows.map { row in fields.map { $0.cell(row) } })
    }
}
