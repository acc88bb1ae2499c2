import Kernels
import Columnar
import Vocabulary

/// The state of one load while records stream in: header, schema, builders, rejects.
final class LoadState {
    let path: String
    let options: LoadOptions
    @exclusivity(unchecked) private(set) var headers: [String]?
    @exclusivity(unchecked) private var aliases: [[String]] = []
    @exclusivity(unchecked) private(set) var schema: ExportSchema?
    @exclusivity(unchecked) private var builders: [ColumnBuilder] = []
    /// The columns kept in the table (`LoadOptions.columns`); the others are checked, not stored.
    @exclusivity(unchecked) private var keptColumns: [Int] = []
    @exclusivity(unchecked) private var rejects: [RejectedRow] = []
    @exclusivity(unchecked) private(set) var firstError: PingchaError?
    @exclusivity(unchecked) private(set) var rowsLoaded = 0
    /// The builders and the kept columns' indexes as plain buffers for `handle`, made once the
    /// builders are known (they do not change while records come in).
    @exclusivity(unchecked) private var hotBuilders = UnsafeMutableBufferPointer<Unmanaged<ColumnBuilder>>(start: nil, count: 0)
    @exclusivity(unchecked) private var hotKept = UnsafeMutableBufferPointer<Int>(start: nil, count: 0)
    /// The columns whose fields are staged: the kept ones and those whose fields can be refused
    /// (`ColumnBuilder.checksFields`), in column order, so the first refusal is the same.
    @exclusivity(unchecked) private var hotStaged = UnsafeMutableBufferPointer<Int>(start: nil, count: 0)
    /// For each of `hotStaged`, whether its column is kept.
    @exclusivity(unchecked) private var hotStagedKept = UnsafeMutableBufferPointer<Bool>(start: nil, count: 0)
    /// A batch's rows refused so far, and the refusals (`handle(_: RecordBatch)`).
    @exclusivity(unchecked) private var batchRefused = UnsafeMutablePointer<Bool>.allocate(capacity: RecordBatchBuffer.capacity)
    @exclusivity(unchecked) private var batchRefusals: [(row: Int, column: Int, problem: ColumnBuilder.FieldProblem)] = []
    /// Value-rule breaches counted by builders no longer held (chunks absorbed).
    @exclusivity(unchecked) private var absorbedBreaches = 0
    /// Cells breaking a value rule that this load does not apply (`LoadOptions.valueRules` off).
    var ruleBreaches: Int { builders.reduce(absorbedBreaches) { $0 + $1.ruleBreaches } }
    @exclusivity(unchecked) private var rowLines: [Int32] = []
    /// Whether each row's line is kept: asked for (`LoadOptions.rowLines`), or the load fills
    /// the column cache, whose entry keeps them for the commands that name rows by line.
    private let keepsLines: Bool
    /// Places whose line is known (the readers' checkpoints, in the file's offsets and lines).
    @exclusivity(unchecked) var checkpoints: [LineCheckpoint] = []

    /// About how many rows the load will hold; the kept columns reserve room for them.
    private let expectedRows: Int

    init(path: String, options: LoadOptions, expectedRows: Int = 0) {
        self.path = path
        self.options = options
        self.expectedRows = expectedRows
        keepsLines = options.rowLines || options.cache != nil
    }

    /// A state for one chunk of the same file: the header already read, fresh builders. The
    /// kept columns' arrays make room for `roomForRows` rows (`ColumnBuilder.init`).
    init(chunkOf parent: LoadState, expectedRows: Int, roomForRows: Int = 0) {
        path = parent.path
        options = parent.options
        keepsLines = parent.keepsLines
        headers = parent.headers
        aliases = parent.aliases
        schema = parent.schema
        keptColumns = parent.keptColumns
        self.expectedRows = expectedRows
        let kept = Set(keptColumns)
        builders = parent.builders.indices.map { index in
            ColumnBuilder(kind: parent.builders[index].kind, spec: parent.builders[index].spec, valueRules: options.valueRules,
                          expectedRows: kept.contains(index) ? expectedRows : 0,
                          roomForRows: kept.contains(index) ? roomForRows : 0)
        }
        if keepsLines { rowLines.reserveCapacity(expectedRows) }
        prepareHotPath()
    }

