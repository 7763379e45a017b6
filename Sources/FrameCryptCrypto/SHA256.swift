internal import COpenSSL

/// SHA-256 digests, for pinned payload digests and key fingerprints.
public enum SHA256 {
    /// The 32-byte SHA-256 digest of `bytes`.
    ///
    /// - Throws: ``CryptoError`` if OpenSSL fails.
    public static func digest(_ bytes: [UInt8]) throws -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        try check(EVP_Digest(bytes, bytes.count, &digest, &length, EVP_sha256(), nil), "SHA-256")
        return digest
    }

    /// The SHA-256 digest of secret bytes, read in place so that no copy of them is made.
    ///
    /// - Throws: ``CryptoError`` if OpenSSL fails.
    public static func digest(_ secret: SecretBytes) throws -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        try secret.withUnsafeBytes { bytes in
            try check(EVP_Digest(bytes.baseAddress, bytes.count, &digest, &length, EVP_sha256(), nil), "SHA-256")
        }
        return digest
    }

    /// The SHA-256 digest of several secrets one after another, each read in place.
    ///
    /// - Throws: ``CryptoError`` if OpenSSL fails.
    public static func digest(concatenating secrets: [SecretBytes]) throws -> [UInt8] {
        let hasher = try Hasher()
        for secret in secrets {
            try secret.withUnsafeBytes { try hasher.update($0) }
        }
        return try hasher.finish()
    }
}

extension SHA256 {
    /// A SHA-256 digest fed piece by piece, for files too large to hold in memory at once.
    public final class Hasher {
        private let context: OpaquePointer

        /// - Throws: ``CryptoError`` if OpenSSL cannot start a digest.
        public init() throws {
            guard let context = EVP_MD_CTX_new() else { throw CryptoError.openSSL("SHA-256") }
            self.context = context
            do {
                try check(EVP_DigestInit_ex(context, EVP_sha256(), nil), "SHA-256")
            } catch {
                EVP_MD_CTX_free(context)
                throw error
            }
        }

        deinit {
            EVP_MD_CTX_free(context)
        }

        /// Adds `bytes` to the digest.
        ///
        /// - Throws: ``CryptoError`` if OpenSSL fails.
        public func update(_ bytes: UnsafeRawBufferPointer) throws {
            try check(EVP_DigestUpdate(context, bytes.baseAddress, bytes.count), "SHA-256")
        }

        /// The digest of everything added; the hasher cannot be used afterwards.
        ///
        /// - Throws: ``CryptoError`` if OpenSSL fails.
        public func finish() throws -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: 32)
            var length: UInt32 = 0
            try check(EVP_DigestFinal_ex(context, &digest, &length), "SHA-256")
            return digest
        }
    }
}
