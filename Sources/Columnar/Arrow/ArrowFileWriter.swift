import Kernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a table as an Arrow IPC file (the Feather v2 format), for the next tool: DuckDB,
/// Polars, pyarrow, Spark. No Arrow library is packaged for Debian or listed for Swift, so the
/// format is written here, from the specification (`format/Schema.fbs`, `Message.fbs`, `File.fbs`
/// and the columnar format):
///
/// - int64 → Int64, float64 → Float64, date → Date32 (days), timestamp → Timestamp(second),
///   bool → Bool (bit-packed), text → dictionary-encoded Utf8 (Int32 indices, one dictionary
///   batch per text column); every column carries a validity bitmap when it has nulls;
/// - the file: `ARROW1`, the schema message, the dictionary batches, one record batch, the
///   footer (the schema again and the blocks of the batches), its length and `ARROW1`.
///
/// Column buffers are written straight from the columns, each padded to 8 bytes.
public enum ArrowFileWriter {
    static let magic: [UInt8] = Array("ARROW1".utf8)
    static let metadataVersion: Int16 = 4  // V5

    /// Writes `table` to `path`.
    ///
    /// - Throws: `PingchaError(.cannotCreate)` when the file cannot be written.
    public static func write(_ table: Table, to path: String) throws {
        guard let file = fopen(path, "wb") else {
            throw PingchaError.cannotWrite(path)
        }
        var output = Output(file: file)
        output.bytes(magic + [0, 0])
        // The schema, then one dictionary batch per text column, then the record batch.
        output.message(schemaMessage(table))
        var dictionaryBlocks: [Block] = [], recordBlocks: [Block] = []
        var dictionaryID: Int64 = 0
        for column in table.columns {
            guard case .text(_, let dictionary) = column.storage else { continue }
            dictionaryBlocks.append(output.message(dictionaryBatch(dictionary, id: dictionaryID)))
            dictionaryID += 1
        }
        recordBlocks.append(output.message(recordBatch(table)))
        let footer = footerBuffer(table, dictionaries: dictionaryBlocks, records: recordBlocks)
        output.bytes(footer)
        output.bytes(withUnsafeBytes(of: Int32(footer.count).littleEndian) { Array($0) })
        output.bytes(magic)
        let failed = output.failed
        guard fclose(file) == 0, !failed else {
            unlink(path)
            throw PingchaError(.cannotCreate, zh: "写入 \(path) 失败（磁盘已满或无权限？）", en: "writing \(path) failed (disk full or no permission?)")
        }
    }

    // MARK: the schema

    /// Adds the Type table of `column` and returns (type id in the Type union, offset).
    private static func type(of storage: ColumnStorage, _ builder: inout FlatBufferBuilder) -> (UInt8, FlatBufferBuilder.Offset) {
        builder.startTable()
        switch storage {
        case .int64:
            builder.add(slot: 0, Int32(64))
            builder.add(slot: 1, true)
            return (2, builder.endTable())
        case .float64:
            builder.add(slot: 0, Int16(2))  // DOUBLE
            return (3, builder.endTable())
        case .date:
            builder.add(slot: 0, Int16(0))  // DAY
            return (8, builder.endTable())
        case .timestamp:
            builder.add(slot: 0, Int16(0))  // SECOND, no time zone
            return (10, builder.endTable())
        case .bool:
            return (6, builder.endTable())
        case .text:
            return (5, builder.endTable())  // Utf8, the dictionary's value type
        }
    }

    private static func schema(_ table: Table, _ builder: inout FlatBufferBuilder) -> FlatBufferBuilder.Offset {
        var fields: [FlatBufferBuilder.Offset] = []
        var dictionaryID: Int64 = 0
        for column in table.columns {
            let name = builder.string(column.name)
            let (typeID, typeOffset) = type(of: column.storage, &builder)
            var encoding: FlatBufferBuilder.Offset?
            if case .text = column.storage {
                builder.startTable()
                builder.add(slot: 0, Int32(32))
                builder.add(slot: 1, true)
                let indexType = builder.endTable()
                builder.startTable()
                builder.add(slot: 0, dictionaryID)
                builder.add(slot: 1, offset: indexType)
                builder.add(slot: 2, false)
                encoding = builder.endTable()
                dictionaryID += 1
            }
            let children = builder.vector(of: [])
            builder.startTable()
            builder.add(slot: 0, offset: name)
            builder.add(slot: 1, true)
            builder.add(slot: 2, typeID)
            builder.add(slot: 3, offset: typeOffset)
            if let encoding { builder.add(slot: 4, offset: encoding) }
            builder.add(slot: 5, offset: children)
            fields.append(builder.endTable())
        }
        let fieldVector = builder.vector(of: fields)
        builder.startTable()
        builder.add(slot: 0, Int16(0))  // little-endian
        builder.add(slot: 1, offset: fieldVector)
        return builder.endTable()
    }

