import Kernels
import Columnar

extension VectorKernels {
    /// CAST of a vector: text converted once per distinct string (by `Binder.cast`, the one
    /// conversion rule), numbers and dates on their storage; a value that does not convert is null.
    static func cast(_ operand: Vector, to type: DataType, rowCount: Int) -> Vector {
        lifted([operand], rowCount: rowCount) { inputs, count in
            let source = inputs[0].materialized(rowCount: count)
            if source.dataType == type || source.dataType == nil { return source }
            switch (source, type) {
            case (.text(let codes, let dictionary, let validity), _):
                let perCode = Vector.from((0..<UInt32(dictionary.count)).map { Binder.cast(.text(dictionary.string(at: $0)), to: type) })
                return perCode.dataType == nil ? .nulls(type, rowCount: count) : perCode.gathered(codes.rebound(to: Int32.self), validity: validity, as: type)
            case (_, .text):
                let (codes, dictionary, validity) = source.textCodes { Binder.cast($0, to: .text).plainText }
                return .text(codes, dictionary, validity)
            case (.int64(let values, let validity), .float64):
                return .float64(values.map(Double.init), validity)
            case (.float64(let values, let validity), .int64):
                var valid = [Bool](repeating: true, count: count)
                var result = [Int64](repeating: 0, count: count)
                for row in 0..<count {
                    if values[row].isFinite { result[row] = Int64(values[row].rounded(.toNearestOrEven)) } else { valid[row] = false }
                }
                return .int64(result, bothValid(validity, nullMask(valid)))
            case (.timestamp(let values, let validity), .date):
                return .date(values.map(CivilDate.day(ofSeconds:)), validity)
            case (.date(let values, let validity), .timestamp):
                return .timestamp(values.map { Int64($0) * 86_400 }, validity)
            default:
                // Booleans to and from numbers: few rows in practice, value by value.
                return Vector.from((0..<count).map { Binder.cast(source.value(at: $0), to: type) }, as: type)
            }
        }
    }

    /// year, month, quarter or day of a date (a timestamp's date part; text read as a date).
    static func datePart(_ name: String, _ operand: Vector, rowCount: Int) -> Vector {
        lifted([operand], rowCount: rowCount) { inputs, count in
            guard case .date(let days, let validity) = cast(inputs[0], to: .date, rowCount: count).materialized(rowCount: count) else {
                return .nulls(.int64, rowCount: count)
            }
            let parts: [Int64] = days.withUnsafeBufferPointer { days in
                filled(count) { rows, result in
                    for row in rows {
                        let (year, month, dayOfMonth) = CivilDate.components(days: days[row])
                        switch name {
                        case "year": result[row] = Int64(year)
                        case "month": result[row] = Int64(month)
                        case "quarter": result[row] = Int64((month - 1) / 3 + 1)
                        default: result[row] = Int64(dayOfMonth)
                        }
                    }
                }
            }
            return .int64(parts, validity)
        }
    }

    /// date_diff('day' | 'month' | 'year', a, b): whole days, calendar months or years from a to b.
    static func dateDifference(unit: Vector, _ start: Vector, _ end: Vector, rowCount: Int) -> Vector {
        lifted([unit, start, end], rowCount: rowCount) { inputs, count in
            guard case .date(let a, let aValid) = cast(inputs[1], to: .date, rowCount: count).materialized(rowCount: count),
                  case .date(let b, let bValid) = cast(inputs[2], to: .date, rowCount: count).materialized(rowCount: count) else {
                return .nulls(.int64, rowCount: count)
            }
            var valid = [Bool](repeating: true, count: count)
            var result = [Int64](repeating: 0, count: count)
            let units = inputs[0]
            for row in 0..<count {
                guard case .text(let text) = units.value(at: row) else { valid[row] = false; continue }
                let (ya, ma, _) = CivilDate.components(days: a[row]), (yb, mb, _) = CivilDate.components(days: b[row])
                switch text.lowercased() {
                case "day", "days", "d": result[row] = Int64(b[row]) - Int64(a[row])
                case "month", "months": result[row] = Int64((yb - ya) * 12 + mb - ma)
                case "year", "years": result[row] = Int64(yb - ya)
                default: valid[row] = false
                }
            }
            return .int64(result, bothValid(bothValid(aValid, bValid), nullMask(valid)))
        }
    }

