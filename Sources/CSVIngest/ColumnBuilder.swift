import Kernels
import Columnar
import Vocabulary

/// Accumulates one column's values during a load.
///
/// Declared columns parse each field into their type as it arrives. Undeclared columns keep
/// their text in a dictionary and pick a type only at the end, from every distinct value of the
/// whole column: a column is numeric only if all its non-empty values are numbers.
final class ColumnBuilder {
    enum Kind {
        case declared(DataType)
        case inferred
    }

    let kind: Kind
    let spec: ExportSchema.ColumnSpec?
    // The parts of `spec` read for every field, held apart: reading them through the optional
    // spec copies it, retaining its strings, which every chunk's builder shares across threads.
    private let requiresValue: Bool
    private let allowedRange: ClosedRange<Double>?
    /// Without value rules: the spec's rules all the same, only to count the cells that break them.
    private let uncheckedRequired: Bool
    private let uncheckedRange: ClosedRange<Double>?
    /// Cells that break a value rule not applied (`LoadOptions.valueRules` off).
    @exclusivity(unchecked) private(set) var ruleBreaches = 0
    private let hasAbsentMarker: Bool
    @exclusivity(unchecked) private(set) var ints: [Int64] = []
    @exclusivity(unchecked) private(set) var doubles: [Double] = []
    @exclusivity(unchecked) private(set) var dates: [Int32] = []
    /// Seconds into the day of each date, once a date column has met a time part
    /// (`2022-06-15 10:30`): the column is then a timestamp whose date part the rules read.
    @exclusivity(unchecked) private(set) var times: [Int32]?
    @exclusivity(unchecked) private(set) var bools: [Bool] = []
    @exclusivity(unchecked) private(set) var codes: [UInt32] = []
    @exclusivity(unchecked) private(set) var dictionary = TextDictionary()
    @exclusivity(unchecked) private(set) var validity = Bitmap()
    /// Rows whose cell held the absent marker (`缺考`); only for specs that have one.
    @exclusivity(unchecked) private(set) var absent = Bitmap()
    @exclusivity(unchecked) private(set) var absentCount = 0

    /// Text cells copied aside, their slots in the dictionary's table asked for, and given their
    /// codes a few cells later (`commitText`).
    @exclusivity(unchecked) private var waiting = WaitingText()

    /// A parsed value waiting for the rest of its row to be checked.
    @exclusivity(unchecked) private var pendingBits: UInt64 = 0
    @exclusivity(unchecked) private var pendingState: PendingState = .null

    private enum PendingState {
        case null
        case value
        case absentMarker
    }

    /// `roomForRows` (at least `expectedRows`): the rows the builder's arrays take room for at
    /// once, address space only until written. The chunk whose builders take the other chunks'
    /// rows at the end of a load makes room for the whole file, so that the merge appends in
    /// place instead of copying its column (for a column of ids, its strings too) into bigger arrays.
    init(kind: Kind, spec: ExportSchema.ColumnSpec?, valueRules: Bool = true, expectedRows: Int, roomForRows: Int = 0) {
        self.kind = kind
        self.spec = spec
        requiresValue = valueRules && spec?.requiredValue == true
        allowedRange = valueRules ? spec?.range : nil
        uncheckedRequired = !valueRules && spec?.requiredValue == true
        uncheckedRange = valueRules ? nil : spec?.range
        hasAbsentMarker = spec?.absentMarker != nil
        self.expectedRows = expectedRows
        roomRows = max(expectedRows, roomForRows)
        reserve(rows: roomRows)
    }

    /// Whether `stage` can refuse a field or count a rule breach. A text column without a
    /// required value cannot: when it is not kept, its fields need not be staged at all.
    var checksFields: Bool {
        switch kind {
        case .inferred, .declared(.text): return requiresValue || uncheckedRequired
        case .declared: return true
        }
    }

    /// The rows this builder expects (an estimate from the chunk's size).
    private let expectedRows: Int
    /// The rows the arrays made room for (`init`'s `roomForRows`).
    private let roomRows: Int
    /// Whether the dictionary's growth was projected (`projectDictionary`).
    @exclusivity(unchecked) private var projected = false

    /// The rows held so far.
    var rowCount: Int { validity.count }

