internal import COpenSSL

/// A failure of the crypto layer. Messages never contain key bytes.
public struct CryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed, in a few words (`"PBKDF2 derivation"`, `"AES-GCM key setup"`).
    public let operation: String
    /// Why, from OpenSSL's error queue or from framecrypt's own checks.
    public let reason: String

    public var description: String {
        "\(operation) failed: \(reason)"
    }

    /// A key of a length AES-GCM has no variant for.
    static func unsupportedKeyLength(_ length: Int) -> CryptoError {
        CryptoError(operation: "AES-GCM key setup", reason: "a \(length)-byte key; AES-GCM needs 16 or 32 bytes")
    }

    /// Builds the error from everything on OpenSSL's error queue for this thread, emptying it.
    static func openSSL(_ operation: String) -> CryptoError {
        var entries: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            entries.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return CryptoError(
            operation: operation,
            reason: entries.isEmpty ? "no detail from OpenSSL" : entries.joined(separator: "; ")
        )
    }
}

/// Runs an OpenSSL call that returns 1 on success and throws its drained error queue otherwise.
func check(_ result: Int32, _ operation: @autoclosure () -> String) throws {
    guard result == 1 else { throw CryptoError.openSSL(operation()) }
}
