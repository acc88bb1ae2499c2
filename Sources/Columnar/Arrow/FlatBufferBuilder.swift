/// A small FlatBuffers builder, enough for Arrow's IPC metadata (a few kilobytes per message):
/// tables of scalars and offsets, strings, vectors of offsets and of structs.
///
/// Like the reference builders it writes back to front: an object is finished before the object
/// that refers to it, so every offset points forward. Positions are counted from the end of the
/// buffer (`Offset.fromEnd`), which stays fixed while bytes are prepended. Prepending moves the
/// bytes already written; the messages are small, so that costs nothing measurable.
struct FlatBufferBuilder {
    /// An object's position, counted from the end of the buffer.
    struct Offset {
        var fromEnd: Int
    }

    private var bytes: [UInt8] = []
    private var largestAlignment = 1
    /// Field slot → position of its value, for the table being built.
    private var fields: [(slot: Int, fromEnd: Int)] = []
    private var tableStart = 0

    private mutating func prepend(_ data: [UInt8]) {
        bytes.insert(contentsOf: data, at: 0)
    }

    /// Pads so that `size` bytes prepended next end up aligned to `alignment` in the final buffer
    /// (whose length is made a multiple of the largest alignment used).
    private mutating func align(_ size: Int, _ alignment: Int) {
        largestAlignment = max(largestAlignment, alignment)
        let padding = (alignment - (bytes.count + size) % alignment) % alignment
        if padding > 0 { prepend([UInt8](repeating: 0, count: padding)) }
    }

    private mutating func scalar<T: FixedWidthInteger>(_ value: T) {
        align(MemoryLayout<T>.size, MemoryLayout<T>.size)
        prepend(withUnsafeBytes(of: value.littleEndian) { Array($0) })
    }

    /// A forward offset to `target`, written here.
    private mutating func offset(to target: Offset) {
        align(4, 4)
        let here = bytes.count + 4
        scalar(UInt32(here - target.fromEnd))
    }

    // MARK: strings and vectors

    mutating func string(_ text: String) -> Offset {
        let utf8 = Array(text.utf8)
        align(utf8.count + 1, 4)
        prepend(utf8 + [0])
        align(4, 4)
        scalar(UInt32(utf8.count))
        return Offset(fromEnd: bytes.count)
    }

    mutating func vector(of offsets: [Offset]) -> Offset {
        align(offsets.count * 4, 4)
        for target in offsets.reversed() { offset(to: target) }
        scalar(UInt32(offsets.count))
        return Offset(fromEnd: bytes.count)
    }

    /// A vector of structs made of 64-bit fields (Arrow's FieldNode, Buffer and Block), each
    /// struct given as its words; `padAfter` words of zero padding follow none (Block pads inside).
    mutating func vector(ofStructs structs: [[UInt64]]) -> Offset {
        let size = structs.reduce(0) { $0 + $1.count * 8 }
        align(size, 8)
        for words in structs.reversed() {
            for word in words.reversed() { prepend(withUnsafeBytes(of: word.littleEndian) { Array($0) }) }
        }
        align(4, 4)
        scalar(UInt32(structs.count))
        return Offset(fromEnd: bytes.count)
    }

    // MARK: tables

    mutating func startTable() {
        fields = []
        tableStart = bytes.count
    }

    mutating func add<T: FixedWidthInteger>(slot: Int, _ value: T) {
        scalar(value)
        fields.append((slot, bytes.count))
    }

    mutating func add(slot: Int, _ value: Bool) {
        add(slot: slot, UInt8(value ? 1 : 0))
    }

    mutating func add(slot: Int, offset target: Offset) {
        offset(to: target)
        fields.append((slot, bytes.count))
    }

    /// Finishes the table: its offset to the vtable, then the vtable before it.
    mutating func endTable() -> Offset {
        align(4, 4)
        prepend([0, 0, 0, 0])  // the soffset to the vtable, patched below
        let table = bytes.count
        let slots = (fields.map(\.slot).max() ?? -1) + 1
        var entries = [UInt16](repeating: 0, count: slots)
        for field in fields { entries[field.slot] = UInt16(table - field.fromEnd) }
        let vtable = [UInt16(4 + 2 * slots), UInt16(table - tableStart)] + entries
        align(vtable.count * 2, 2)
        prepend(vtable.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } })
        let vtableFromEnd = bytes.count
        // The table's first word: its address minus the vtable's (positive: the vtable is before it).
        let distance = Int32(vtableFromEnd - table)
        let index = bytes.count - table
        withUnsafeBytes(of: distance.littleEndian) { for (i, byte) in $0.enumerated() { bytes[index + i] = byte } }
        return Offset(fromEnd: table)
    }

    /// The finished buffer with `root` as its root table, padded to 8 bytes.
    mutating func finish(root: Offset) -> [UInt8] {
        align(4, max(largestAlignment, 8))
        offset(to: root)
        return bytes
    }
}