    /// Makes room for `rows` rows in all, so appending up to there never reallocates.
    func reserve(rows: Int) {
        validity.reserveCapacity(rows)
        if hasAbsentMarker { absent.reserveCapacity(rows) }
        switch kind {
        case .declared(.int64): ints.reserveCapacity(rows)
        case .declared(.float64): doubles.reserveCapacity(rows)
        case .declared(.date), .declared(.timestamp):
            dates.reserveCapacity(rows)
            times?.reserveCapacity(rows)
        case .declared(.bool): bools.reserveCapacity(rows)
        case .declared(.text), .inferred: codes.reserveCapacity(rows)
        }
    }

    /// Starts keeping times of day: every date so far at midnight.
    private func keepTimes() {
        guard times == nil else { return }
        var zeros = [Int32](repeating: 0, count: dates.count)
        zeros.reserveCapacity(dates.capacity)
        times = zeros
    }

    /// Gives back the memory of every value held (after another builder took them over).
    private func release() {
        waiting.removeAll()
        ints = []
        doubles = []
        dates = []
        times = nil
        bools = []
        codes = []
        dictionary = TextDictionary()
        validity = Bitmap()
        absent = Bitmap()
    }

    /// Why a field was refused.
    enum FieldProblem {
        case empty
        case notANumber
        case notAnInteger
        case notADate
        case notABool
        case outOfRange(Double, ClosedRange<Double>)
    }

    /// Parses a field of a declared column into the pending slot; text is read again on commit.
    @inline(__always)
    func stage(_ bytes: UnsafeRawBufferPointer) -> FieldProblem? {
        if bytes.isEmpty {
            pendingState = .null
            if requiresValue { return .empty }
            if uncheckedRequired { ruleBreaches += 1 }
            return nil
        }
        pendingState = .value
        switch kind {
        case .inferred, .declared(.text):
            return nil
        case .declared(.int64):
            guard let value = FieldParsers.parseInt64(bytes) else { return .notAnInteger }
            pendingBits = UInt64(bitPattern: value)
            return checkRange(Double(value))
        case .declared(.float64):
            guard let value = FieldParsers.parseDouble(bytes) else {
                if let marker = spec?.absentMarker, String(decoding: bytes, as: UTF8.self) == marker {
                    pendingState = .absentMarker
                    return nil
                }
                return .notANumber
            }
            pendingBits = value.bitPattern
            return checkRange(value)
        case .declared(.date), .declared(.timestamp):
            // Days in the low half, seconds into the day above them, and the top bit when a time was written.
            if let value = FieldParsers.parseDate(bytes) {
                pendingBits = UInt64(UInt32(bitPattern: value))
                return nil
            }
            guard let seconds = FieldParsers.parseTimestamp(bytes) else { return .notADate }
            let day = CivilDate.day(ofSeconds: seconds)
            pendingBits = UInt64(UInt32(bitPattern: day)) | UInt64(seconds - Int64(day) * 86_400) << 32 | 1 << 63
            return nil
        case .declared(.bool):
            guard let value = FieldParsers.parseBool(bytes) else { return .notABool }
            pendingBits = value ? 1 : 0
            return nil
        }
    }

    @inline(__always)
    private func checkRange(_ value: Double) -> FieldProblem? {
        if let range = allowedRange, !range.contains(value) { return .outOfRange(value, range) }
        if let range = uncheckedRange, !range.contains(value) { ruleBreaches += 1 }
        return nil
    }

    /// Each row's staged value and state in the batch being converted (`stageColumn` keeping
    /// them, `commitColumn` reading them back).
    @exclusivity(unchecked) private var batchBits = UnsafeMutablePointer<UInt64>.allocate(capacity: RecordBatchBuffer.capacity)
    @exclusivity(unchecked) private var batchStates = UnsafeMutablePointer<PendingState>.allocate(capacity: RecordBatchBuffer.capacity)

    deinit {
        batchBits.deallocate()
        batchStates.deallocate()
    }

    /// `stage` for field `column` of each record of `batch` whose `refused` flag is clear. A
    /// refusal sets the flag and is added to `refusals` (the columns of a batch are staged in
    /// column order, so each row keeps its first, as `LoadState.handle(_: RecordView)` finds
    /// it). With `keeping`, each row's staged value is kept for `commitColumn`.
    func stageColumn(_ batch: RecordBatch, column: Int, keeping: Bool, refused: UnsafeMutablePointer<Bool>,
                     refusals: inout [(row: Int, column: Int, problem: FieldProblem)]) {
        for row in 0..<batch.count where !refused[row] {
            if let problem = stage(batch.field(row, column)) {
                refused[row] = true
                refusals.append((row, column, problem))
            } else if keeping {
                batchBits[row] = pendingBits
                batchStates[row] = pendingState
            }
        }
    }