    deinit {
        hotBuilders.deallocate()
        hotKept.deallocate()
        hotStaged.deallocate()
        hotStagedKept.deallocate()
        batchRefused.deallocate()
    }

    /// Makes `handle`'s buffers from the builders and the kept columns.
    private func prepareHotPath() {
        hotBuilders.deallocate()
        hotKept.deallocate()
        hotStaged.deallocate()
        hotBuilders = .allocate(capacity: builders.count)
        _ = hotBuilders.initialize(from: builders.map { Unmanaged.passUnretained($0) })
        hotKept = .allocate(capacity: keptColumns.count)
        _ = hotKept.initialize(from: keptColumns)
        let kept = Set(keptColumns)
        let staged = builders.indices.filter { kept.contains($0) || builders[$0].checksFields }
        hotStaged = .allocate(capacity: staged.count)
        _ = hotStaged.initialize(from: staged)
        hotStagedKept.deallocate()
        hotStagedKept = .allocate(capacity: staged.count)
        _ = hotStagedKept.initialize(from: staged.map { kept.contains($0) })
    }

    func handle(_ record: RecordView) {
        guard firstError == nil else { return }
        guard headers != nil else {
            readHeader(record)
            return
        }
        let expected = hotBuilders.count
        if record.fieldCount != expected {
            reject(record, column: nil, reason: LocalizedText(
                zh: "这一行有 \(record.fieldCount) 个字段，表头有 \(expected) 个。",
                en: "this row has \(record.fieldCount) fields; the header has \(expected)."))
            return
        }
        // The builders are reached unretained, through buffers made once (`prepareHotPath`): this
        // state holds them for the whole load, and a retain and release per field, or per record
        // for the arrays, were a tenth of a parallel load's time.
        var refused: (column: Int, problem: ColumnBuilder.FieldProblem)?
        for index in hotStaged {
            if let problem = hotBuilders[index]._withUnsafeGuaranteedRef({ $0.stage(record.field(index)) }) {
                refused = (index, problem)
                break
            }
        }
        if refused == nil {
            for index in hotKept {
                hotBuilders[index]._withUnsafeGuaranteedRef { $0.commit(record.field(index)) }
            }
        }
        if let refused {
            reject(record, column: refused.column + 1,
                   reason: describe(refused.problem, column: refused.column, value: record.string(refused.column)))
            return
        }
        if keepsLines { rowLines.append(Int32(truncatingIfNeeded: record.firstLine)) }
        rowsLoaded += 1
    }

    /// `handle` for each record of `batch`, in order, one column at a time: every staged column
    /// checks the batch's fields (in column order, so a row refused twice is refused for its
    /// first column), then the kept columns take the rows not refused. The table, the rejected
    /// rows and the first error are those of handing over the records one by one.
    func handle(_ batch: RecordBatch) {
        guard firstError == nil, headers != nil, batch.fieldCount == hotBuilders.count else {
            for row in 0..<batch.count { handle(batch.record(row)) }
            return
        }
        batchRefused.update(repeating: false, count: batch.count)
        batchRefusals.removeAll(keepingCapacity: true)
        for (index, column) in hotStaged.enumerated() {
            hotBuilders[column]._withUnsafeGuaranteedRef {
                $0.stageColumn(batch, column: column, keeping: hotStagedKept[index], refused: batchRefused, refusals: &batchRefusals)
            }
        }
        // Without recovery the load stops at the first refused row: the rows after it are not taken.
        var rows = batch.count
        if !batchRefusals.isEmpty {
            batchRefusals.sort { $0.row < $1.row }
            if !options.collectRejects { rows = batchRefusals[0].row }
        }
        for column in hotKept {
            hotBuilders[column]._withUnsafeGuaranteedRef { $0.commitColumn(batch, column: column, rows: rows, refused: batchRefused) }
        }
        if keepsLines {
            for row in 0..<rows where !batchRefused[row] {
                rowLines.append(Int32(truncatingIfNeeded: batch.lines[row]))
            }
        }
        rowsLoaded += rows - batchRefusals.lazy.filter { $0.row < rows }.count
        for refusal in batchRefusals {
            let record = batch.record(refusal.row)
            reject(record, column: refusal.column + 1,
                   reason: describe(refusal.problem, column: refusal.column, value: record.string(refusal.column)))
            if firstError != nil { break }
        }
    }

