internal import COpenSSL

/// The AES-CTR + HMAC-SHA256 AEAD of RFC 9605 §4.5.1, with the tag truncated to 4, 8 or 10 bytes.
///
/// Encrypt-then-MAC: the 48-byte key is split into a 16-byte AES-128 key and a 32-byte HMAC key;
/// the keystream starts at the counter block `nonce ‖ 00000000`; the tag is the first `tagLength`
/// bytes of HMAC over `be64(len aad) ‖ be64(len ct) ‖ be64(tagLength) ‖ nonce ‖ aad ‖ ct`. Tags are
/// checked in constant time before anything is decrypted. Contexts are set up once and freed (key
/// schedules wiped by OpenSSL) in `deinit`. Not thread-safe: use one per thread.
public final class AESCTRHMACKey: AEADKey {
    /// Length of the whole key: AES-128 key then HMAC-SHA256 key.
    public static let keyLength = aesKeyLength + macKeyLength
    private static let aesKeyLength = 16
    private static let macKeyLength = 32
    /// HMAC-SHA256's output: the longest tag.
    private static let macLength = 32
    /// Most bytes one message may have: 2^32 keystream blocks minus one, so the 32-bit block
    /// counter the RFC's reference increments never wraps.
    private static let maximumMessageLength = (1 << 32 - 1) * 16

    /// The truncated tag length of the key's suite, in bytes.
    public let tagLength: Int
    private let cipher: OpaquePointer
    private let mac: OpaquePointer

    /// Sets up AES-128-CTR and HMAC-SHA256 for `key` (48 bytes), truncating tags to `tagLength`.
    ///
    /// - Throws: ``CryptoError`` for another key length, a tag length outside 1–32, or if OpenSSL
    ///   fails.
    public init(key: SecretBytes, tagLength: Int) throws {
        guard key.count == Self.keyLength else {
            throw CryptoError(
                operation: "AES-CTR-HMAC key setup",
                reason: "a \(key.count)-byte key; AES-CTR-HMAC-SHA256 needs \(Self.keyLength) bytes"
            )
        }
        guard (1...Self.macLength).contains(tagLength) else {
            throw CryptoError(operation: "AES-CTR-HMAC key setup", reason: "a \(tagLength)-byte tag")
        }
        guard let cipher = EVP_CIPHER_CTX_new() else { throw CryptoError.openSSL("AES-CTR context allocation") }
        guard let mac = Self.newMACContext() else {
            EVP_CIPHER_CTX_free(cipher)
            throw CryptoError.openSSL("HMAC context allocation")
        }
        self.cipher = cipher
        self.mac = mac
        self.tagLength = tagLength
        try key.withUnsafeBytes { bytes in
            let base = bytes.bindMemory(to: UInt8.self).baseAddress
            try check(EVP_EncryptInit_ex(cipher, EVP_aes_128_ctr(), nil, base, nil), "AES-CTR key setup")
            try check(
                Self.parameterName.withUnsafeBufferPointer { name in
                    Self.digestName.withUnsafeBufferPointer { digest in
                        var parameters = [
                            OSSL_PARAM_construct_utf8_string(
                                name.baseAddress,
                                UnsafeMutablePointer(mutating: digest.baseAddress),
                                0
                            ),
                            OSSL_PARAM_construct_end(),
                        ]
                        return EVP_MAC_init(mac, base.map { $0 + Self.aesKeyLength }, Self.macKeyLength, &parameters)
                    }
                },
                "HMAC key setup"
            )
        }
    }

    deinit {
        EVP_CIPHER_CTX_free(cipher)
        EVP_MAC_CTX_free(mac)
    }