    private static func message(header type: UInt8, bodyLength: Int, _ builder: inout FlatBufferBuilder,
                                header: FlatBufferBuilder.Offset) -> [UInt8] {
        builder.startTable()
        builder.add(slot: 0, metadataVersion)
        builder.add(slot: 1, type)
        builder.add(slot: 2, offset: header)
        builder.add(slot: 3, Int64(bodyLength))
        let root = builder.endTable()
        return builder.finish(root: root)
    }

    private static func schemaMessage(_ table: Table) -> Message {
        var builder = FlatBufferBuilder()
        let root = schema(table, &builder)
        return Message(metadata: message(header: 1, bodyLength: 0, &builder, header: root), body: [])
    }

    // MARK: batches

    /// A record batch's metadata and body: field nodes, buffer places, and the buffers.
    private struct BatchBody {
        var nodes: [[UInt64]] = []
        var buffers: [[UInt64]] = []
        var parts: [Part] = []
        var length = 0

        mutating func add(_ part: Part) {
            let size = part.count
            buffers.append([UInt64(length), UInt64(size)])
            parts.append(part)
            length += (size + 7) & ~7
        }
    }

    private static func recordBatchTable(rows: Int, _ body: BatchBody, _ builder: inout FlatBufferBuilder) -> FlatBufferBuilder.Offset {
        let nodes = builder.vector(ofStructs: body.nodes)
        let buffers = builder.vector(ofStructs: body.buffers)
        builder.startTable()
        builder.add(slot: 0, Int64(rows))
        builder.add(slot: 1, offset: nodes)
        builder.add(slot: 2, offset: buffers)
        return builder.endTable()
    }

    private static func validity(_ column: Column) -> Part {
        guard let bitmap = column.validity, bitmap.setCount < column.count else { return .bytes([]) }
        return .words(bitmap.rawWords, byteCount: (column.count + 7) / 8)
    }

    private static func recordBatch(_ table: Table) -> Message {
        var body = BatchBody()
        for column in table.columns {
            let nulls = column.validity.map { column.count - $0.setCount } ?? 0
            body.nodes.append([UInt64(column.count), UInt64(nulls)])
            body.add(validity(column))
            switch column.storage {
            case .int64(let values), .timestamp(let values): body.add(.int64(values))
            case .float64(let values): body.add(.float64(values))
            case .date(let values): body.add(.int32(values))
            case .bool(let values):
                var packed = [UInt8](repeating: 0, count: (values.count + 7) / 8)
                for (index, value) in values.enumerated() where value { packed[index >> 3] |= 1 << UInt8(index & 7) }
                body.add(.bytes(packed))
            case .text(let codes, _): body.add(.uint32(codes))
            }
        }
        var builder = FlatBufferBuilder()
        let batch = recordBatchTable(rows: table.rowCount, body, &builder)
        return Message(metadata: message(header: 3, bodyLength: body.length, &builder, header: batch), body: body.parts)
    }

    private static func dictionaryBatch(_ dictionary: TextDictionary, id: Int64) -> Message {
        let parts = dictionary.rawParts
        // A column of empty cells has an empty dictionary, and its (null) rows hold index 0: the
        // dictionary gets one empty string so that every index lies inside it.
        let offsets = parts.offsets.count > 1 ? parts.offsets : [0, 0]
        let count = offsets.count - 1
        var body = BatchBody()
        body.nodes.append([UInt64(count), 0])
        body.add(.bytes([]))
        body.add(.int32(ColumnBuffer(offsets.map { Int32(truncatingIfNeeded: $0) })))
        body.add(.bytes(parts.arena.elements))
        var builder = FlatBufferBuilder()
        let data = recordBatchTable(rows: count, body, &builder)
        builder.startTable()
        builder.add(slot: 0, id)
        builder.add(slot: 1, offset: data)
        builder.add(slot: 2, false)
        let batch = builder.endTable()
        return Message(metadata: message(header: 2, bodyLength: body.length, &builder, header: batch), body: body.parts)
    }