    private func readHeader(_ record: RecordView) {
        readHeader(fields: record.strings, line: record.firstLine)
    }

    /// Takes the header row's fields (read on its own before a parallel load).
    func readHeader(fields: [String], line: Int) {
        var names: [String] = []
        for (index, field) in fields.enumerated() {
            var name = field
            if name.isEmpty { name = "列\(index + 1)" }
            var candidate = name
            var suffix = 2
            while names.contains(candidate) {
                candidate = "\(name)_\(suffix)"
                suffix += 1
            }
            names.append(candidate)
        }
        headers = names
        if options.noSchema {
            schema = nil
        } else if let forced = options.schema {
            let missing = forced.missingRequired(in: names)
            if !missing.isEmpty {
                firstError = missingColumnsError(schema: forced, missing: missing, found: names, line: line)
                return
            }
            schema = forced
        } else {
            schema = ExportSchema.detect(headers: names)
        }
        for name in names {
            if let spec = schema?.spec(forHeader: name) {
                builders.append(ColumnBuilder(kind: .declared(spec.type), spec: spec, valueRules: options.valueRules, expectedRows: 0))
                aliases.append([spec.alias, spec.header].filter { $0 != name })
            } else if let numbered = schema?.numbered, let number = numbered.itemNumber(of: name) {
                let kind: ColumnBuilder.Kind = numbered.type.map { .declared($0) } ?? .inferred
                builders.append(ColumnBuilder(kind: kind, spec: nil, expectedRows: 0))
                aliases.append(["\(numbered.aliasPrefix)\(number)", "\(numbered.headerPrefix)\(number)"].filter { $0 != name })
            } else {
                builders.append(ColumnBuilder(kind: .inferred, spec: nil, expectedRows: 0))
                aliases.append([])
            }
        }
        // Columns with an absent marker are always kept: the load counts their absent cells.
        let named = Set(Column.indexes(named: options.columns, among: zip(names, aliases).map { ($0, $1) },
                                       missingKeepsAll: !options.columnsMayBeMissing))
        keptColumns = builders.indices.filter { named.contains($0) || builders[$0].spec?.absentMarker != nil }
        for index in keptColumns { builders[index].reserve(rows: expectedRows) }
        if keepsLines { rowLines.reserveCapacity(expectedRows) }
        prepareHotPath()
    }

    private func missingColumnsError(schema: ExportSchema, missing: [ExportSchema.ColumnSpec], found: [String], line: Int) -> PingchaError {
        PingchaError.missingRequiredColumns(path, line: line, schema: schema, missing: missing, found: found)
    }