    /// Seals as ``AEADKey/seal(_:authenticating:nonce:into:at:)`` says, with AES-CTR and a truncated HMAC-SHA256 tag.
    public func seal(
        _ plaintext: ArraySlice<UInt8>,
        authenticating aad: ArraySlice<UInt8>,
        nonce: AEADNonce,
        into output: inout [UInt8],
        at offset: Int
    ) throws(CryptoError) {
        guard plaintext.count <= Self.maximumMessageLength else {
            throw CryptoError(
                operation: "AES-CTR encryption",
                reason: "a \(plaintext.count)-byte message; the counter block allows \(Self.maximumMessageLength)"
            )
        }
        output.resize(to: offset + plaintext.count + tagLength)
        let sealed = output.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            let ciphertext = UnsafeMutableBufferPointer(start: base + offset, count: plaintext.count)
            return crypt(plaintext, nonce: nonce, into: ciphertext)
                && authenticate(
                    aad,
                    UnsafeBufferPointer(ciphertext),
                    nonce: nonce,
                    tag: base + offset + plaintext.count
                )
        }
        guard sealed else {
            output.resize(to: offset)
            throw CryptoError.openSSL("AES-CTR-HMAC encryption")
        }
    }

    /// Opens as ``AEADKey/open(_:authenticating:nonce:into:at:)`` says; the tag is compared in constant time.
    public func open(
        _ ciphertextAndTag: ArraySlice<UInt8>,
        authenticating aad: ArraySlice<UInt8>,
        nonce: AEADNonce,
        into output: inout [UInt8],
        at offset: Int
    ) throws(CryptoError) -> Bool {
        guard ciphertextAndTag.count >= tagLength, ciphertextAndTag.count - tagLength <= Self.maximumMessageLength
        else {
            output.resize(to: offset)
            return false
        }
        let ciphertext = ciphertextAndTag.dropLast(tagLength)
        var computed = true
        let authentic = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: tagLength) { expected in
            guard let expectedBase = expected.baseAddress,
                ciphertext.withUnsafeBufferPointer({ authenticate(aad, $0, nonce: nonce, tag: expectedBase) })
            else {
                computed = false
                return false
            }
            return ciphertextAndTag.suffix(tagLength).withUnsafeBufferPointer { received in
                CRYPTO_memcmp(received.baseAddress, expectedBase, tagLength) == 0
            }
        }
        guard computed else {
            output.resize(to: offset)
            throw CryptoError.openSSL("HMAC-SHA256 tag")
        }
        guard authentic else {
            output.resize(to: offset)
            return false
        }
        output.resize(to: offset + ciphertext.count)
        let opened = output.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return crypt(
                ciphertext,
                nonce: nonce,
                into: UnsafeMutableBufferPointer(start: base + offset, count: ciphertext.count)
            )
        }
        guard opened else {
            output.resize(to: offset)
            throw CryptoError.openSSL("AES-CTR decryption")
        }
        return true
    }

    /// The HMAC's digest, as OpenSSL's `digest` parameter names it.
    private static let parameterName: [CChar] = Array("digest".utf8CString)
    private static let digestName: [CChar] = Array("SHA256".utf8CString)

    private static func newMACContext() -> OpaquePointer? {
        guard let algorithm = EVP_MAC_fetch(nil, "HMAC", nil) else { return nil }
        defer { EVP_MAC_free(algorithm) }
        return EVP_MAC_CTX_new(algorithm)
    }

    /// XORs `input` with the keystream for `nonce` (encryption and decryption are the same).
    private func crypt(_ input: ArraySlice<UInt8>, nonce: AEADNonce, into output: UnsafeMutableBufferPointer<UInt8>)
        -> Bool
    {
        var block = (nonce.words, UInt32(0))
        let started = withUnsafeBytes(of: &block) { counterBlock in
            EVP_EncryptInit_ex(cipher, nil, nil, nil, counterBlock.bindMemory(to: UInt8.self).baseAddress) == 1
        }
        guard started else { return false }
        guard !input.isEmpty else { return true }
        var length: Int32 = 0
        let encrypted = input.withUnsafeBufferPointer { bytes in
            EVP_EncryptUpdate(cipher, output.baseAddress, &length, bytes.baseAddress, Int32(bytes.count)) == 1
        }
        return encrypted && Int(length) == input.count
    }

    /// Writes the truncated tag of `aad` and `ciphertext` under `nonce` to `tag`.
    private func authenticate(
        _ aad: ArraySlice<UInt8>,
        _ ciphertext: UnsafeBufferPointer<UInt8>,
        nonce: AEADNonce,
        tag: UnsafeMutablePointer<UInt8>
    ) -> Bool {
        var lengths = (UInt64(aad.count).bigEndian, UInt64(ciphertext.count).bigEndian, UInt64(tagLength).bigEndian)
        var nonceWords = nonce.words
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.macLength) { digest in
            var digestLength = 0
            let computed =
                EVP_MAC_init(mac, nil, 0, nil) == 1
                && withUnsafeBytes(of: &lengths) {
                    EVP_MAC_update(mac, $0.bindMemory(to: UInt8.self).baseAddress, $0.count) == 1
                }
                && withUnsafeBytes(of: &nonceWords) {
                    EVP_MAC_update(mac, $0.bindMemory(to: UInt8.self).baseAddress, $0.count) == 1
                }
                && aad.withUnsafeBufferPointer { EVP_MAC_update(mac, $0.baseAddress, $0.count) == 1 }
                && EVP_MAC_update(mac, ciphertext.baseAddress, ciphertext.count) == 1
                && EVP_MAC_final(mac, digest.baseAddress, &digestLength, digest.count) == 1
            guard computed, let digestBase = digest.baseAddress else { return false }
            tag.update(from: digestBase, count: tagLength)
            return true
        }
    }
}