    /// `commit` for field `column` of the first `rows` records of `batch` whose `refused` flag is
    /// clear, from the values `stageColumn` kept; their validity goes into the bitmap a word at a time.
    func commitColumn(_ batch: RecordBatch, column: Int, rows: Int, refused: UnsafePointer<Bool>) {
        var valid: UInt64 = 0
        var held = 0
        for row in 0..<rows where !refused[row] {
            pendingBits = batchBits[row]
            pendingState = batchStates[row]
            if pendingState != .null { valid |= 1 << UInt64(held) }
            commitValue(batch.field(row, column))
            held += 1
            if held == 64 {
                validity.append(bits: valid, count: 64)
                valid = 0
                held = 0
            }
        }
        validity.append(bits: valid, count: held)
    }

    /// Appends the staged value (`bytes` again for text columns).
    @inline(__always)
    func commit(_ bytes: UnsafeRawBufferPointer) {
        validity.append(pendingState != .null)
        commitValue(bytes)
    }

    /// `commit` but for the validity bit.
    @inline(__always)
    private func commitValue(_ bytes: UnsafeRawBufferPointer) {
        let isAbsent = pendingState == .absentMarker
        let hasValue = pendingState != .null
        if hasAbsentMarker {
            absent.append(isAbsent)
            if isAbsent { absentCount += 1 }
        }
        switch kind {
        case .inferred, .declared(.text):
            if hasValue { commitText(bytes) } else { codes.append(0) }
        case .declared(.int64):
            ints.append(hasValue ? Int64(bitPattern: pendingBits) : 0)
        case .declared(.float64):
            // An absent test counts as 0 (DOMAIN.md §2.4); the absent flag keeps it apart.
            doubles.append(hasValue && !isAbsent ? Double(bitPattern: pendingBits) : 0)
        case .declared(.date), .declared(.timestamp):
            dates.append(hasValue ? Int32(bitPattern: UInt32(truncatingIfNeeded: pendingBits)) : 0)
            let seconds = hasValue ? Int32(pendingBits >> 32 & 0x1_FFFF) : 0
            if hasValue, pendingBits >> 63 == 1, times == nil { keepTimes(); times!.removeLast() }
            if times != nil { times!.append(seconds) }
        case .declared(.bool):
            bools.append(hasValue && pendingBits == 1)
        }
    }

    /// Appends a text cell's code. While the dictionary is small (its table in the processor's
    /// caches) the code is looked up at once. Once it is big (a column of ids: each lookup a cache
    /// miss), the cell is hashed, its slot asked for, and the cell copied aside; its code is
    /// looked up `WaitingText.depth` cells later, when the slot has arrived, and written into
    /// its row then. Cells are coded in row order either way, so codes keep their order of first
    /// appearance.
    @inline(__always)
    private func commitText(_ bytes: UnsafeRawBufferPointer) {
        guard dictionary.count >= WaitingText.minimumStrings, bytes.count <= WaitingText.maximumBytes else {
            flushWaiting()
            codes.append(dictionary.code(for: bytes))
            return
        }
        if !projected { projectDictionary() }
        let hash = TextDictionary.hash(bytes)
        dictionary.prefetchSlot(hash: hash)
        if waiting.count == WaitingText.depth { codeOldestWaiting() }
        waiting.push(bytes, hash: hash, row: codes.count)
        codes.append(0)
    }

    /// Once, when the dictionary turns big: room for the strings and bytes it will hold at the
    /// rate it grew so far over the rows still expected, so that its arrays are not copied at
    /// every doubling (each copy of a column of ids moves hundreds of megabytes; only address
    /// space is taken: pages never written are never backed), and its hash table at that size.
    /// The arrays take room for `roomRows` rows' strings, the table (its pages made at once)
    /// for `expectedRows`'.
    private func projectDictionary() {
        projected = true
        let rows = codes.count
        guard rows > 0, expectedRows > rows * 2 else { return }
        let margin = 1.05
        let roomScale = Double(roomRows) / Double(rows) * margin
        dictionary.reserveStorage(strings: Int(Double(dictionary.count) * roomScale),
                                  bytes: Int(Double(dictionary.byteCount) * roomScale))
        dictionary.reserveTable(strings: Int(Double(dictionary.count) * Double(expectedRows) / Double(rows) * margin))
    }

