#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// Converts GB18030 and UTF-16 bytes to UTF-8 through the C library's iconv.
enum Transcoder {
    /// The offset of the first byte sequence that does not decode, or nil when all of it does.
    static func firstUndecodableOffset(_ bytes: UnsafeRawBufferPointer, from encoding: SourceEncoding) -> Int? {
        do {
            _ = try convert(bytes, from: encoding)
            return nil
        } catch let failure as ConversionFailure {
            return failure.offset
        } catch {
            return 0
        }
    }

    struct ConversionFailure: Error {
        var offset: Int
    }

    /// The UTF-8 bytes of `bytes` (after any byte-order mark the caller has stripped).
    ///
    /// - Throws: `ConversionFailure` with the offset of the first undecodable byte.
    static func convert(_ bytes: UnsafeRawBufferPointer, from encoding: SourceEncoding) throws -> [UInt8] {
        try convert(bytes, from: encoding.iconvName, to: "UTF-8")
    }

    /// UTF-8 bytes in GB18030 (for writing files Excel on Chinese Windows reads natively).
    static func gb18030(fromUTF8 bytes: UnsafeRawBufferPointer) throws -> [UInt8] {
        try convert(bytes, from: "UTF-8", to: "GB18030")
    }

    private static func convert(_ bytes: UnsafeRawBufferPointer, from source: String, to target: String) throws -> [UInt8] {
        let descriptor = iconv_open(target, source)
        guard let descriptor, descriptor != iconv_t(bitPattern: -1) else {
            throw ConversionFailure(offset: 0)
        }
        defer { iconv_close(descriptor) }
        // No conversion here more than doubles the size (GB18030 2 bytes -> UTF-8 3; UTF-16 2 -> 3).
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var produced = 0
        var consumedTotal = 0
        try output.withUnsafeMutableBytes { outBuffer in
            guard let inBase = bytes.baseAddress else { return }
            var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: inBase.assumingMemoryBound(to: CChar.self))
            var inLeft = bytes.count
            var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress!.assumingMemoryBound(to: CChar.self)
            var outLeft = outBuffer.count
            while inLeft > 0 {
                let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                if result == -1 {
                    consumedTotal = bytes.count - inLeft
                    throw ConversionFailure(offset: consumedTotal)
                }
            }
            produced = outBuffer.count - outLeft
        }
        output.removeSubrange(produced...)
        return output
    }
}

/// Encodings for files the program writes.
public enum OutputEncoding {
    /// Converts UTF-8 bytes to GB18030.
    ///
    /// - Throws: `PingchaError` (.internal) when the text cannot be represented, which for valid
    ///   UTF-8 does not happen: GB18030 covers all of Unicode.
    public static func gb18030(fromUTF8 bytes: UnsafeRawBufferPointer) throws -> [UInt8] {
        do {
            return try Transcoder.gb18030(fromUTF8: bytes)
        } catch {
            throw PingchaError(.internal, zh: "无法转换为 GB18030。", en: "cannot convert to GB18030.")
        }
    }
}
