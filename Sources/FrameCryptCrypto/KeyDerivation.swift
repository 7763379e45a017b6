internal import COpenSSL

/// The two key derivation functions of the FrameCryptor format, both over HMAC-SHA256.
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
                try check(
                    PKCS5_PBKDF2_HMAC(
                        passwordBytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                        Int32(passwordBytes.count),
                        salt,
                        Int32(salt.count),
                        Int32(iterations),
                        EVP_sha256(),
                        Int32(output.count),
                        output.bindMemory(to: UInt8.self).baseAddress
                    ),
                    "PBKDF2 derivation"
                )
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
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nil) else {
            throw CryptoError.openSSL("HKDF derivation")
        }
        defer { EVP_PKEY_CTX_free(context) }
        try check(EVP_PKEY_derive_init(context), "HKDF derivation")
        try check(EVP_PKEY_CTX_set_hkdf_md(context, EVP_sha256()), "HKDF derivation")
        try check(EVP_PKEY_CTX_set1_hkdf_salt(context, salt, Int32(salt.count)), "HKDF derivation")
        try check(EVP_PKEY_CTX_add1_hkdf_info(context, info, Int32(info.count)), "HKDF derivation")
        try keyMaterial.withUnsafeBytes { bytes in
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
        }
    }
}