    private func describe(_ problem: ColumnBuilder.FieldProblem, column: Int, value: String) -> LocalizedText {
        let name = headers?[column] ?? "\(column + 1)"
        switch problem {
        case .empty:
            return LocalizedText(zh: "「\(name)」不能为空。", en: "'\(name)' must not be empty.")
        case .notANumber:
            return LocalizedText(zh: "「\(name)」的值「\(value)」不是数字。", en: "'\(name)' value '\(value)' is not a number.")
        case .notAnInteger:
            return LocalizedText(zh: "「\(name)」的值「\(value)」不是整数。", en: "'\(name)' value '\(value)' is not a whole number.")
        case .notADate:
            return LocalizedText(
                zh: "「\(name)」的值「\(value)」不是有效日期（应写成 2022-06-15、2022/6/15 或 2022年6月15日）。",
                en: "'\(name)' value '\(value)' is not a valid date (write 2022-06-15, 2022/6/15 or 2022年6月15日).")
        case .notABool:
            return LocalizedText(zh: "「\(name)」的值「\(value)」应为 是 或 否（或 true、false）。",
                                 en: "'\(name)' value '\(value)' must be 是 or 否 (or true, false).")
        case .outOfRange(let number, let range):
            let upper = range.upperBound == .greatestFiniteMagnitude ? nil : Value.formatDouble(range.upperBound)
            let bounds = upper.map { "\(Value.formatDouble(range.lowerBound))–\($0)" } ?? "≥ \(Value.formatDouble(range.lowerBound))"
            return LocalizedText(
                zh: "「\(name)」为 \(Value.formatDouble(number))，超出允许范围 \(bounds)。",
                en: "'\(name)' is \(Value.formatDouble(number)), outside the allowed range \(bounds).")
        }
    }

    private func reject(_ record: RecordView, column: Int?, reason: LocalizedText) {
        if options.collectRejects {
            rejects.append(RejectedRow(path: path, firstLine: record.firstLine, lastLine: record.lastLine,
                                       column: column, reason: reason, raw: ""))
        } else {
            let hint = LocalizedText(zh: "（可用 --rejects 文件 把坏行另存后继续）", en: " (use --rejects FILE to set bad rows aside and go on)")
            firstError = PingchaError(.data, reason + hint, at: SourceLocation(path: path, line: record.firstLine, column: column))
        }
    }

    /// Sets aside a record the reader could not read (under recovery). A header that cannot be
    /// read stops the load all the same.
    func setAside(_ malformed: RecordReader.Malformed) {
        guard firstError == nil else { return }
        let failure = malformed.failure
        guard headers != nil else {
            firstError = PingchaError(.data, failure.message, at: SourceLocation(path: path, line: failure.line, column: failure.field))
            return
        }
        rejects.append(RejectedRow(path: path, firstLine: malformed.firstLine, lastLine: malformed.lastLine,
                                   column: failure.field, reason: failure.message, raw: "", failure: failure))
    }

    /// A reader feeding this state, recovering from malformed records when rejects are collected.
    /// The reader holds the state strongly (the state never holds a reader, so there is no
    /// cycle): an unowned reference would be made strong, and released, for every record.
    func makeReader(delimiter: UInt8) -> RecordReader {
        let reader = RecordReader(delimiter: delimiter, maxFieldBytes: options.maxFieldBytes, recover: options.collectRejects,
                     fastPath: options.parser == .vectorised, malformed: { self.setAside($0) }, handler: { self.handle($0) })
        reader.batchHandler = { self.handle($0) }
        return reader
    }

    /// Takes what `reader` (made by `makeReader`) kept beside the records: its checkpoints, and
    /// its counts, returned.
    func adopt(_ reader: RecordReader) -> ReadTally {
        checkpoints = reader.checkpoints
        var tally = ReadTally()
        tally += reader
        return tally
    }

    /// The error a parse that ended with `failure` (nil: no quoting or size error) reports: the
    /// earlier of that failure and the first bad row, with `shift` added to their lines (a
    /// chunk's lines are counted from its first byte).
    func firstError(after failure: RecordReader.Failure?, shift: Int = 0) -> PingchaError? {
        var shifted = firstError
        shifted?.location?.line += shift
        guard var failure else { return shifted }
        failure.shift(by: shift)
        if let shifted, shifted.location?.line ?? .max < failure.line { return shifted }
        return PingchaError(.data, failure.message, at: SourceLocation(path: path, line: failure.line, column: failure.field))
    }

