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
        let descriptor = iconv_open("UTF-8", encoding.iconvName)
        guard let descriptor, descriptor != iconv_t(bitPattern: -1) else {
            throw ConversionFailure(offset: 0)
        }
        defer { iconv_close(descriptor) }
        // GB18030 grows at most to 2x in UTF-8 (2 bytes -> 3, 4 -> 4); UTF-16 at most 1.5x.
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
