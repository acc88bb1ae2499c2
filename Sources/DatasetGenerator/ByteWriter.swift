#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// Writes CSV rows as bytes into a buffer that is flushed to disk at row boundaries, so memory
/// stays the same whatever the number of rows; GB18030 output is converted at each flush.
final class ByteWriter {
    private var buffer: [UInt8] = []
    private let descriptor: Int32
    private let path: String
    private let encoder: ((UnsafeRawBufferPointer) throws -> [UInt8])?
    private let lineEnd: [UInt8]
    private(set) var bytesWritten = 0
    private let flushThreshold = 1 << 20

    /// Opens `path` for writing (truncating it).
    init(path: String, crlf: Bool, byteOrderMark: Bool, encoder: ((UnsafeRawBufferPointer) throws -> [UInt8])?) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw PingchaError.cannotWrite(path)
        }
        self.path = path
        self.encoder = encoder
        lineEnd = crlf ? [0x0D, 0x0A] : [0x0A]
        buffer.reserveCapacity(flushThreshold + 4096)
        if byteOrderMark { buffer += [0xEF, 0xBB, 0xBF] }
    }

    deinit { close(descriptor) }

    @inline(__always) func comma() { buffer.append(0x2C) }

    /// Ends a row, flushing when the buffer is full.
    func endRow() throws {
        buffer += lineEnd
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Text that needs no quoting (no comma, quote or line break): the generator's own names.
    @inline(__always) func text(_ value: String) {
        var copy = value
        copy.withUTF8 { buffer.append(contentsOf: $0) }
    }

    /// Text quoted as RFC 4180 asks when it holds a comma, quote or line break.
    func quotedIfNeeded(_ value: String) {
        let needs = value.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        guard needs else { return text(value) }
        buffer.append(0x22)
        for byte in value.utf8 {
            if byte == 0x22 { buffer.append(0x22) }
            buffer.append(byte)
        }
        buffer.append(0x22)
    }

    /// A non-negative integer, zero-padded to `width` digits.
    @inline(__always) func integer(_ value: Int, width: Int = 0) {
        precondition(value >= 0)
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[count] = UInt8(rest % 10) + 0x30
                rest /= 10
                count += 1
            } while rest > 0
            while count < width {
                raw[count] = 0x30
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { buffer.append(raw[index]) }
        }
    }

    /// Tenths as a decimal with one place: 705 → `70.5`.
    @inline(__always) func tenths(_ value: Int) {
        integer(value / 10)
        buffer.append(0x2E)
        buffer.append(UInt8(value % 10) + 0x30)
    }

    /// A day number as `YYYY-MM-DD`.
    @inline(__always) func date(_ days: Int32) {
        let (year, month, day) = CivilDate.components(days: days)
        integer(year, width: 4)
        buffer.append(0x2D)
        integer(month, width: 2)
        buffer.append(0x2D)
        integer(day, width: 2)
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let bytes: [UInt8]
        if let encoder {
            bytes = try buffer.withUnsafeBytes { try encoder($0) }
        } else {
            bytes = buffer
        }
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 {
                    throw PingchaError(.internal, zh: "写入 \(path) 失败", en: "writing \(path) failed")
                }
                offset += written
            }
        }
        bytesWritten += bytes.count
        buffer.removeAll(keepingCapacity: true)
    }
}
