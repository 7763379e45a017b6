/// Key material as a user writes it: UTF-8 text (what the SDKs' `setKey("…")` uses), hex or base64.
public enum KeyMaterialSpec: Sendable {
    case text(String)
    case hex(String)
    case base64(String)

    /// Why key material could not be decoded. The messages never repeat the material.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case empty
        case invalidHex
        case invalidBase64

        public var description: String {
            switch self {
            case .empty: "key material is empty"
            case .invalidHex: "key material is not valid hex (an even number of 0-9, a-f digits)"
            case .invalidBase64: "key material is not valid base64"
            }
        }
    }

    /// The material's bytes. The caller should move them into wiped storage at once.
    ///
    /// - Throws: ``Failure`` for empty material or text that is not valid in its encoding.
    public func decodedBytes() throws(Failure) -> [UInt8] {
        let bytes: [UInt8]?
        switch self {
        case .text(let text): bytes = Array(text.utf8)
        case .hex(let text): bytes = ByteEncoding.bytes(hex: text)
        case .base64(let text): bytes = ByteEncoding.bytes(base64: text)
        }
        guard let bytes else {
            if case .hex = self { throw .invalidHex }
            throw .invalidBase64
        }
        guard !bytes.isEmpty else { throw .empty }
        return bytes
    }
}
