/// Plain records the fast path read in place, handed over together (`RecordReader.batchHandler`)
/// so that the column builders convert one column of many records at a time: each builder's
/// dictionary and arrays stay in the processor's cache for the whole batch. Every record of a
/// batch has `fieldCount` fields. The pointers are valid only during the handler call.
struct RecordBatch {
    /// The text the records lie in.
    let base: UnsafePointer<UInt8>
    /// Each record's first byte, as an offset from `base`.
    let starts: UnsafePointer<Int>
    /// Record `row`'s field `column` ends `ends[row * fieldCount + column]` bytes after its start.
    let ends: UnsafePointer<Int>
    /// Each record's line (a plain record spans one).
    let lines: UnsafePointer<Int>
    let count: Int
    let fieldCount: Int

    /// The bytes of record `row`'s field `column`.
    @inline(__always)
    func field(_ row: Int, _ column: Int) -> UnsafeRawBufferPointer {
        let recordEnds = ends + row * fieldCount
        let start = column == 0 ? 0 : recordEnds[column - 1] + 1
        return UnsafeRawBufferPointer(start: base + starts[row] + start, count: recordEnds[column] - start)
    }

    /// Record `row` as the view the reader hands over one record at a time.
    func record(_ row: Int) -> RecordView {
        RecordView(base: base + starts[row], ends: ends + row * fieldCount, gap: 1, fieldCount: fieldCount,
                   firstLine: lines[row], lastLine: lines[row])
    }
}

/// The records of a batch being gathered (`RecordReader`'s fast path). A struct of plain
/// buffers, held by the reader and changed in place: gathering a record retains nothing.
struct RecordBatchBuffer {
    /// The records a batch holds at most: their field ends and the text they lie in stay in the
    /// processor's second-level cache while each column is converted.
    static let capacity = 1024

    private(set) var count = 0
    private(set) var fieldCount = 0
    private let starts = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
    private let lines = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
    private var ends = UnsafeMutablePointer<Int>.allocate(capacity: capacity * 16)
    private var endsCapacity = capacity * 16

    /// Gives the buffers back (the reader's `deinit`).
    func deallocate() {
        starts.deallocate()
        lines.deallocate()
        ends.deallocate()
    }

    /// Whether a record of `fields` fields can join the batch (else it is handed over first).
    @inline(__always)
    func accepts(fields: Int) -> Bool {
        count == 0 || (count < Self.capacity && fields == fieldCount)
    }

    /// Adds a record: its start (offset in the text), its line, and its `fields` field ends
    /// (relative to its start).
    @inline(__always)
    mutating func append(start: Int, line: Int, fieldEnds: UnsafePointer<Int>, fields: Int) {
        if count == 0 {
            fieldCount = fields
            if Self.capacity * fields > endsCapacity {
                ends.deallocate()
                endsCapacity = Self.capacity * fields
                ends = .allocate(capacity: endsCapacity)
            }
        }
        starts[count] = start
        lines[count] = line
        let target = ends + count * fields
        for index in 0..<fields { target[index] = fieldEnds[index] }
        count += 1
    }

    /// The batch gathered, to hand over; `removeAll` empties it after.
    func batch(base: UnsafePointer<UInt8>) -> RecordBatch {
        RecordBatch(base: base, starts: starts, ends: ends, lines: lines, count: count, fieldCount: fieldCount)
    }

    mutating func removeAll() { count = 0 }
}
