extension Sequence where Element == UInt8 {
    /// The bytes as lower-case hexadecimal, two digits each (how SHA-256 digests are shown).
    public func hexEncodedString() -> String {
        var text = ""
        for byte in self {
            let hex = String(byte, radix: 16)
            text += byte < 16 ? "0" + hex : hex
        }
        return text
    }
}