    /// abs, floor or ceil of a number, in its own type.
    static func rounding(_ name: String, _ operand: Vector, rowCount: Int) -> Vector {
        lifted([operand], rowCount: rowCount) { inputs, count in
            switch inputs[0].materialized(rowCount: count) {
            case .int64(let values, let validity):
                return .int64(name == "abs" ? ColumnBuffer(values.map { $0 == .min ? $0 : abs($0) }) : values, validity)
            case .float64(let values, let validity):
                switch name {
                case "abs": return .float64(values.map { abs($0) }, validity)
                case "floor": return .float64(values.map { $0.rounded(.down) }, validity)
                default: return .float64(values.map { $0.rounded(.up) }, validity)
                }
            default:
                return .constant(.null)
            }
        }
    }

    /// round(x[, places]): half away from zero at `places` decimals (negative: tens, hundreds).
    static func round(_ operand: Vector, places: Vector?, rowCount: Int) -> Vector {
        lifted([operand] + (places.map { [$0] } ?? []), rowCount: rowCount) { inputs, count in
            switch inputs[0].materialized(rowCount: count) {
            case .int64(let values, let validity):
                return .int64(values, validity)
            case .float64(let values, let validity):
                var result = [Double](repeating: 0, count: count)
                for row in 0..<count {
                    var digits = 0
                    if inputs.count > 1, case .int(let value) = inputs[1].value(at: inputs[1].isConstant ? 0 : row) { digits = Int(value) }
                    var scale = 1.0
                    for _ in 0..<min(abs(digits), 400) { scale *= 10 }
                    let x = values[row]
                    result[row] = digits >= 0 ? (x * scale).rounded(.toNearestOrAwayFromZero) / scale
                        : (x / scale).rounded(.toNearestOrAwayFromZero) * scale
                }
                return .float64(result, validity)
            default:
                return .constant(.null)
            }
        }
    }

    /// length, lower or upper of text (other values as CAST to text writes them), once per distinct string.
    static func text(_ name: String, _ operand: Vector, rowCount: Int) -> Vector {
        lifted([operand], rowCount: rowCount) { inputs, count in
            guard case .text(let codes, let dictionary, let validity) = cast(inputs[0], to: .text, rowCount: count).materialized(rowCount: count)
            else { return .nulls(name == "length" ? .int64 : .text, rowCount: count) }
            if name == "length" {
                let lengths = (0..<UInt32(dictionary.count)).map { Int64(dictionary.string(at: $0).count) }
                return .int64(codes.map { lengths[Int($0)] }, validity)
            }
            var mapped = TextDictionary()
            let translation = (0..<UInt32(dictionary.count)).map { code -> UInt32 in
                let text = dictionary.string(at: code)
                return mapped.code(for: name == "lower" ? text.lowercased() : text.uppercased())
            }
            return .text(codes.map { translation[Int($0)] }, mapped, validity)
        }
    }
}

extension NarrowColumn {
    /// The values at `rows`, held as narrow as these (a -1 gives 0: the gathered column's
    /// validity makes that row null).
    func gathered(_ rows: ColumnBuffer<Int32>) -> NarrowColumn {
        let values: NarrowValues = switch self.values {
        case .codes8(let codes): .codes8(ColumnBuffer(Vector.picked(codes, at: rows, zero: 0)))
        case .codes16(let codes): .codes16(ColumnBuffer(Vector.picked(codes, at: rows, zero: 0)))
        case .offsets8(let base, let offsets): .offsets8(base: base, ColumnBuffer(Vector.picked(offsets, at: rows, zero: 0)))
        case .offsets16(let base, let offsets): .offsets16(base: base, ColumnBuffer(Vector.picked(offsets, at: rows, zero: 0)))
        case .offsets32(let base, let offsets): .offsets32(base: base, ColumnBuffer(Vector.picked(offsets, at: rows, zero: 0)))
        case .hundredths(let values): .hundredths(ColumnBuffer(Vector.picked(values, at: rows, zero: 0)))
        }
        return NarrowColumn(values: values, dictionary: dictionary)
    }
}

extension Vector {
    /// The vector's values at `rows` (a row number of -1 gives null).
    public func gathered(_ rows: [Int32]) -> Vector {
        gathered(ColumnBuffer(rows), validity: nil, as: dataType)
    }