    // MARK: the footer

    struct Block {
        var offset: Int
        var metadataLength: Int
        var bodyLength: Int
    }

    private static func footerBuffer(_ table: Table, dictionaries: [Block], records: [Block]) -> [UInt8] {
        var builder = FlatBufferBuilder()
        let schemaOffset = schema(table, &builder)
        // Block: offset (long), metaDataLength (int) and 4 bytes of padding, bodyLength (long).
        let words = { (block: Block) -> [UInt64] in [UInt64(block.offset), UInt64(UInt32(block.metadataLength)), UInt64(block.bodyLength)] }
        let dictionaryVector = builder.vector(ofStructs: dictionaries.map(words))
        let recordVector = builder.vector(ofStructs: records.map(words))
        builder.startTable()
        builder.add(slot: 0, metadataVersion)
        builder.add(slot: 1, offset: schemaOffset)
        builder.add(slot: 2, offset: dictionaryVector)
        builder.add(slot: 3, offset: recordVector)
        let root = builder.endTable()
        return builder.finish(root: root)
    }

    // MARK: output

    /// One buffer of a batch body, written from the column without a copy where it can be.
    enum Part {
        case bytes([UInt8])
        case words([UInt64], byteCount: Int)
        case int64(ColumnBuffer<Int64>)
        case float64(ColumnBuffer<Double>)
        case int32(ColumnBuffer<Int32>)
        case uint32(ColumnBuffer<UInt32>)

        var count: Int {
            switch self {
            case .bytes(let values): return values.count
            case .words(_, let byteCount): return byteCount
            case .int64(let values): return values.count * 8
            case .float64(let values): return values.count * 8
            case .int32(let values): return values.count * 4
            case .uint32(let values): return values.count * 4
            }
        }
    }

    struct Message {
        var metadata: [UInt8]
        var body: [Part]
    }

    struct Output {
        let file: UnsafeMutablePointer<FILE>
        var written = 0
        var failed = false

        mutating func raw(_ pointer: UnsafeRawBufferPointer) {
            guard pointer.count > 0 else { return }
            if fwrite(pointer.baseAddress, 1, pointer.count, file) != pointer.count { failed = true }
            written += pointer.count
        }

        mutating func bytes(_ data: [UInt8]) { data.withUnsafeBytes { raw($0) } }

        mutating func pad() {
            let padding = (8 - written % 8) % 8
            if padding > 0 { bytes([UInt8](repeating: 0, count: padding)) }
        }

        /// An encapsulated message: the continuation marker, the metadata length, the metadata
        /// padded to 8 bytes, then the body; returns its block for the footer.
        @discardableResult
        mutating func message(_ message: Message) -> Block {
            let start = written
            let padded = (message.metadata.count + 8 + 7) & ~7 - 8
            bytes([0xFF, 0xFF, 0xFF, 0xFF])
            bytes(withUnsafeBytes(of: Int32(padded).littleEndian) { Array($0) })
            bytes(message.metadata + [UInt8](repeating: 0, count: padded - message.metadata.count))
            let bodyStart = written
            for part in message.body {
                switch part {
                case .bytes(let values): bytes(values)
                case .words(let words, let byteCount): words.withUnsafeBytes { raw(UnsafeRawBufferPointer(rebasing: $0[0..<byteCount])) }
                case .int64(let values): values.withUnsafeBytes { raw($0) }
                case .float64(let values): values.withUnsafeBytes { raw($0) }
                case .int32(let values): values.withUnsafeBytes { raw($0) }
                case .uint32(let values): values.withUnsafeBytes { raw($0) }
                }
                pad()
            }
            return Block(offset: start, metadataLength: padded + 8, bodyLength: written - bodyStart)
        }
    }
}