    /// Appends the rows of `chunks`, which follow this state's rows in the file in that order;
    /// `lineShifts` turn each chunk's line numbers (counted from its first byte) into the file's.
    ///
    /// Columns are merged concurrently, each by its own task. When this state holds no rows yet,
    /// the first chunk's columns are taken over rather than copied.
    func absorb(_ chunks: [LoadState], lineShifts: [Int], offsetShifts: [Int], width: Int) {
        let hadRows = rowsLoaded > 0
        let breaches = chunks.reduce(ruleBreaches) { $0 + $1.ruleBreaches }
        let total = rowsLoaded + chunks.reduce(0) { $0 + $1.rowsLoaded }
        if keepsLines { rowLines.reserveCapacity(total) }
        for (chunk, (shift, offsetShift)) in zip(chunks, zip(lineShifts, offsetShifts)) {
            checkpoints += chunk.checkpoints.map { LineCheckpoint(offset: $0.offset + offsetShift, line: $0.line + shift) }
            let delta = Int32(truncatingIfNeeded: shift)
            if keepsLines { rowLines.append(contentsOf: chunk.rowLines.lazy.map { $0 &+ delta }) }
            for var reject in chunk.rejects {
                reject.shift(by: shift)
                rejects.append(reject)
            }
            rowsLoaded += chunk.rowsLoaded
        }
        // Each chunk's column is given back as soon as it is copied.
        var appended = chunks[...]
        if !hadRows, let first = appended.popFirst() {
            builders = first.builders
            prepareHotPath()
        }
        absorbedBreaches = breaches - builders.reduce(0) { $0 + $1.ruleBreaches }
        let kept = keptColumns
        let mine = builders
        let theirs = appended.map(\.builders)
        ConcurrentTasks(kept.count, width: width).run { task in
            let column = kept[task]
            mine[column].append(contentsOf: theirs.map { $0[column] })
        }
    }

    /// Builds the table and fills in the rejected rows' text.
    func finish(encoding: SourceEncoding, delimiter: UInt8, sha256: String, tally: ReadTally, text: UnsafeRawBufferPointer,
                chunks: Int = 1) -> LoadedTable {
        var columns: [Column] = []
        var absentTotal = 0
        for index in keptColumns {
            let builder = builders[index]
            let (storage, validity) = builder.finish()
            columns.append(Column(name: headers![index], aliases: aliases[index], storage: storage, validity: validity))
            if builder.spec?.absentMarker != nil {
                absentTotal += builder.absentCount
                columns.append(Column(name: builder.spec!.absentMarker!, aliases: ["absent"],
                                      storage: .bool((0..<builder.absent.count).map { builder.absent[$0] })))
            }
        }
        // Rejects come in file order: each search starts from the previous one's line at the latest.
        var previous: LineCheckpoint?
        for index in rejects.indices {
            let first = rejects[index].firstLine
            if let range = LineIndex.lines(first, through: rejects[index].lastLine, in: text, checkpoints: checkpoints, hint: previous) {
                rejects[index].raw = String(decoding: UnsafeRawBufferPointer(rebasing: text[range]), as: UTF8.self)
                previous = LineCheckpoint(offset: range.lowerBound, line: first)
            }
        }
        let table = Table(columns: columns, rowCount: rowsLoaded)
        let source = SourceInfo(path: path, sha256: sha256, encoding: encoding, rows: rowsLoaded, rejected: rejects.count,
                                blankLines: tally.blankLines, textQuotes: tally.textQuotes, excelFormulas: tally.excelFormulas,
                                delimiter: delimiter, absent: absentTotal, schema: schema?.name, parsedChunks: chunks)
        var loaded = LoadedTable(table: table, source: source, schema: schema, rejects: rejects, lines: rowLines, ruleBreaches: ruleBreaches)
        let kept = Set(keptColumns)
        let names = headers ?? []
        loaded.omittedColumns = names.indices.filter { !kept.contains($0) }.map { ColumnLabel(name: names[$0], aliases: aliases[$0]) }
        return loaded
    }
}