    /// Gives the oldest waiting cell its code.
    private func codeOldestWaiting() {
        let (bytes, hash, row) = waiting.oldest()
        codes[row] = dictionary.code(for: bytes, hash: hash)
        waiting.removeOldest()
    }

    /// Gives every waiting cell its code: before anything reads the codes or the dictionary.
    private func flushWaiting() {
        while waiting.count > 0 { codeOldestWaiting() }
    }

    /// Appends the rows `others` built from the chunks that follow this one's rows in the file.
    ///
    /// Text codes are translated into this dictionary, which takes each chunk's new strings in their
    /// order of first appearance, so the codes come out as a serial load would give them; empty
    /// cells keep code 0 as in a serial load.
    ///
    /// Room for all rows is made once, and each of `others` is emptied as soon as it is appended,
    /// so a merge holds little more than the finished column.
    func append(contentsOf others: [ColumnBuilder]) {
        flushWaiting()
        for other in others { other.flushWaiting() }
        reserve(rows: rowCount + others.reduce(0) { $0 + $1.rowCount })
        switch kind {
        case .declared(.text), .inferred: reserveDictionary(for: others)
        case .declared: break
        }
        for (index, other) in others.enumerated() {
            append(contentsOf: other, last: index == others.count - 1)
            other.release()
        }
    }

    /// Room for every string of `others` (an upper bound: strings they share are counted twice)
    /// in the arrays that hold them; the table grows as the merges need it.
    private func reserveDictionary(for others: [ColumnBuilder]) {
        dictionary.reserveStorage(strings: dictionary.count + others.reduce(0) { $0 + $1.dictionary.count },
                                  bytes: dictionary.byteCount + others.reduce(0) { $0 + $1.dictionary.byteCount })
    }

    /// `last`: the last chunk's rows, after which nothing inserts into the dictionary during the
    /// load (a big one may then leave its table unbuilt: `TextDictionary.absorb`).
    private func append(contentsOf other: ColumnBuilder, last: Bool) {
        validity.append(contentsOf: other.validity)
        if hasAbsentMarker {
            absent.append(contentsOf: other.absent)
            absentCount += other.absentCount
        }
        switch kind {
        case .inferred, .declared(.text):
            guard other.dictionary.count > 0 else {
                codes.append(contentsOf: other.codes)
                return
            }
            let translation = dictionary.absorb(other.dictionary, keepIndex: !last)
            let start = codes.count
            codes.append(contentsOf: other.codes)
            let hasEmptyCells = !other.validity.allSet
            codes.withUnsafeMutableBufferPointer { buffer in
                translation.withUnsafeBufferPointer { table in
                    for row in start..<buffer.count {
                        buffer[row] = table[Int(buffer[row])]
                    }
                }
                if hasEmptyCells {
                    for row in 0..<other.validity.count where !other.validity[row] { buffer[start + row] = 0 }
                }
            }
        case .declared(.int64): ints.append(contentsOf: other.ints)
        case .declared(.float64): doubles.append(contentsOf: other.doubles)
        case .declared(.date), .declared(.timestamp):
            if other.times != nil { keepTimes() }
            if times != nil { times!.append(contentsOf: other.times ?? [Int32](repeating: 0, count: other.dates.count)) }
            dates.append(contentsOf: other.dates)
        case .declared(.bool): bools.append(contentsOf: other.bools)
        }
    }

    /// The finished storage; inferred columns get their narrowest type here.
    func finish() -> (storage: ColumnStorage, validity: Bitmap) {
        flushWaiting()
        switch kind {
        case .declared(.int64): return (.int64(ints), validity)
        case .declared(.float64): return (.float64(doubles), validity)
        case .declared(.date), .declared(.timestamp):
            guard times != nil || { if case .declared(.timestamp) = kind { return true } else { return false } }() else {
                return (.date(dates), validity)
            }
            let seconds = times ?? [Int32](repeating: 0, count: dates.count)
            return (.timestamp(zip(dates, seconds).map { Int64($0) * 86_400 + Int64($1) }), validity)
        case .declared(.bool): return (.bool(bools), validity)
        case .declared(.text): return (.text(codes: codes, dictionary: dictionary), validity)
        case .inferred: return (inferStorage(), validity)
        }
    }

