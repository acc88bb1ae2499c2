/// A small streaming scanner for the XML inside a workbook (SpreadsheetML): start tags with
/// their attributes, end tags, and the text between them, entities decoded. No DTD, no
/// namespaces resolved (a prefix stays part of the name), comments, processing instructions and
/// CDATA skipped or taken as text. Input comes in chunks of any size; markup cut by a chunk's end
/// is carried to the next.
struct XMLScanner {
    enum Event {
        /// A start tag (`selfClosing` for `<x/>`), its name and raw attribute text.
        case start(name: UnsafeRawBufferPointer, attributes: UnsafeRawBufferPointer, selfClosing: Bool)
        case end(name: UnsafeRawBufferPointer)
        /// Raw text between tags (entities not yet decoded: `XMLScanner.decode`).
        case text(UnsafeRawBufferPointer)
    }

    private var carry: [UInt8] = []

    /// Feeds a chunk; `handle` sees each complete event in order. Returns false when `handle` asks to stop.
    @discardableResult
    mutating func feed(_ chunk: UnsafeRawBufferPointer, final: Bool = false, _ handle: (Event) throws -> Bool) rethrows -> Bool {
        if carry.isEmpty {
            let consumed = try scan(chunk, final: final, handle)
            guard let consumed else { return false }
            carry = Array(chunk[consumed...])
        } else {
            carry.append(contentsOf: chunk)
            var buffer: [UInt8] = []
            swap(&buffer, &carry)
            let result = try buffer.withUnsafeBytes { bytes -> Int? in try scan(bytes, final: final, handle) }
            guard let consumed = result else { return false }
            carry = Array(buffer[consumed...])
        }
        return true
    }

    /// Scans complete markup in `bytes`; returns how far it got (the rest is an unfinished tag or
    /// text whose end is not known yet), or nil when `handle` asked to stop.
    private func scan(_ bytes: UnsafeRawBufferPointer, final: Bool, _ handle: (Event) throws -> Bool) rethrows -> Int? {
        var position = 0
        let count = bytes.count
        while position < count {
            if bytes[position] != 0x3C {  // text up to the next '<'
                var end = position
                while end < count && bytes[end] != 0x3C { end += 1 }
                if end == count && !final { return position }
                if try !handle(.text(UnsafeRawBufferPointer(rebasing: bytes[position..<end]))) { return nil }
                position = end
                continue
            }
            // Markup: find its end.
            if position + 1 < count, bytes[position + 1] == 0x21 {  // <!-- -->, <![CDATA[ ]]>, <!DOCTYPE>
                let isCData = position + 9 <= count && Array(bytes[(position + 2)..<(position + 9)]) == Array("[CDATA[".utf8)
                let closer: [UInt8] = isCData ? Array("]]>".utf8) : (position + 4 <= count && bytes[position + 2] == 0x2D ? Array("-->".utf8) : [0x3E])
                guard let end = Self.find(closer, in: bytes, from: position + 2) else { return final ? count : position }
                if isCData, try !handle(.text(UnsafeRawBufferPointer(rebasing: bytes[(position + 9)..<end]))) { return nil }
                position = end + closer.count
                continue
            }
            var end = position + 1
            var quote: UInt8 = 0
            while end < count {
                let byte = bytes[end]
                if quote != 0 {
                    if byte == quote { quote = 0 }
                } else if byte == 0x22 || byte == 0x27 {
                    quote = byte
                } else if byte == 0x3E {
                    break
                }
                end += 1
            }
            if end >= count { return final ? count : position }
            let inner = UnsafeRawBufferPointer(rebasing: bytes[(position + 1)..<end])
            position = end + 1
            guard let first = inner.first else { continue }
            if first == 0x3F { continue }  // <?xml ...?>
            if first == 0x2F {  // </name>
                var nameEnd = 1
                while nameEnd < inner.count && !Self.isSpace(inner[nameEnd]) { nameEnd += 1 }
                if try !handle(.end(name: UnsafeRawBufferPointer(rebasing: inner[1..<nameEnd]))) { return nil }
                continue
            }
            let selfClosing = inner.last == 0x2F
            let body = selfClosing ? UnsafeRawBufferPointer(rebasing: inner[0..<(inner.count - 1)]) : inner
            var nameEnd = 0
            while nameEnd < body.count && !Self.isSpace(body[nameEnd]) { nameEnd += 1 }
            let name = UnsafeRawBufferPointer(rebasing: body[0..<nameEnd])
            if try !handle(.start(name: name, attributes: UnsafeRawBufferPointer(rebasing: body[nameEnd...]), selfClosing: selfClosing)) {
                return nil
            }
        }
        return position
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func find(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0] {
                var matched = true
                for offset in 1..<needle.count where bytes[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    /// The raw value of attribute `name` in a start tag's attribute text, if present.
    static func attribute(_ name: String, in attributes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        let key = Array(name.utf8)
        var index = 0
        let count = attributes.count
        while index < count {
            while index < count && isSpace(attributes[index]) { index += 1 }
            let nameStart = index
            while index < count && attributes[index] != 0x3D && !isSpace(attributes[index]) { index += 1 }
            let nameEnd = index
            while index < count && (isSpace(attributes[index]) || attributes[index] == 0x3D) { index += 1 }
            guard index < count else { return nil }
            let quote = attributes[index]
            guard quote == 0x22 || quote == 0x27 else { return nil }
            let valueStart = index + 1
            index = valueStart
            while index < count && attributes[index] != quote { index += 1 }
            let value = UnsafeRawBufferPointer(rebasing: attributes[valueStart..<min(index, count)])
            index += 1
            if nameEnd - nameStart == key.count && key.withUnsafeBytes({ $0.elementsEqual(attributes[nameStart..<nameEnd]) }) {
                return value
            }
        }
        return nil
    }

    static func equals(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        let other = UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        return bytes.elementsEqual(other)
    }

    /// The bytes with XML's entities and character references replaced.
    static func decode(_ bytes: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        guard bytes.contains(0x26) else {
            output.append(contentsOf: bytes)
            return
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 0x26, let semicolon = (index + 1..<min(bytes.count, index + 12)).first(where: { bytes[$0] == 0x3B }) else {
                output.append(byte)
                index += 1
                continue
            }
            let entity = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(index + 1)..<semicolon]), as: UTF8.self)
            var scalar: Unicode.Scalar?
            switch entity {
            case "amp": scalar = "&"
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init)
                }
            }
            guard let scalar else {
                output.append(byte)
                index += 1
                continue
            }
            output.append(contentsOf: Array(String(Character(scalar)).utf8))
            index = semicolon + 1
        }
    }

    static func decodedString(_ bytes: UnsafeRawBufferPointer) -> String {
        var output: [UInt8] = []
        decode(bytes, into: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
