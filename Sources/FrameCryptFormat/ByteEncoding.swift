/// Hex and base64 text for byte strings: key material and vector files use both.
public enum ByteEncoding {
    /// Lower-case hex of `bytes`.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        String(decoding: hexDigits(of: bytes), as: UTF8.self)
    }

    /// Lower-case hex digits of `bytes` as ASCII bytes (for text that must stay in wiped storage).
    public static func hexDigits(of bytes: some Sequence<UInt8>) -> [UInt8] {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }

    /// Standard padded base64 (RFC 4648 §4) of `bytes` as ASCII bytes.
    public static func base64Symbols(of bytes: [UInt8]) -> [UInt8] {
        let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var group: UInt32 = 0
            for (offset, byte) in chunk.enumerated() {
                group |= UInt32(byte) << UInt32(16 - 8 * offset)
            }
            for position in 0..<4 {
                text.append(
                    position <= chunk.count
                        ? alphabet[Int(group >> UInt32(18 - 6 * position) & 0x3F)] : UInt8(ascii: "=")
                )
            }
            index += 3
        }
        return text
    }

    /// The bytes of a hex string (either case, even length, no separators); nil if it is not one.
    public static func bytes(hex text: String) -> [UInt8]? {
        bytes(hexDigits: Array(text.utf8))
    }

    /// The bytes of hex digits given as ASCII bytes; nil if they are not hex.
    public static func bytes(hexDigits utf8: [UInt8]) -> [UInt8]? {
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = hexValue(utf8[index]), let low = hexValue(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// The bytes of standard base64 (RFC 4648 §4, `=` padding optional, no line breaks); nil if the
    /// text is not base64.
    public static func bytes(base64 text: String) -> [UInt8]? {
        bytes(base64Symbols: Array(text.utf8))
    }

    /// The bytes of base64 given as ASCII bytes; nil if they are not base64.
    public static func bytes(base64Symbols text: [UInt8]) -> [UInt8]? {
        var symbols = text
        while symbols.last == UInt8(ascii: "=") {
            symbols.removeLast()
        }
        guard symbols.count % 4 != 1, text.count - symbols.count <= 2 else { return nil }
        var bytes: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for symbol in symbols {
            guard let value = base64Value(symbol) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func base64Value(_ symbol: UInt8) -> UInt8? {
        switch symbol {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): symbol - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): symbol - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): symbol - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