    /// The same for rows held in a column buffer (group ids read in place, say).
    func gathered(_ rows: ColumnBuffer<Int32>) -> Vector {
        gathered(rows, validity: nil, as: dataType)
    }

    /// The vector's values at `rows` (-1, or a row invalid in `validity`, gives null), typed as `type`.
    func gathered(_ rows: ColumnBuffer<Int32>, validity rowValidity: Bitmap?, as type: DataType?) -> Vector {
        let count = rows.count
        if case .constant(let value) = self {
            guard let type, !value.isNull else { return .constant(.null) }
            let hasMissing = rowValidity != nil || rows.contains(-1)
            guard hasMissing else { return .constant(value) }
            var builder = VectorBuilder(type: type, rowCount: count, sources: [self])
            for row in 0..<count where rows[row] >= 0 && (rowValidity?[row] ?? true) { builder.take(row, from: 0) }
            return builder.build()
        }
        let mask = Vector.gatheredNulls(rows, rowValidity: rowValidity, sourceValidity: validity)
        func pick<T>(_ values: ColumnBuffer<T>, _ zero: T) -> [T] { Vector.picked(values, at: rows, zero: zero) }
        switch self {
        case .int64(let values, _): return .int64(pick(values, 0), mask)
        case .float64(let values, _): return .float64(pick(values, 0), mask)
        case .date(let values, _): return .date(pick(values, 0), mask)
        case .timestamp(let values, _): return .timestamp(pick(values, 0), mask)
        case .text(let codes, let dictionary, _): return .text(pick(codes, 0), dictionary, mask)
        case .bool(let values):
            return .bool((0..<count).map { row in (mask?[row] ?? true) ? values[Int(rows[row])] : 2 })
        case .constant:
            return self
        }
    }

    /// The nulls of values gathered at `rows`: a row of -1, a row invalid in `rowValidity`, or
    /// one whose source is invalid in `sourceValidity` (looked for row by row only when a bitmap
    /// or a -1 can make one); nil for none. Ranges of words run on every core when there are
    /// many rows (each row's bit a read at a scattered place, as a gather's).
    static func gatheredNulls(_ rows: ColumnBuffer<Int32>, rowValidity: Bitmap?, sourceValidity: Bitmap?) -> Bitmap? {
        guard rowValidity != nil || sourceValidity != nil || rows.withUnsafeBufferPointer({ $0.contains { $0 < 0 } }) else { return nil }
        // A word of 64 rows at a time, each row's bit read from the source's word.
        let count = rows.count
        let words: [UInt64] = rows.withUnsafeBufferPointer { rows in
            Bitmap.withWords(of: sourceValidity) { source in
                Bitmap.withWords(of: rowValidity) { picked in
                    VectorKernels.filled((count + 63) >> 6, parallelFrom: VectorKernels.parallelGatherRows >> 6) { range, words in
                        for word in range {
                            let base = word << 6
                            var bits: UInt64 = 0
                            for offset in 0..<min(64, count - base) {
                                let row = Int(rows[base &+ offset])
                                let valid = row >= 0 && (source.map { Bitmap.isSet($0, row) } ?? true)
                                bits |= (valid ? 1 : 0) &<< UInt64(offset)
                            }
                            words[word] = picked.map { bits & $0[word] } ?? bits
                        }
                    }
                }
            }
        }
        let bitmap = Bitmap(words: words, count: count)!
        return bitmap.allSet ? nil : bitmap
    }

    /// The value at each of `rows` (a -1 gives `zero`), on every core when there are many.
    static func picked<T: BitwiseCopyable>(_ values: ColumnBuffer<T>, at rows: ColumnBuffer<Int32>, zero: T) -> [T] {
        values.withUnsafeBufferPointer { input in
            rows.withUnsafeBufferPointer { rows in
                VectorKernels.filled(rows.count, parallelFrom: VectorKernels.parallelGatherRows) { range, output in
                    for row in range { output[row] = rows[row] >= 0 ? input[Int(rows[row])] : zero }
                }
            }
        }
    }


    /// A typed vector from row values, as `type` (all null gives nulls of that type).
    static func from(_ values: [Value], as type: DataType) -> Vector {
        let built = from(values)
        return built.dataType == nil ? .nulls(type, rowCount: values.count) : built
    }
}