    /// Converts the dictionary to the narrowest type every distinct value fits.
    private func inferStorage() -> ColumnStorage {
        let distinct = dictionary.count
        // A column of nothing but empty cells stays text.
        if distinct == 0 { return .text(codes: codes, dictionary: dictionary) }
        if let values = mapDictionary(FieldParsers.parseInt64) {
            return .int64(codes.map { values[Int($0)] })
        }
        if let values = mapDictionary({ FieldParsers.isLongInteger($0) ? nil : FieldParsers.parseDouble($0) }) {
            return .float64(codes.map { values[Int($0)] })
        }
        if let values = mapDictionary(FieldParsers.parseDate) {
            return .date(codes.map { values[Int($0)] })
        }
        // Dates with times of day (a date alone is its midnight).
        if let values = mapDictionary(FieldParsers.parseDateTime) {
            return .timestamp(codes.map { values[Int($0)] })
        }
        if let values = mapDictionary(FieldParsers.parseBool) {
            return .bool(codes.map { values[Int($0)] })
        }
        return .text(codes: codes, dictionary: dictionary)
    }

    private func mapDictionary<T>(_ parse: (UnsafeRawBufferPointer) -> T?) -> [T]? {
        var values: [T] = []
        values.reserveCapacity(dictionary.count)
        for code in 0..<UInt32(dictionary.count) {
            guard let value = dictionary.withBytes(at: code, parse) else { return nil }
            values.append(value)
        }
        return values
    }
}

/// A ring of the text cells a `ColumnBuilder` has hashed but not yet coded, each copied into a
/// fixed place of its own (the parser's bytes are not kept: they may be a buffer it reuses).
struct WaitingText: ~Copyable {
    /// Cells in flight: enough to cover a fetch from memory at the rate cells come.
    static let depth = 8
    /// Longer cells are coded at once.
    static let maximumBytes = 128
    /// Strings a dictionary holds before its table outgrows the processor's caches (8 bytes a
    /// slot, at most half of them full).
    static let minimumStrings = 1 << 16

    private let bytes = UnsafeMutableRawPointer.allocate(byteCount: depth * maximumBytes, alignment: 64)
    /// Each place's hash, row and length in plain memory, and the ring itself held in its builder
    /// without exclusivity checks: as arrays in a class of its own, every write cost a retain, an
    /// exclusivity check and a uniqueness check, a twentieth of a load of ten million ids.
    private let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: depth)
    private let rows = UnsafeMutablePointer<Int>.allocate(capacity: depth)
    private let lengthOf = UnsafeMutablePointer<Int>.allocate(capacity: depth)
    private var head = 0
    private(set) var count = 0

    init() {
        hashes.initialize(repeating: 0, count: Self.depth)
        rows.initialize(repeating: 0, count: Self.depth)
        lengthOf.initialize(repeating: 0, count: Self.depth)
    }

    deinit {
        bytes.deallocate()
        hashes.deallocate()
        rows.deallocate()
        lengthOf.deallocate()
    }

    @inline(__always)
    mutating func push(_ cell: UnsafeRawBufferPointer, hash: UInt64, row: Int) {
        let place = (head + count) & (Self.depth - 1)
        if let source = cell.baseAddress { (bytes + place * Self.maximumBytes).copyMemory(from: source, byteCount: cell.count) }
        lengthOf[place] = cell.count
        hashes[place] = hash
        rows[place] = row
        count += 1
    }

    /// The oldest cell's bytes (valid until it is removed), hash and row.
    @inline(__always)
    func oldest() -> (UnsafeRawBufferPointer, UInt64, Int) {
        (UnsafeRawBufferPointer(start: bytes + head * Self.maximumBytes, count: lengthOf[head]), hashes[head], rows[head])
    }

    @inline(__always)
    mutating func removeOldest() {
        head = (head + 1) & (Self.depth - 1)
        count -= 1
    }

    mutating func removeAll() {
        head = 0
        count = 0
    }
}
