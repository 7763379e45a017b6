internal import COpenSSL

/// The key derivation functions of both schemes: PBKDF2 and HKDF for FrameCryptor keys, HKDF extract and expand for SFrame keys.
public enum KeyDerivation {
    /// PBKDF2-HMAC-SHA256 of `password` with `salt`.
    ///
    /// - Parameters:
    ///   - iterations: the FrameCryptor format uses 100 000.
    ///   - length: output length in bytes.
    /// - Throws: ``CryptoError`` if OpenSSL fails.
    public static func pbkdf2SHA256(
        password: SecretBytes,
        salt: [UInt8],
        iterations: Int,
        length: Int
    ) throws -> SecretBytes {
        try SecretBytes(count: length) { output in
            try password.withUnsafeBytes { passwordBytes in
                try PBKDF2.sha256(password: passwordBytes, salt: salt, iterations: iterations, into: output)
            }
        }
    }

    /// HKDF-SHA256 (RFC 5869, extract then expand) of `keyMaterial` with `salt` and `info`.
    ///
    /// - Throws: ``CryptoError`` if OpenSSL fails.
    public static func hkdfSHA256(
        keyMaterial: SecretBytes,
        salt: [UInt8],
        info: [UInt8],
        length: Int
    ) throws -> SecretBytes {
        try hkdf(.extractAndExpand, hash: .sha256, key: keyMaterial, salt: salt, info: info, length: length)
    }

    /// HKDF-Extract (RFC 5869 §2.2): the pseudorandom key of `keyMaterial` under `salt`, `hash.length`
    /// bytes long. An empty salt stands for `hash.length` zero bytes, as the RFC defines.
    ///
    /// - Throws: ``CryptoError`` if OpenSSL fails.
    public static func hkdfExtract(hash: DigestAlgorithm, salt: [UInt8], keyMaterial: SecretBytes) throws
        -> SecretBytes
    {
        let salt = salt.isEmpty ? [UInt8](repeating: 0, count: hash.length) : salt
        return try hkdf(.extractOnly, hash: hash, key: keyMaterial, salt: salt, info: [], length: hash.length)
    }

    /// HKDF-Expand (RFC 5869 §2.3): `length` bytes from `pseudorandomKey` and `info`.
    ///
    /// - Throws: ``CryptoError`` if OpenSSL fails or `length` exceeds 255 hash blocks.
    public static func hkdfExpand(hash: DigestAlgorithm, pseudorandomKey: SecretBytes, info: [UInt8], length: Int)
        throws -> SecretBytes
    {
        try hkdf(.expandOnly, hash: hash, key: pseudorandomKey, salt: [], info: info, length: length)
    }

    private enum HKDFMode {
        case extractAndExpand
        case extractOnly
        case expandOnly

        var openSSLMode: Int32 {
            switch self {
            case .extractAndExpand: EVP_PKEY_HKDEF_MODE_EXTRACT_AND_EXPAND
            case .extractOnly: EVP_PKEY_HKDEF_MODE_EXTRACT_ONLY
            case .expandOnly: EVP_PKEY_HKDEF_MODE_EXPAND_ONLY
            }
        }
    }

    private static func hkdf(
        _ mode: HKDFMode,
        hash: DigestAlgorithm,
        key: SecretBytes,
        salt: [UInt8],
        info: [UInt8],
        length: Int
    ) throws -> SecretBytes {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nil) else {
            throw CryptoError.openSSL("HKDF derivation")
        }
        defer { EVP_PKEY_CTX_free(context) }
        try check(EVP_PKEY_derive_init(context), "HKDF derivation")
        try check(EVP_PKEY_CTX_set_hkdf_mode(context, mode.openSSLMode), "HKDF derivation")
        try check(EVP_PKEY_CTX_set_hkdf_md(context, hash.openSSLDigest), "HKDF derivation")
        if mode != .expandOnly {
            try check(EVP_PKEY_CTX_set1_hkdf_salt(context, salt, Int32(salt.count)), "HKDF derivation")
        }
        if mode != .extractOnly {
            try check(EVP_PKEY_CTX_add1_hkdf_info(context, info, Int32(info.count)), "HKDF derivation")
        }
        try key.withUnsafeBytes { bytes in
            try check(
                EVP_PKEY_CTX_set1_hkdf_key(
                    context,
                    bytes.bindMemory(to: UInt8.self).baseAddress,
                    Int32(bytes.count)
                ),
                "HKDF derivation"
            )
        }
        return try SecretBytes(count: length) { output in
            var outputLength = output.count
            try check(
                EVP_PKEY_derive(context, output.bindMemory(to: UInt8.self).baseAddress, &outputLength),
                "HKDF derivation"
            )
            guard outputLength == output.count else {
                throw CryptoError(
                    operation: "HKDF derivation",
                    reason: "\(outputLength) bytes instead of \(output.count)"
                )
            }
        }
    }
}

/// The hash functions HKDF runs over.
public enum DigestAlgorithm: Sendable, Hashable {
    case sha256
    case sha512

    /// The digest length in bytes.
    public var length: Int {
        switch self {
        case .sha256: 32
        case .sha512: 64
        }
    }

    var openSSLDigest: OpaquePointer? {
        switch self {
        case .sha256: EVP_sha256()
        case .sha512: EVP_sha512()
        }
    }
}
